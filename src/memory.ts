/**
 * Keeping peak memory independent of how many bytes pass through: every
 * buffer read, inflated or downloaded lives outside the JavaScript heap, held
 * by a wrapper object of a few dozen bytes. V8 collects the young generation
 * only when those wrappers fill it, and a 2 MiB young generation holds tens of
 * thousands of them: hundreds of MiB of dead buffers. Code that moves bytes
 * reports them here; every {@link EVERY} bytes a minor (young-generation)
 * collection runs, which frees the dead buffers and costs about a
 * millisecond. Objects that outlive a few of those collections (pages,
 * metadata, the state of downloads in flight) move to the old generation,
 * which V8 lets grow by tens of MiB before it collects it; so when the heap
 * has grown {@link GROWTH} bytes since the last full collection, a full one
 * runs (a few milliseconds on a heap of 10-20 MiB). It needs the V8 flag
 * `--expose-gc` (see `RUNTIME_FLAGS`); without it nothing happens.
 *
 * @module
 */

/** Bytes between two collections. */
const EVERY = 8 * 1024 * 1024;

/** Heap growth between two full collections. */
const GROWTH = 4 * 1024 * 1024;

type Collect = (
  options?: { type?: "minor" | "major"; execution?: "sync" | "async" },
) => void;
const collect = (globalThis as { gc?: Collect }).gc;
let since = 0;
/** Heap in use after the last full collection (or at the first report). */
let floor = -1;

/**
 * Note `n` bytes of short-lived buffers; collect the young generation when
 * enough have passed, and the whole heap when it has grown.
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
  if (!collect) return;
  collect({ type: "minor" });
  const used = Deno.memoryUsage().heapUsed;
  if (floor < 0) floor = used;
  if (used < floor + GROWTH) return;
  collect({ type: "major" });
  floor = Deno.memoryUsage().heapUsed;
}
