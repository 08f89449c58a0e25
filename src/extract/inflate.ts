/**
 * Inflating a small zip member whole, through one inflater reused for every
 * member of the run on this thread.
 *
 * Why: `node:zlib`'s `inflateRawSync` builds a stream object, a native
 * inflater and a 16 KiB output buffer per call: ~25-50 µs for the few hundred
 * bytes a wheel's member usually holds (the 201 wheels of `deno task bench`:
 * 1,391 members, 36-40 ms). The stream's native handle, reset between members
 * and writing straight into an output array of the declared size, does the
 * same in 12 ms. That handle is Node's internal interface (`_handle`,
 * `_writeState`), which Deno's Node layer provides as Node does; where it is
 * missing, `inflateRawSync` is used.
 *
 * @module
 */

import { constants, createInflateRaw, inflateRawSync } from "node:zlib";
import { passed } from "../memory.ts";

/** The native inflater behind a `node:zlib` stream (Node's internal interface). */
interface RawInflater {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
  reset(): void;
  onerror: (message: string, errno: number) => void;
}

interface Reused {
  handle: RawInflater;
  /** `[output bytes left, input bytes left]` after each write. */
  state: ArrayLike<number>;
  /** The stream owning the handle, kept alive with it. */
  stream: unknown;
  /** The error the handle reported during the current write. */
  error?: string;
}

/** This thread's inflater: not made yet, made, or not available (`null`). */
let reused: Reused | null | undefined;

function inflater(): Reused | null {
  if (reused !== undefined) return reused;
  reused = null;
  try {
    const stream = createInflateRaw() as unknown as {
      _handle?: Partial<RawInflater>;
      _writeState?: ArrayLike<number>;
    };
    const h = stream._handle;
    if (
      typeof h?.writeSync === "function" && typeof h.reset === "function" &&
      stream._writeState?.length === 2
    ) {
      const r: Reused = {
        handle: h as RawInflater,
        state: stream._writeState,
        stream,
      };
      r.handle.onerror = (message) => r.error = message;
      reused = r;
    }
  } catch {
    // no internal interface: inflateRawSync below
  }
  return reused;
}

/**
 * Whether this thread inflates through one reused inflater (else through
 * `inflateRawSync` per member).
 *
 * @example
 * ```ts
 * if (!inflaterReused()) console.warn("each member builds its own inflater");
 * ```
 */
export function inflaterReused(): boolean {
  return inflater() !== null;
}

/** node:zlib's smallest output chunk. */
const MIN_CHUNK = 64;
/**
 * What one inflated member counts toward the next young collection
 * (`src/memory.ts`): through `inflateRawSync`, the native inflater it leaves
 * until collected (window and state, rounded up); through the reused one, the
 * same, standing for the member's other short-lived garbage (wrappers, hash
 * state, entry objects), which the byte count alone does not see. Without it
 * the real set's cold install peaked at 95-97 MiB instead of 88-91.
 */
const INFLATER_STATE = 64 * 1024;

/**
 * The raw-deflate `data` inflated, when it inflates to at most `size`
 * bytes; `undefined` when it inflates to more (a header that lies). Damaged
 * data throws an `Error` with zlib's message. `reuse = false` always takes
 * `inflateRawSync` (for tests of both ways).
 *
 * @example
 * ```ts
 * const out = inflateWhole(compressed, member.uncompressedSize);
 * if (!out) throw new Error("inflates to more than its header declares");
 * ```
 */
export function inflateWhole(
  data: Uint8Array,
  size: number,
  reuse = true,
): Uint8Array | undefined {
  const r = reuse ? inflater() : null;
  if (!r) return viaStream(data, size);
  // One byte more than declared: filling it means the member lies.
  const out = new Uint8Array(size + 1);
  r.error = undefined;
  try {
    r.handle.writeSync(
      constants.Z_FINISH,
      data,
      0,
      data.length,
      out,
      0,
      out.length,
    );
  } finally {
    r.handle.reset();
    passed(INFLATER_STATE);
  }
  if (r.error !== undefined) throw new Error(r.error);
  const n = out.length - r.state[0];
  return n > size ? undefined : out.subarray(0, n);
}

function viaStream(data: Uint8Array, size: number): Uint8Array | undefined {
  // One output buffer of the declared size (+1 to see a liar), not the
  // default 16 KiB.
  const fits = Math.max(MIN_CHUNK, size + 1);
  try {
    const out = inflateRawSync(data, {
      maxOutputLength: fits,
      chunkSize: fits,
    });
    return out.length > size ? undefined : out;
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      return undefined;
    }
    throw err;
  } finally {
    // Each call leaves its inflater's native state behind until collected.
    passed(INFLATER_STATE);
  }
}
