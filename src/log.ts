/**
 * Buildout's output: bare messages on stdout, filtered by level.
 *
 * @module
 */

/** Numeric levels as in Python's logging. */
export const LEVELS = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
} as const;

/** Where output lines go; tests pass their own to capture output. */
export type Sink = (line: string) => void;

const encoder = new TextEncoder();

/** Default sink: one line to stdout. */
export const stdoutSink: Sink = (line) => {
  Deno.stdout.writeSync(encoder.encode(line + "\n"));
};

/**
 * A logger. `level` is the effective level (log-level minus 10 per `-v`, plus 10 per `-q`).
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const log = new Logger(20, (l) => lines.push(l));
 * log.info("Installing eggs.");
 * log.debug("hidden");
 * // lines == ["Installing eggs."]
 * ```
 */
export class Logger {
  constructor(
    public level: number = LEVELS.INFO,
    public sink: Sink = stdoutSink,
  ) {}
  debug(msg: string): void {
    if (this.level <= LEVELS.DEBUG) this.sink(msg);
  }
  info(msg: string): void {
    if (this.level <= LEVELS.INFO) this.sink(msg);
  }
  warn(msg: string): void {
    if (this.level <= LEVELS.WARNING) this.sink(msg);
  }
  error(msg: string): void {
    if (this.level <= LEVELS.ERROR) this.sink(msg);
  }
  /** Unfiltered output (recipe output, picked versions); only `-q` (level above INFO) hides it. */
  print(msg: string): void {
    if (this.level <= LEVELS.INFO) this.sink(msg);
  }
}
