/**
 * Run the `buildout` CLI in tests, in-process (fast, output captured through
 * the IO sinks) or as a real subprocess with the `deno task buildout`
 * permission flags (real exit codes).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { denoDir } from "../../tools/deno_dir.ts";
import { main } from "../../src/cli/main.ts";
import { RUN_FLAGS } from "../../src/permissions.ts";

/** What a run printed and returned. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for a run. */
export interface RunOptions {
  /** The working directory (the buildout folder). */
  cwd: string;
  /**
   * Extra environment. In-process runs get HOME = `cwd` and XDG_CACHE_HOME =
   * one folder of this test process (the user cache stays out of the
   * buildout folder and out of the real home); subprocesses get BUILDOUT_HOME
   * pointing at an empty place, so no user defaults leak in.
   */
  env?: Record<string, string>;
}

/**
 * Run `main(argv)` in-process with captured output.
 *
 * @example
 * ```ts
 * const r = await runCli(["-U", "query", "parts"], { cwd: dir });
 * // r.code == 0, r.stdout == "a b\n"
 * ```
 */
export async function runCli(
  argv: string[],
  o: RunOptions,
): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    cwd: o.cwd,
    env: { HOME: o.cwd, XDG_CACHE_HOME: userCache(), ...o.env },
    stderrIsTTY: false,
  });
  const text = (lines: string[]) => lines.map((l) => l + "\n").join("");
  return { code, stdout: text(out), stderr: text(err) };
}

let cacheHome: string | undefined;

/** The user cache folder of this test process's in-process runs (removed at exit). */
function userCache(): string {
  if (!cacheHome) {
    const dir = Deno.makeTempDirSync({ prefix: "buildout-test-cache-" });
    cacheHome = dir;
    globalThis.addEventListener("unload", () => {
      try {
        Deno.removeSync(dir, { recursive: true });
      } catch {
        // already gone
      }
    });
  }
  return cacheHome;
}

/** The flags of the `buildout` task in deno.json (and of the compiled binary): permissions and V8 settings. */
export const TASK_FLAGS = RUN_FLAGS;

/** Deno's cache of this process, where main.ts is already compiled. */
const DENO_DIR = denoDir();

/** The entry point, main.ts. */
export const MAIN_TS = fileURLToPath(new URL("../../main.ts", import.meta.url));

/**
 * The environment for a child process: this process's, without the
 * variables `deno task` sets (`INIT_CWD`, `BUILDOUT_CWD`), plus `extra`.
 * XDG_CACHE_HOME is this test process's folder (the buildout user cache stays
 * out of the real home); DENO_DIR names this process's Deno cache, which Deno
 * would otherwise look for under the moved XDG_CACHE_HOME, compiling main.ts
 * afresh in every test process.
 *
 * @example
 * ```ts
 * childEnv({ NO_COLOR: "1" }).INIT_CWD; // undefined
 * ```
 */
export function childEnv(
  extra: Record<string, string> = {},
): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  delete env.BUILDOUT_CWD;
  return { ...env, DENO_DIR, XDG_CACHE_HOME: userCache(), ...extra };
}

/**
 * Run `deno run <task flags> main.ts argv` in `cwd` as a subprocess.
 *
 * @example
 * ```ts
 * const r = await runSubprocess(["--version"], { cwd: dir });
 * // r.code == 0
 * ```
 */
export async function runSubprocess(
  argv: string[],
  o: RunOptions,
): Promise<RunResult> {
  const env = childEnv({
    BUILDOUT_HOME: `${o.cwd}/.no-user-defaults`,
    ...o.env,
  });
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...TASK_FLAGS, MAIN_TS, ...argv],
    cwd: o.cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
  const r = await cmd.output();
  const dec = new TextDecoder();
  return {
    code: r.code,
    stdout: dec.decode(r.stdout),
    stderr: dec.decode(r.stderr),
  };
}

/**
 * A temporary folder for a test, removed afterwards.
 *
 * @example
 * ```ts
 * await withTempDir(async (dir) => { ... });
 * ```
 */
export async function withTempDir(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
