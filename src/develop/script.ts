/**
 * `bin/develop`: a shell script that runs this tool's `develop` command for
 * the buildout (mr.developer's `bin/develop`). The running program names
 * itself with {@link selfCommand}: a compiled binary is `Deno.execPath()`
 * alone; under `deno run` it is the `deno` executable, `run`, the program's
 * permission flags, the checkout's `deno.json` and its `main.ts` (found next
 * to this module, not through `Deno.mainModule`, which under `deno test` is
 * the test file).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { existsSync } from "../fsutil.ts";
import type { Logger } from "../log.ts";
import { RUN_FLAGS } from "../permissions.ts";

/**
 * The argv that starts this program again.
 *
 * @example
 * ```ts
 * selfCommand(); // ["/usr/bin/deno", "run", "--quiet", "--allow-read", ..., "/src/buildout/main.ts"]
 * ```
 */
export function selfCommand(): string[] {
  if (Deno.build.standalone) return [Deno.execPath()];
  const main = fileURLToPath(new URL("../../main.ts", import.meta.url));
  const config = fileURLToPath(new URL("../../deno.json", import.meta.url));
  return [
    Deno.execPath(),
    "run",
    "--quiet",
    ...RUN_FLAGS,
    ...(existsSync(config) ? ["--config", config] : []),
    main,
  ];
}

/**
 * Quote for POSIX sh.
 *
 * @example
 * ```ts
 * shellQuote("it's"); // "'it'\\''s'"
 * ```
 */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** What the script needs to know. */
export interface ScriptOptions {
  /** The buildout folder (the script runs there). */
  directory: string;
  /** Arguments before `develop`: `-c FILE`, `-U`. */
  buildoutArgs: string[];
  /** The program, default {@link selfCommand}. */
  program?: string[];
}

/**
 * The text of `bin/develop`.
 *
 * @example
 * ```ts
 * developScript({ directory: "/w", buildoutArgs: ["-c", "/w/buildout.cfg"] });
 * // "#!/bin/sh\n...exec '/usr/bin/deno' 'run' ... 'develop' \"$@\"\n"
 * ```
 */
export function developScript(o: ScriptOptions): string {
  const argv = [...(o.program ?? selfCommand()), ...o.buildoutArgs, "develop"];
  return [
    "#!/bin/sh",
    "# mr.developer's develop command for this buildout (written by buildout).",
    `cd ${shellQuote(o.directory)} || exit 1`,
    `BUILDOUT_CWD=${shellQuote(o.directory)}`,
    "export BUILDOUT_CWD",
    `exec ${argv.map(shellQuote).join(" ")} "$@"`,
    "",
  ].join("\n");
}

/**
 * Write `bin/develop` when it is missing or differs; logs
 * `Generated script '<path>'.` then.
 *
 * @example
 * ```ts
 * await writeDevelopScript("/w/bin", { directory: "/w", buildoutArgs: [] }, log);
 * ```
 */
export async function writeDevelopScript(
  binDirectory: string,
  o: ScriptOptions,
  log: Logger,
): Promise<string> {
  const path = join(binDirectory, "develop");
  const text = developScript(o);
  const old = await Deno.readTextFile(path).catch(() => undefined);
  if (old !== text) {
    await Deno.mkdir(binDirectory, { recursive: true });
    await Deno.writeTextFile(path, text, { mode: 0o755 });
    await Deno.chmod(path, 0o755);
    log.info(`Generated script '${path}'.`);
  }
  return path;
}
