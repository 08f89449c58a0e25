/**
 * A one-line progress bar on stderr for large downloads (only used when
 * stderr is a terminal; see `downloadTo`).
 *
 * @module
 */

const encoder = new TextEncoder();
const MIB = 1024 * 1024;

/**
 * The text of the bar for `received` of `total` bytes (pure, for tests).
 *
 * @example
 * ```ts
 * progressLine("demo.whl", 1.5 * 1024 * 1024, 3 * 1024 * 1024, 10);
 * // "demo.whl [#####     ]  50% 1.5/3.0 MiB"
 * ```
 */
export function progressLine(
  name: string,
  received: number,
  total: number,
  width = 30,
): string {
  const mib = (n: number) => (n / MIB).toFixed(1);
  if (!Number.isFinite(total) || total <= 0) {
    return `${name} ${mib(received)} MiB`;
  }
  const frac = Math.min(1, received / total);
  const filled = Math.round(frac * width);
  const pct = `${Math.floor(frac * 100)}`.padStart(3);
  return `${name} [${"#".repeat(filled)}${
    " ".repeat(width - filled)
  }] ${pct}% ${mib(received)}/${mib(total)} MiB`;
}

/**
 * Redraws {@link progressLine} on stderr at most ten times a second.
 *
 * @example
 * ```ts
 * const bar = new Progress("big.tar.gz", 5_000_000);
 * bar.update(2_500_000);
 * bar.done();
 * ```
 */
export class Progress {
  #last = 0;
  #received = 0;
  constructor(
    readonly name: string,
    readonly total: number,
    readonly write: (s: string) => void = (s) =>
      void Deno.stderr.writeSync(encoder.encode(s)),
  ) {}
  update(received: number): void {
    this.#received = received;
    const now = Date.now();
    if (now - this.#last < 100) return;
    this.#last = now;
    this.write("\r" + progressLine(this.name, received, this.total));
  }
  done(): void {
    if (this.#last === 0) return;
    this.write(
      "\r" + progressLine(this.name, this.#received, this.total) + "\n",
    );
  }
}
