/**
 * Keeping peak memory independent of how many bytes pass through: every
 * buffer read, inflated or downloaded lives outside the JavaScript heap, held
 * by a wrapper object of a few dozen bytes. V8 collects the young generation
 * only when those wrappers fill it, and a 2 MiB young generation holds tens of
 * thousands of them: hundreds of MiB of dead buffers. Code that moves bytes
 * reports them here; every {@link EVERY} bytes a minor (young-generation)
 * collection runs, which frees the dead buffers and costs about a
 * millisecond. It needs the V8 flag `--expose-gc` (see `RUNTIME_FLAGS`);
 * without it nothing happens.
 *
 * @module
 */

/** Bytes between two collections. */
const EVERY = 8 * 1024 * 1024;

type Collect = (options?: { type?: "minor" | "major" }) => void;
const collect = (globalThis as { gc?: Collect }).gc;
let since = 0;

/**
 * Note `n` bytes of short-lived buffers; collect the young generation when
 * enough have passed.
 *
 * @example
 * ```ts
 * for await (const chunk of body) {
 *   file.writeSync(chunk);
 *   passed(chunk.length);
 * }
 * ```
 */
export function passed(n: number): void {
  since += n;
  if (since < EVERY) return;
  since = 0;
  collect?.({ type: "minor" });
}
