/**
 * The sha256 of local files, computed once per file per run.
 *
 * @module
 */

/**
 * A per-run memo of file digests, keyed by path, size and modification time
 * (a file replaced during the run is hashed again).
 *
 * @example
 * ```ts
 * const memo = new DigestMemo();
 * await memo.sha256("/cache/dist/demo-0.2-py3-none-any.whl"); // "9f86d08..."
 * ```
 */
export class DigestMemo {
  #memo = new Map<string, Promise<string>>();

  /** The hex sha256 of the file at `path`. */
  async sha256(path: string): Promise<string> {
    const st = await Deno.stat(path);
    const key = JSON.stringify([path, st.size, st.mtime?.getTime() ?? 0]);
    let p = this.#memo.get(key);
    if (!p) {
      p = hashFile(path);
      this.#memo.set(key, p);
      p.catch(() => this.#memo.delete(key));
    }
    return await p;
  }
}

async function hashFile(path: string): Promise<string> {
  const { createHash } = await import("node:crypto"); // not at start-up
  const h = createHash("sha256");
  const f = await Deno.open(path);
  for await (const chunk of f.readable) h.update(chunk);
  return h.digest("hex");
}
