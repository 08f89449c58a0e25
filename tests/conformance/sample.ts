/**
 * Shared set-up for the conformance tests (tests/conformance/*_test.ts):
 * a sample buildout folder laid out as zc.buildout's doctests have it, the
 * seed's sample distributions served by the test link server, and small
 * helpers to look at what a run left behind.
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, type RunResult } from "../support/run.ts";

/** fixtures/links: demo 0.1-0.4c1, demoneeded 1.0-1.2c1, bigdemo, other... */
export const LINKS = fileURLToPath(
  new URL("../../fixtures/links", import.meta.url),
);

/** The non-empty lines of a text. */
export const lines = (text: string): string[] =>
  text.split("\n").filter((l) => l !== "");

/** A sample buildout inside a test's temporary folder. */
export interface Sample {
  /** The buildout folder (`<root>/sample-buildout`), with bin/, eggs/, develop-eggs/, parts/. */
  dir: string;
  /** Environment for the runs: user defaults that make the index an empty folder. */
  env: Record<string, string>;
  /** Write `buildout.cfg` in the buildout folder. */
  write(cfg: string): Promise<void>;
  /** Run the CLI (in-process) in the buildout folder. */
  run(args?: string[]): Promise<RunResult>;
}

/**
 * Lay out a sample buildout in `root`, as zc.buildout's test set-up does:
 * the usual folders exist and the user defaults point `index` at an empty
 * folder, so nothing is ever looked up on a real index.
 *
 * @example
 * ```ts
 * const s = await sampleBuildout(root);
 * await s.write("[buildout]\nparts =\n");
 * const r = await s.run(); // r.code == 0
 * ```
 */
export async function sampleBuildout(root: string): Promise<Sample> {
  const dir = join(root, "sample-buildout");
  for (const d of ["bin", "eggs", "develop-eggs", "parts"]) {
    await Deno.mkdir(join(dir, d), { recursive: true });
  }
  const home = join(root, "home");
  await Deno.mkdir(join(root, "empty-index"), { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  await Deno.writeTextFile(
    join(home, "default.cfg"),
    `[buildout]\nindex = ${join(root, "empty-index")}\n`,
  );
  const env = { BUILDOUT_HOME: home };
  return {
    dir,
    env,
    write: (cfg) => Deno.writeTextFile(join(dir, "buildout.cfg"), cfg),
    run: (args = []) => runCli(args, { cwd: dir, env }),
  };
}

/**
 * The entries of a folder as zc.buildout's `ls()` shows them: `d  name`
 * for folders, `-  name` for files, sorted by name.
 *
 * @example
 * ```ts
 * await ls(cache); // ["d  dist"]
 * ```
 */
export async function ls(...path: string[]): Promise<string[]> {
  const out: [string, string][] = [];
  for await (const e of Deno.readDir(join(...path))) {
    out.push([e.name, `${e.isDirectory ? "d" : "-"}  ${e.name}`]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((e) => e[1]);
}

/**
 * Run a generated script (or any program) and return its standard output;
 * a non-zero exit fails the test.
 *
 * @example
 * ```ts
 * await runScript(join(dir, "bin", "demo")); // "3 1\n"
 * ```
 */
export async function runScript(
  path: string,
  args: string[] = [],
  stdin?: string,
): Promise<string> {
  const child = new Deno.Command(path, {
    args,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const r = await child.output();
  const dec = new TextDecoder();
  assert.equal(r.code, 0, dec.decode(r.stderr));
  return dec.decode(r.stdout);
}
