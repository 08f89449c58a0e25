/**
 * Reading bodies and files through one reused buffer, so that memory does not
 * grow with the size of what is read: a response body is read with a BYOB
 * reader into the same 64 KiB again and again (Deno's default reader hands
 * out a fresh buffer per chunk, which piles up until the garbage collector
 * runs: ~40 MiB more peak memory for a 512 MiB download), a file with plain
 * reads into one buffer.
 *
 * Every chunk yielded is a view of that buffer, valid until the next one is
 * asked for: use it (write, hash, copy) before going on.
 *
 * @module
 */

/** How much is read at a time. */
const CHUNK = 64 * 1024;

/**
 * The chunks of a response body, through one reused buffer. Stopping early
 * (break, throw) cancels the body.
 *
 * @example
 * ```ts
 * for await (const chunk of bodyChunks(res.body)) file.writeSync(chunk);
 * ```
 */
export async function* bodyChunks(
  body: ReadableStream<Uint8Array> | null,
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream: its own chunks, as they come.
    yield* body;
    return;
  }
  let done = false;
  try {
    let buf = new Uint8Array(CHUNK);
    while (true) {
      const step = await reader.read(buf);
      if (step.done) {
        done = true;
        return;
      }
      yield step.value;
      buf = new Uint8Array(step.value.buffer);
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/**
 * The chunks of the file at `path`, through one reused buffer.
 *
 * @example
 * ```ts
 * for await (const chunk of fileChunks("/cache/dist/x.whl")) hash.update(chunk);
 * ```
 */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const file = await Deno.open(path);
  try {
    const buf = new Uint8Array(CHUNK);
    while (true) {
      const n = await file.read(buf);
      if (n === null) return;
      yield buf.subarray(0, n);
    }
  } finally {
    file.close();
  }
}

/**
 * Hex digest of the file at `path`, read through one buffer.
 *
 * @example
 * ```ts
 * await fileHash("/cache/dist/demo-0.2.zip", "sha256"); // "0f3a..."
 * ```
 */
export async function fileHash(path: string, algo: string): Promise<string> {
  const { createHash } = await import("node:crypto"); // not at start-up
  const h = createHash(algo);
  for await (const chunk of fileChunks(path)) h.update(chunk);
  return h.digest("hex");
}
