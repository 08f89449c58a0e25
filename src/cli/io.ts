/**
 * Where the CLI reads and writes: stdout/stderr sinks, working directory,
 * environment. Tests pass their own to run `main` in-process.
 *
 * @module
 */
import { type Sink, stdoutSink } from "../log.ts";

/** The CLI's surroundings. */
export interface CliIO {
  stdout: Sink;
  stderr: Sink;
  /** The user's working directory (the buildout folder by default). */
  cwd: string;
  env: Record<string, string | undefined>;
  /** True when stderr is a terminal (colour allowed unless NO_COLOR). */
  stderrIsTTY: boolean;
  /**
   * Revoke this process's network permission (install-from-cache). The real
   * process does; in-process test runs leave it out.
   */
  revokeNetwork?: () => void;
}

const encoder = new TextEncoder();

/**
 * The real process IO. The working directory is `BUILDOUT_CWD` when set (the
 * `deno task buildout` line sets it from `INIT_CWD`, the folder the task was
 * started in), else the process's.
 *
 * @example
 * ```ts
 * const io = processIO();
 * io.stdout("hello");
 * ```
 */
export function processIO(): CliIO {
  const env = Deno.env.toObject();
  return {
    stdout: stdoutSink,
    stderr: (line) => Deno.stderr.writeSync(encoder.encode(line + "\n")),
    cwd: env.BUILDOUT_CWD || Deno.cwd(),
    env,
    stderrIsTTY: Deno.stderr.isTerminal(),
    revokeNetwork: () => Deno.permissions.revokeSync({ name: "net" }),
  };
}

/**
 * Colour `text` red for a terminal, unless `NO_COLOR` is set (any value).
 *
 * @example
 * ```ts
 * red("Error: x", false, {}); // "Error: x"
 * red("Error: x", true, {}); // "\x1b[31mError: x\x1b[0m"
 * red("Error: x", true, { NO_COLOR: "1" }); // "Error: x"
 * ```
 */
export function red(
  text: string,
  isTTY: boolean,
  env: Record<string, string | undefined>,
): string {
  return isTTY && env.NO_COLOR === undefined ? `\x1b[31m${text}\x1b[0m` : text;
}
