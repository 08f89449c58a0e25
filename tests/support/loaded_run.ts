/**
 * Run buildout in `dir` through the `loaded_modules.ts` harness: its output
 * lines and the modules of `src/` the run loaded.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { childEnv, TASK_FLAGS } from "./run.ts";

const HARNESS = fileURLToPath(new URL("./loaded_modules.ts", import.meta.url));

/** What {@link runLoaded} saw. */
export interface LoadedRun {
  /** The run's output lines (stdout). */
  lines: string[];
  /** `src/...` paths of the modules V8 parsed. */
  loaded: string[];
}

/**
 * Run buildout in `dir` (exit code 0 asserted) and list what it loaded.
 *
 * @example
 * ```ts
 * const { loaded } = await runLoaded(dir);
 * assert.ok(!loaded.includes("src/find/finder.ts"));
 * ```
 */
export async function runLoaded(dir: string): Promise<LoadedRun> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...TASK_FLAGS, HARNESS],
    cwd: dir,
    env: childEnv({ BUILDOUT_HOME: join(dir, "no-home") }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  assert.equal(r.code, 0, dec.decode(r.stderr));
  const all = dec.decode(r.stdout).split("\n");
  return {
    lines: all.filter((l) => l && !l.startsWith("loaded: ")),
    loaded: all.filter((l) => l.startsWith("loaded: ")).map((l) =>
      l.slice("loaded: ".length)
    ),
  };
}
