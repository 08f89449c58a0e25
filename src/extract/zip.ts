/**
 * Reading zip archives (also `.egg`/`.whl`) without holding them in memory:
 * the central directory is read from the end of the file, each member from
 * its own offset. Small members are inflated whole, synchronously (the many
 * small files of a wheel); larger ones stream from disk through a streaming
 * inflate, checked against their CRC and declared size as they go. Limits are
 * checked from the central directory before anything is yielded, and inflating
 * stops as soon as a member outgrows the size its header declares.
 *
 * @module
 */

import type { FileEntry } from "@zip.js/zip.js";
import { crc32, inflateRawSync } from "node:zlib";
import { checkLimits, type ExtractLimits, LimitExceeded } from "./limits.ts";
import { BadArchive, type RawEntry, reason, UnsafeEntry } from "./entry.ts";

/**
 * Archives up to this size are read whole: one read instead of one per
 * member. Larger ones are read member by member, so memory does not grow with
 * the archive.
 */
const WHOLE_FILE = 1024 * 1024;
/** Members up to this compressed size (and {@link SMALL_OUT} inflated) are inflated whole. */
const SMALL_IN = 1024 * 1024;
const SMALL_OUT = 1024 * 1024;
/**
 * Bytes read from disk per step when streaming a member. Small on purpose: the
 * inflater turns each input chunk into one output chunk (up to ~1000 times
 * larger when a header lies about the size).
 */
const CHUNK = 32 * 1024;

/** Random access to the archive's bytes. */
interface Source {
  readonly size: number;
  /** Whether {@link read} returns views of one shared buffer (else fresh ones). */
  readonly shared: boolean;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

function openSource(file: string): Source {
  const fh = Deno.openSync(file);
  let size: number;
  try {
    size = fh.statSync().size;
    if (size <= WHOLE_FILE) {
      const bytes = new Uint8Array(size);
      const n = readAt(fh, 0, bytes);
      fh.close();
      return {
        size: n,
        shared: true,
        read: (o, l) => bytes.subarray(o, Math.min(o + l, n)),
        close: () => {},
      };
    }
  } catch (e) {
    fh.close();
    throw e;
  }
  return {
    size,
    shared: false,
    read: (o, l) => {
      const buf = new Uint8Array(Math.max(0, Math.min(l, size - o)));
      return buf.subarray(0, readAt(fh, o, buf));
    },
    close: () => fh.close(),
  };
}

function readAt(fh: Deno.FsFile, offset: number, buf: Uint8Array): number {
  fh.seekSync(offset, Deno.SeekMode.Start);
  let n = 0;
  while (n < buf.length) {
    const got = fh.readSync(buf.subarray(n));
    if (got === null || got === 0) break;
    n += got;
  }
  return n;
}

type ZipJs = typeof import("@zip.js/zip.js");
let zipJs: Promise<ZipJs> | undefined;

/** zip.js, loaded on the first zip read (runs that extract nothing never pay for it). */
function loadZipJs(): Promise<ZipJs> {
  return zipJs ??= import("@zip.js/zip.js");
}

/** A zip.js reader of the central directory through `src` (never the whole file). */
function sourceReader(z: ZipJs, src: Source) {
  class SourceReader extends z.Reader<Source> {
    constructor() {
      super(src);
    }
    override init(): Promise<void> {
      this.size = src.size;
      return Promise.resolve();
    }
    override readUint8Array(
      index: number,
      length: number,
    ): Promise<Uint8Array> {
      return Promise.resolve(src.read(index, length).slice());
    }
  }
  return new SourceReader();
}

/**
 * The entries of the zip `file`, checked against `limits` before the first
 * is yielded.
 *
 * @example
 * ```ts
 * for await (const e of zipEntries("x.whl", DEFAULT_LIMITS)) console.log(e.name);
 * ```
 */
export async function* zipEntries(
  file: string,
  limits: ExtractLimits,
): AsyncGenerator<RawEntry> {
  const src = openSource(file);
  try {
    const z = await loadZipJs();
    const reader = new z.ZipReader(sourceReader(z, src), {
      useWebWorkers: false,
    });
    let entries;
    try {
      entries = await reader.getEntries();
    } catch (e) {
      const name = (e as { filename?: unknown }).filename;
      if (reason(e) === "Unsafe filename" && typeof name === "string") {
        throw new UnsafeEntry(name);
      }
      throw new BadArchive(reason(e));
    }
    if (!entries.length && src.size < 22) {
      throw new BadArchive("no central directory");
    }
    let total = 0;
    for (const e of entries) {
      if (e.directory) continue;
      total += e.uncompressedSize;
      checkLimits(
        limits,
        e.filename,
        total,
        e.uncompressedSize,
        e.compressedSize,
      );
    }
    for (const e of entries) {
      const bits = e.unixMode !== undefined ? e.unixMode & 0o777 : 0;
      const mode = bits ? bits : undefined;
      if (e.directory) yield { name: e.filename, type: "directory", mode };
      else if (e.symlink) {
        if (!isSmall(e)) {
          throw new BadArchive(`${e.filename}: symlink too long`);
        }
        const target = new TextDecoder().decode(await whole(src, e));
        yield { name: e.filename, type: "symlink", linkname: target };
      } else if (isSmall(e) || !isPlain(e)) {
        yield {
          name: e.filename,
          type: "file",
          mode,
          data: () => whole(src, e),
        };
      } else {
        yield {
          name: e.filename,
          type: "file",
          mode,
          stream: () => streamMember(src, e),
        };
      }
    }
    await reader.close();
  } finally {
    src.close();
  }
}

function isSmall(e: FileEntry): boolean {
  return e.compressedSize <= SMALL_IN && e.uncompressedSize <= SMALL_OUT;
}

/** Stored or deflated, not encrypted: what we read ourselves. */
function isPlain(e: FileEntry): boolean {
  return !e.encrypted &&
    (e.compressionMethod === 0 || e.compressionMethod === 8);
}

function liar(e: FileEntry): LimitExceeded {
  return new LimitExceeded(
    e.filename,
    `inflates to more than the ${e.uncompressedSize} bytes its header declares`,
  );
}

/** Where the member's compressed bytes start (after its local header). */
function dataStart(src: Source, e: FileEntry): number {
  const h = src.read(e.offset, 30);
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h.length < 30 || view.getUint32(0, true) !== 0x04034b50) {
    throw new BadArchive(`${e.filename}: bad local header`);
  }
  return e.offset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

/**
 * A small member, whole: stored and deflated ones straight through node:zlib
 * (synchronous, several times faster than zip.js per entry), anything else
 * (encryption, other methods) through zip.js.
 */
async function whole(src: Source, e: FileEntry): Promise<Uint8Array> {
  if (!isPlain(e)) {
    let data: Uint8Array;
    try {
      data = await e.getData!(new (await loadZipJs()).Uint8ArrayWriter(), {
        useWebWorkers: false,
        checkSignature: true,
      });
    } catch (err) {
      throw new BadArchive(`${e.filename}: ${reason(err)}`);
    }
    if (data.length > e.uncompressedSize) throw liar(e);
    return data;
  }
  const start = dataStart(src, e);
  const raw = src.read(start, e.compressedSize);
  if (raw.length < e.compressedSize) {
    throw new BadArchive(`${e.filename}: truncated data`);
  }
  let data: Uint8Array;
  try {
    data = e.compressionMethod === 0
      ? (src.shared ? raw.slice() : raw)
      : inflateRawSync(raw, { maxOutputLength: e.uncompressedSize + 1 });
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
      throw liar(e);
    }
    throw new BadArchive(`${e.filename}: ${reason(err)}`);
  }
  if (data.length > e.uncompressedSize) throw liar(e);
  if (
    data.length !== e.uncompressedSize ||
    (e.signature !== undefined && crc32(data) >>> 0 !== e.signature >>> 0)
  ) {
    throw new BadArchive(`${e.filename}: data does not match its checksum`);
  }
  return data;
}

/** A large member, streamed from disk and inflated as it is consumed. */
async function* streamMember(
  src: Source,
  e: FileEntry,
): AsyncGenerator<Uint8Array> {
  const start = dataStart(src, e);
  const end = start + e.compressedSize;
  if (end > src.size) throw new BadArchive(`${e.filename}: truncated data`);
  let at = start;
  let out: ReadableStream<Uint8Array> = new ReadableStream({
    pull(c) {
      if (at >= end) return c.close();
      const got = src.read(at, Math.min(CHUNK, end - at));
      const chunk = src.shared ? got.slice() : got;
      at += chunk.length;
      c.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  if (e.compressionMethod === 8) {
    out = out.pipeThrough(
      new DecompressionStream("deflate-raw") as unknown as ReadableWritablePair<
        Uint8Array,
        Uint8Array
      >,
    );
  }
  let n = 0;
  let crc = 0;
  const it = out[Symbol.asyncIterator]();
  try {
    while (true) {
      let step;
      try {
        step = await it.next();
      } catch (err) {
        throw new BadArchive(`${e.filename}: ${reason(err)}`);
      }
      if (step.done) break;
      n += step.value.length;
      if (n > e.uncompressedSize) throw liar(e);
      crc = crc32(step.value, crc);
      yield step.value;
    }
  } finally {
    await it.return?.().catch(() => {});
  }
  if (
    n !== e.uncompressedSize ||
    (e.signature !== undefined && crc >>> 0 !== e.signature >>> 0)
  ) {
    throw new BadArchive(`${e.filename}: data does not match its checksum`);
  }
}
