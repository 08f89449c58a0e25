/**
 * The central directory of a zip archive, read lean: one buffer holding the
 * raw directory records, decoded one member at a time as it is walked (no
 * object per member is kept). ZIP64 archives (locator, record and the 0x0001
 * extra field) are read; split archives are not. Pure: the caller supplies
 * random access to the file's bytes.
 *
 * @module
 */

import { BadArchive, UnsafeEntry } from "./entry.ts";
import { decodeZipName, isUnsafeZipName } from "./zip_names.ts";

const EOCD = 0x06054b50;
const EOCD_LEN = 22;
const LOCATOR64 = 0x07064b50;
const LOCATOR64_LEN = 20;
const EOCD64 = 0x06064b50;
const EOCD64_LEN = 56;
const CENTRAL = 0x02014b50;
const CENTRAL_LEN = 46;
const U16 = 0xffff;
const U32 = 0xffffffff;

/**
 * The largest central directory we read (about 600,000 members): a hostile
 * archive cannot make us allocate more than this for its directory.
 */
export const MAX_DIRECTORY_SIZE = 64 * 1024 * 1024;

/** Up to `length` bytes of the file at `offset` (fewer at its end). */
export type ReadAt = (offset: number, length: number) => Uint8Array;

/** A located central directory: its raw records, walked by {@link zipMembers}. */
export interface ZipDirectory {
  /** The raw central directory records. */
  readonly bytes: Uint8Array;
  /** How many members the end record declares. */
  readonly count: number;
  /** Where the directory starts in the file: member data lies before it. */
  readonly start: number;
  /** Bytes found before the archive (a self-extractor's stub), added to offsets. */
  readonly shift: number;
}

/** One member as its central directory record describes it. */
export interface ZipMember {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the member's local header in the file. */
  offset: number;
  crc32: number;
  /** Compression method: 0 stored, 8 deflated. */
  method: number;
  /** General purpose bit flags (bit 0: encrypted, bit 11: UTF-8 name). */
  flags: number;
  /** The Unix mode (type and permission bits) when the archive records one. */
  mode?: number;
  directory: boolean;
  symlink: boolean;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(v: DataView, at: number, what: string): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BadArchive(`${what} is out of range`);
  }
  return Number(n);
}

/** Offset of the end of central directory record, searching back over a comment. */
function findEnd(size: number, read: ReadAt): [number, DataView] {
  if (size < EOCD_LEN) throw new BadArchive("no central directory");
  const from = Math.max(0, size - EOCD_LEN - U16);
  const tail = read(from, size - from);
  const v = view(tail);
  for (let i = tail.length - EOCD_LEN; i >= 0; i--) {
    if (tail[i] !== 0x50 || v.getUint32(i, true) !== EOCD) continue;
    if (i + EOCD_LEN + v.getUint16(i + 20, true) > tail.length) continue;
    return [from + i, new DataView(tail.buffer, tail.byteOffset + i, EOCD_LEN)];
  }
  throw new BadArchive("no central directory (end record not found)");
}

/**
 * The zip64 end record named by the locator just before the end record at
 * `at`, if there is one. A self-extractor's stub shifts the offset the
 * locator gives; the record then sits right before the locator.
 */
function zip64Record(
  at: number,
  read: ReadAt,
): { at: number; bytes: Uint8Array } | undefined {
  if (at < LOCATOR64_LEN) return undefined;
  const loc = read(at - LOCATOR64_LEN, LOCATOR64_LEN);
  if (
    loc.length < LOCATOR64_LEN || view(loc).getUint32(0, true) !== LOCATOR64
  ) {
    return undefined;
  }
  const named = u64(view(loc), 8, "zip64 end record offset");
  for (const where of [named, at - LOCATOR64_LEN - EOCD64_LEN]) {
    if (where < 0) continue;
    const bytes = read(where, EOCD64_LEN);
    if (
      bytes.length === EOCD64_LEN && view(bytes).getUint32(0, true) === EOCD64
    ) {
      return { at: where, bytes };
    }
  }
  return undefined;
}

/**
 * Locate and read the central directory of a zip file of `size` bytes. Checks
 * its bounds against the file and {@link MAX_DIRECTORY_SIZE}, and that it can
 * hold the members it declares; the records themselves are checked as
 * {@link zipMembers} walks them.
 *
 * @example
 * ```ts
 * const dir = readZipDirectory(bytes.length, (o, l) => bytes.subarray(o, o + l));
 * for (const m of zipMembers(dir)) console.log(m.name, m.uncompressedSize);
 * ```
 */
export function readZipDirectory(size: number, read: ReadAt): ZipDirectory {
  const [at, end] = findEnd(size, read);
  let disk = end.getUint16(4, true);
  let cdDisk = end.getUint16(6, true);
  let count = end.getUint16(10, true);
  let cdSize = end.getUint32(12, true);
  let cdOffset = end.getUint32(16, true);
  let cdEnd = at;
  const rec = zip64Record(at, read);
  if (rec) {
    const r = view(rec.bytes);
    disk = r.getUint32(16, true);
    cdDisk = r.getUint32(20, true);
    count = u64(r, 32, "zip64 member count");
    cdSize = u64(r, 40, "zip64 central directory size");
    cdOffset = u64(r, 48, "zip64 central directory offset");
    cdEnd = rec.at;
  } else if (count === U16 || cdSize === U32 || cdOffset === U32) {
    throw new BadArchive("zip64 end of central directory record not found");
  }
  if (disk !== 0 || cdDisk !== 0) {
    throw new BadArchive("split (multi-disk) archives are not supported");
  }
  if (cdSize > MAX_DIRECTORY_SIZE) {
    throw new BadArchive(
      `central directory too large (${cdSize} bytes, at most ${MAX_DIRECTORY_SIZE})`,
    );
  }
  const start = cdEnd - cdSize;
  if (start < 0 || cdOffset > start) {
    throw new BadArchive(
      `central directory truncated or misplaced (${cdSize} bytes declared at offset ${cdOffset})`,
    );
  }
  if (count * CENTRAL_LEN > cdSize) {
    throw new BadArchive(
      `the archive declares ${count} members but its central directory holds at most ${
        Math.floor(cdSize / CENTRAL_LEN)
      }`,
    );
  }
  const bytes = read(start, cdSize);
  if (bytes.length < cdSize) {
    throw new BadArchive("truncated central directory");
  }
  return { bytes, count, start, shift: start - cdOffset };
}

/**
 * The members of `dir`, decoded one at a time. A damaged record raises
 * `BadArchive`, an absolute or `..` name `UnsafeEntry`.
 *
 * @example
 * ```ts
 * for (const m of zipMembers(readZipDirectory(size, read))) {
 *   if (m.flags & 1) throw new Error(`${m.name} is encrypted`);
 * }
 * ```
 */
export function* zipMembers(dir: ZipDirectory): Generator<ZipMember> {
  const b = dir.bytes;
  const v = view(b);
  let p = 0;
  for (let i = 0; i < dir.count; i++) {
    if (p + CENTRAL_LEN > b.length || v.getUint32(p, true) !== CENTRAL) {
      throw new BadArchive(`central directory record ${i + 1} is damaged`);
    }
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const next = p + CENTRAL_LEN + nameLen + extraLen +
      v.getUint16(p + 32, true);
    if (next > b.length) {
      throw new BadArchive(`central directory record ${i + 1} is truncated`);
    }
    const flags = v.getUint16(p + 8, true);
    const nameAt = p + CENTRAL_LEN;
    const name = decodeZipName(
      b.subarray(nameAt, nameAt + nameLen),
      (flags & 0x800) !== 0,
    );
    if (name === undefined) {
      throw new BadArchive(
        `central directory record ${i + 1}: name is not valid UTF-8`,
      );
    }
    if (isUnsafeZipName(name)) throw new UnsafeEntry(name);
    const m = member(v, p, name, flags);
    sizes64(m, b.subarray(nameAt + nameLen, nameAt + nameLen + extraLen));
    m.offset += dir.shift;
    if (m.offset + m.compressedSize > dir.start) {
      throw new BadArchive(`${name}: member data lies outside the archive`);
    }
    yield m;
    p = next;
  }
}

function member(
  v: DataView,
  p: number,
  name: string,
  flags: number,
): ZipMember {
  const madeBy = v.getUint16(p + 4, true) >> 8;
  const external = v.getUint32(p + 38, true);
  const upper = external >>> 16;
  // As zip.js did: a mode is recorded when any type or permission bit is set.
  const mode = upper & 0o40777 ? upper : undefined;
  const type = upper & 0o170000;
  return {
    name,
    compressedSize: v.getUint32(p + 20, true),
    uncompressedSize: v.getUint32(p + 24, true),
    offset: v.getUint32(p + 42, true),
    crc32: v.getUint32(p + 16, true),
    method: v.getUint16(p + 10, true),
    flags,
    mode,
    directory: name.endsWith("/") || type === 0o040000 ||
      (madeBy === 0 && (external & 0x10) !== 0),
    symlink: type === 0o120000,
  };
}

/** Replace the 32-bit sizes and offset that say "see zip64" by the 0x0001 extra field's. */
function sizes64(m: ZipMember, extra: Uint8Array): void {
  const want = [
    m.uncompressedSize === U32,
    m.compressedSize === U32,
    m.offset === U32,
  ];
  if (!want.some(Boolean)) return;
  const v = view(extra);
  for (let p = 0; p + 4 <= extra.length;) {
    const id = v.getUint16(p, true);
    const len = v.getUint16(p + 2, true);
    const end = p + 4 + len;
    if (end > extra.length) break;
    if (id === 0x0001) {
      let q = p + 4;
      const next = (what: string) => {
        if (q + 8 > end) {
          throw new BadArchive(`${m.name}: zip64 extra field too short`);
        }
        const n = u64(v, q, `${m.name}: zip64 ${what}`);
        q += 8;
        return n;
      };
      if (want[0]) m.uncompressedSize = next("size");
      if (want[1]) m.compressedSize = next("compressed size");
      if (want[2]) m.offset = next("offset");
      return;
    }
    p = end;
  }
  throw new BadArchive(`${m.name}: zip64 extra field missing`);
}
