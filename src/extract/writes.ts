/**
 * The file-system writes of an extraction, as one ordered stream of calls:
 * done at once on this thread ({@link directWrites}), or handed to a writer
 * thread (`write_thread.ts`) that does them in the same order while this
 * thread goes on reading and inflating.
 *
 * @module
 */

/**
 * Ordered writes. A call may return before its write is done: the failure
 * of any of them is reported by the next {@link Writes.settled}, and the
 * calls after a failure (up to that point) are skipped.
 *
 * @example
 * ```ts
 * const w: Writes = directWrites; // or a WriteThread
 * w.mkdir("/tmp/x/pkg");
 * await w.writeFile("/tmp/x/pkg/mod.py", bytes, 0o644);
 * await w.settled();
 * ```
 */
export interface Writes {
  /** Make the folder `path` (its parent exists or was asked for before). */
  mkdir(path: string): void;
  /**
   * Write a new file with exactly `mode`. `data` must not change afterwards
   * (it may be written later). A returned promise asks the caller to wait
   * (too many bytes are not written yet).
   */
  writeFile(path: string, data: Uint8Array, mode: number): void | Promise<void>;
  chmod(path: string, mode: number): void;
  symlink(target: string, path: string): void;
  copyFile(from: string, to: string): void;
  remove(path: string): void;
  /**
   * Resolves once every write asked for so far is done; rejects with the
   * first failure since the previous call (a `Deno.errors.*` error, as the
   * write itself would have thrown).
   */
  settled(): Promise<void>;
}

/**
 * Writes done at once, on this thread (a failure throws from the call).
 *
 * @example
 * ```ts
 * directWrites.mkdir("/tmp/x/pkg");
 * directWrites.writeFile("/tmp/x/pkg/__init__.py", new Uint8Array(), 0o644);
 * await directWrites.settled(); // nothing to wait for
 * ```
 */
export const directWrites: Writes = {
  mkdir: (path) => Deno.mkdirSync(path),
  // The mode is given at creation: one call less per file than write + chmod.
  writeFile: (path, data, mode) => Deno.writeFileSync(path, data, { mode }),
  chmod: (path, mode) => Deno.chmodSync(path, mode),
  symlink: (target, path) => Deno.symlinkSync(target, path),
  copyFile: (from, to) => Deno.copyFileSync(from, to),
  remove: (path) => Deno.removeSync(path),
  settled: () => Promise.resolve(),
};
