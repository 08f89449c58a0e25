/**
 * A sample buildout for the conformance tests: a temporary folder, files
 * written into it, the CLI run in it, and output with the folder's path
 * replaced by `/sample-buildout` (as zc.buildout's doctests show it).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { runCli, type RunResult, withTempDir } from "../support/run.ts";

/** A buildout folder a conformance scenario works in. */
export interface Sample {
  /** The real path of the folder. */
  dir: string;
  /** Write `text` to `path` (relative to the folder), creating parents. */
  write(path: string, text: string): Promise<void>;
  /** Read a file (relative to the folder), paths normalised. */
  read(path: string): Promise<string>;
  /** Whether `path` (relative to the folder) exists. */
  exists(path: string): Promise<boolean>;
  /** Sorted entry names of a folder, `d  name` / `-  name` like `ls()`. */
  ls(path?: string): Promise<string[]>;
  /**
   * Run the CLI with `-U` (no user defaults) and `argv`; stdout and stderr
   * with the folder's path replaced by `/sample-buildout`.
   */
  run(...argv: string[]): Promise<RunResult>;
  /** Run the CLI with exactly `argv` (user defaults read) and `env`. */
  runEnv(argv: string[], env: Record<string, string>): Promise<RunResult>;
}

/**
 * Run `fn` with a fresh sample buildout holding `files`.
 *
 * @example
 * ```ts
 * await withSample({ "buildout.cfg": "[buildout]\nparts =\n" }, async (s) => {
 *   const r = await s.run("query", "parts"); // r.stdout == "\n"
 * });
 * ```
 */
export function withSample(
  files: Record<string, string>,
  fn: (s: Sample) => Promise<void>,
): Promise<void> {
  return withTempDir(async (dir) => {
    const norm = (t: string) => t.replaceAll(dir, "/sample-buildout");
    const s: Sample = {
      dir,
      async write(path, text) {
        await Deno.mkdir(dirname(join(dir, path)), { recursive: true });
        await Deno.writeTextFile(join(dir, path), text);
      },
      async read(path) {
        return norm(await Deno.readTextFile(join(dir, path)));
      },
      exists(path) {
        return Deno.lstat(join(dir, path)).then(() => true, () => false);
      },
      async ls(path = ".") {
        const out: string[] = [];
        for await (const e of Deno.readDir(join(dir, path))) {
          out.push(`${e.isDirectory ? "d" : "-"}  ${e.name}`);
        }
        return out.sort((a, b) => a.slice(3) < b.slice(3) ? -1 : 1);
      },
      run(...argv) {
        return s.runEnv(["-U", ...argv], {});
      },
      async runEnv(argv, env) {
        const r = await runCli(argv, { cwd: dir, env });
        return { code: r.code, stdout: norm(r.stdout), stderr: norm(r.stderr) };
      },
    };
    for (const [p, t] of Object.entries(files)) await s.write(p, t);
    await fn(s);
  });
}

/** Lines of `text` (without the final empty one). */
export function lines(text: string): string[] {
  const l = text.split("\n");
  if (l.at(-1) === "") l.pop();
  return l;
}
