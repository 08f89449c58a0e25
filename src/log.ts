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
 * Format a message with a Python logging format (`log-format`), supporting
 * `%(message)s`, `%(levelname)s`, `%(levelno)s`, `%(name)s` (the logger's
 * name, `zc.buildout` by default) and `%%`.
 *
 * @example
 * ```ts
 * formatRecord("%(levelname)s %(message)s", "INFO", 20, "Installing eggs.");
 * // "INFO Installing eggs."
 * ```
 */
export function formatRecord(
  format: string,
  levelname: string,
  levelno: number,
  message: string,
  name = "zc.buildout",
): string {
  return format.replace(/%\((\w+)\)[-0-9.]*[sd]|%%/g, (m, key) => {
    if (m === "%%") return "%";
    if (key === "message") return message;
    if (key === "levelname") return levelname;
    if (key === "levelno") return String(levelno);
    if (key === "name") return name;
    return m;
  });
}

/**
 * A logger. `level` is the effective level (log-level minus 10 per `-v`, plus
 * 10 per `-q`); with a `format` (buildout's `log-format`), leveled messages
 * are formatted with it.
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
    public format = "",
  ) {}
  #emit(levelname: string, levelno: number, msg: string): void {
    if (this.level > levelno) return;
    this.sink(
      this.format ? formatRecord(this.format, levelname, levelno, msg) : msg,
    );
  }
  debug(msg: string): void {
    this.#emit("DEBUG", LEVELS.DEBUG, msg);
  }
  info(msg: string): void {
    this.#emit("INFO", LEVELS.INFO, msg);
  }
  warn(msg: string): void {
    this.#emit("WARNING", LEVELS.WARNING, msg);
  }
  error(msg: string): void {
    this.#emit("ERROR", LEVELS.ERROR, msg);
  }
  /** Unfiltered, unformatted output (recipe output, picked versions); only `-q` (level above INFO) hides it. */
  print(msg: string): void {
    if (this.level <= LEVELS.INFO) this.sink(msg);
  }
}
