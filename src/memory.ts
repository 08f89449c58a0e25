/**
 * Keeping peak memory independent of how many bytes pass through: every
 * buffer read, inflated or downloaded lives outside the JavaScript heap, held
 * by a wrapper object of a few dozen bytes. V8 collects the young generation
 * only when those wrappers fill it, and a 2 MiB young generation holds tens of
 * thousands of them: hundreds of MiB of dead buffers. Code that moves bytes
 * reports them here; every {@link EVERY} bytes a minor (young-generation)
 * collection runs, which frees the dead buffers and costs about a
 * millisecond. In a run that downloads, objects that outlive a few of those
 * collections (the state of each response, pages, metadata) move to the old
 * generation, which V8 lets grow by tens of MiB before it collects it; so once
 * bytes have come from the network, whenever the heap has grown
 * {@link GROWTH} bytes since the last full collection a full one runs (15-35
 * ms on a heap of 10-20 MiB). Only then: after a forced full collection V8
 * builds the inflaters of `node:zlib` markedly slower for the rest of the run
 * (an install from the cache of the bench's real set took 8% longer, for 17
 * MiB less, when it did). It needs the V8 flag `--expose-gc` (see
 * `RUNTIME_FLAGS`); without it nothing happens.
 *
 * @module
 */

/** Bytes between two collections. */
const EVERY = 8 * 1024 * 1024;

/** Heap growth between two full collections. */
const GROWTH = 4 * 1024 * 1024;

type Collect = (options?: { type?: "minor" | "major" }) => void;
const collect = (globalThis as { gc?: Collect }).gc;
let since = 0;
/** Bytes have come from the network in this run. */
let network = false;
/** Heap in use after the last full collection (or at the first report). */
let floor = -1;

/**
 * Note `n` bytes of short-lived buffers (`fromNetwork`: downloaded); collect
 * the young generation when enough have passed, and, in a run that downloads,
 * the whole heap when it has grown.
 *
 * @example
 * ```ts
 * for await (const chunk of body) {
 *   file.writeSync(chunk);
 *   passed(chunk.length, true);
 * }
 * ```
 */
export function passed(n: number, fromNetwork = false): void {
  since += n;
  if (fromNetwork) network = true;
  if (since < EVERY) return;
  since = 0;
  if (!collect) return;
  collect({ type: "minor" });
  const used = Deno.memoryUsage().heapUsed;
  if (floor < 0) floor = used;
  if (!network || used < floor + GROWTH) return;
  collect({ type: "major" });
  floor = Deno.memoryUsage().heapUsed;
}
