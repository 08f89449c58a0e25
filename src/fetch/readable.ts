/**
 * Cheap checks that a cached archive is complete: a truncated zip lacks its
 * end-of-central-directory record, a truncated gzip stream fails its trailer.
 *
 * @module
 */

const EOCD = 0x06054b50;
const EOCD_SIZE = 22;

/**
 * Whether the last bytes of a zip file (`tail`, ending at the file's end)
 * hold a plausible end-of-central-directory record for a file of `size` bytes.
 *
 * @example
 * ```ts
 * zipTailIsComplete(new Uint8Array(10), 10); // false
 * ```
 */
export function zipTailIsComplete(tail: Uint8Array, size: number): boolean {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (view.getUint32(i, true) !== EOCD) continue;
    const commentLength = view.getUint16(i + 20, true);
    if (i + EOCD_SIZE + commentLength !== tail.length) continue;
    const cdSize = view.getUint32(i + 12, true);
    const cdOffset = view.getUint32(i + 16, true);
    if (cdSize === 0xffffffff || cdOffset === 0xffffffff) return true; // zip64
    const eocdAt = size - tail.length + i;
    return cdOffset + cdSize <= eocdAt;
  }
  return false;
}

async function zipIsComplete(path: string): Promise<boolean> {
  const file = await Deno.open(path);
  try {
    const size = (await file.stat()).size;
    const want = Math.min(size, EOCD_SIZE + 0xffff);
    await file.seek(size - want, Deno.SeekMode.Start);
    const tail = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const n = await file.read(tail.subarray(got));
      if (n === null) break;
      got += n;
    }
    return got === want && zipTailIsComplete(tail, size);
  } finally {
    file.close();
  }
}

async function gzipIsComplete(path: string): Promise<boolean> {
  const file = await Deno.open(path);
  try {
    const out = file.readable.pipeThrough(new DecompressionStream("gzip"));
    for await (const _ of out) {
      /* drain: the trailer is checked at the end */
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the archive at `path` looks complete, judged by its name: zip-based
 * (`.whl .egg .zip`) by the end record, gzip (`.tar.gz .tgz`) by decompressing,
 * `.tar` by its block size; other files only need to be non-empty.
 *
 * @example
 * ```ts
 * if (!(await archiveIsReadable(cached))) log.warn(`Cached file ${cached} is unreadable; fetching it again.`);
 * ```
 */
export async function archiveIsReadable(path: string): Promise<boolean> {
  let size: number;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return false;
    size = info.size;
  } catch {
    return false;
  }
  if (size === 0) return false;
  const lower = path.toLowerCase();
  if (/\.(whl|egg|zip)$/.test(lower)) return await zipIsComplete(path);
  if (/\.(tar\.gz|tgz)$/.test(lower)) return await gzipIsComplete(path);
  if (lower.endsWith(".tar")) return size % 512 === 0;
  return true;
}
