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

import { crc32 } from "node:zlib";
import { inflateWhole } from "./inflate.ts";
import { checkLimits, type ExtractLimits, LimitExceeded } from "./limits.ts";
import { BadArchive, type RawEntry, reason } from "./entry.ts";
import {
  readZipDirectory,
  type ZipMember,
  zipMembers,
} from "./zip_directory.ts";

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

/**
 * The entries of the zip `file`, checked against `limits` before the first
 * is yielded. Everything is read synchronously, so the entries come from a
 * plain generator (small members' `data` returns the bytes at once).
 *
 * @example
 * ```ts
 * for (const e of zipEntries("x.whl", DEFAULT_LIMITS)) console.log(e.name);
 * ```
 */
export function* zipEntries(
  file: string,
  limits: ExtractLimits,
): Generator<RawEntry> {
  const src = openSource(file);
  try {
    const dir = readZipDirectory(src.size, src.read);
    // Decoded once when there are not many (the usual wheel), else twice
    // rather than all held at once.
    const held = dir.count <= HELD_MEMBERS ? [...zipMembers(dir)] : undefined;
    const members = () => held ?? zipMembers(dir);
    let total = 0;
    for (const e of members()) {
      if (e.directory) continue;
      if (e.flags & 1) {
        throw new BadArchive(`${e.name}: encrypted members are not supported`);
      }
      if (e.method !== 0 && e.method !== 8) {
        throw new BadArchive(
          `${e.name}: compression method ${e.method} is not supported`,
        );
      }
      total += e.uncompressedSize;
      checkLimits(limits, e.name, total, e.uncompressedSize, e.compressedSize);
    }
    for (const e of members()) {
      const bits = e.mode !== undefined ? e.mode & 0o777 : 0;
      const mode = bits ? bits : undefined;
      if (e.directory) yield { name: e.name, type: "directory", mode };
      else if (e.symlink) {
        if (!isSmall(e)) {
          throw new BadArchive(`${e.name}: symlink too long`);
        }
        const target = new TextDecoder().decode(whole(src, e));
        yield { name: e.name, type: "symlink", linkname: target };
      } else if (isSmall(e)) {
        yield { name: e.name, type: "file", mode, data: () => whole(src, e) };
      } else {
        yield {
          name: e.name,
          type: "file",
          mode,
          stream: () => streamMember(src, e),
        };
      }
    }
  } finally {
    src.close();
  }
}

/** Archives with up to this many members have them decoded once and held. */
const HELD_MEMBERS = 4096;

function isSmall(e: ZipMember): boolean {
  return e.compressedSize <= SMALL_IN && e.uncompressedSize <= SMALL_OUT;
}

function liar(e: ZipMember): LimitExceeded {
  return new LimitExceeded(
    e.name,
    `inflates to more than the ${e.uncompressedSize} bytes its header declares`,
  );
}

/** Where the member's compressed bytes start (after its local header). */
function dataStart(src: Source, e: ZipMember): number {
  const h = src.read(e.offset, 30);
  const view = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h.length < 30 || view.getUint32(0, true) !== 0x04034b50) {
    throw new BadArchive(`${e.name}: bad local header`);
  }
  return e.offset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
}

/** A small member, whole: stored or inflated in one go (`inflate.ts`). */
function whole(src: Source, e: ZipMember): Uint8Array {
  const start = dataStart(src, e);
  const raw = src.read(start, e.compressedSize);
  if (raw.length < e.compressedSize) {
    throw new BadArchive(`${e.name}: truncated data`);
  }
  let data: Uint8Array | undefined;
  if (e.method === 0) data = src.shared ? raw.slice() : raw;
  else {
    try {
      data = inflateWhole(raw, e.uncompressedSize);
    } catch (err) {
      throw new BadArchive(`${e.name}: ${reason(err)}`);
    }
    if (!data) throw liar(e);
  }
  if (data.length > e.uncompressedSize) throw liar(e);
  if (
    data.length !== e.uncompressedSize ||
    crc32(data) >>> 0 !== e.crc32
  ) {
    throw new BadArchive(`${e.name}: data does not match its checksum`);
  }
  return data;
}

/** A large member, streamed from disk and inflated as it is consumed. */
async function* streamMember(
  src: Source,
  e: ZipMember,
): AsyncGenerator<Uint8Array> {
  const start = dataStart(src, e);
  const end = start + e.compressedSize;
  if (end > src.size) throw new BadArchive(`${e.name}: truncated data`);
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
  if (e.method === 8) {
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
        throw new BadArchive(`${e.name}: ${reason(err)}`);
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
    crc >>> 0 !== e.crc32
  ) {
    throw new BadArchive(`${e.name}: data does not match its checksum`);
  }
}
