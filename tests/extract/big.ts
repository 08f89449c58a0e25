/**
 * Test helpers: big archives written cheaply. One block of content is
 * deflated once with a full flush (so the compressed block does not depend on
 * what came before) and written `times` times, so neither the test nor the
 * archive builder ever holds more than one block in memory.
 *
 * @module
 */

import { constants, crc32, deflateRawSync } from "node:zlib";

export const MiB = 1024 * 1024;

/** The final, empty deflate block that ends a stream. */
const FINAL = new Uint8Array([3, 0]);

const flushed = (data: Uint8Array) =>
  deflateRawSync(data, { level: 9, finishFlush: constants.Z_FULL_FLUSH });

/** `n` bytes that compress poorly (random), made cheaply. */
export function randomBlock(n = MiB): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) {
    crypto.getRandomValues(b.subarray(i, Math.min(n, i + 65536)));
  }
  return b;
}

function writeAll(f: Deno.FsFile, data: Uint8Array) {
  for (let n = 0; n < data.length;) n += f.writeSync(data.subarray(n));
}

function le(bytes: number, value: number): Uint8Array {
  const b = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) b[i] = Math.floor(value / 256 ** i) & 0xff;
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A zip member of `block` repeated `times` times, deflated. */
export interface BigMember {
  name: string;
  block: Uint8Array;
  times: number;
  /** The uncompressed size the headers claim (default: the true size). */
  declared?: number;
}

/**
 * Write a zip whose members are each one block repeated (deflated, no zip64).
 *
 * @example
 * ```ts
 * writeBigZip("/tmp/b.zip", [{ name: "big.bin", block: new Uint8Array(MiB), times: 200 }]);
 * ```
 */
export function writeBigZip(path: string, members: BigMember[]): void {
  const f = Deno.openSync(path, { write: true, create: true, truncate: true });
  const central: Uint8Array[] = [];
  let offset = 0;
  try {
    for (const m of members) {
      const z = flushed(m.block);
      let crc = 0;
      for (let i = 0; i < m.times; i++) crc = crc32(m.block, crc);
      const csize = z.length * m.times + FINAL.length;
      const usize = m.declared ?? m.block.length * m.times;
      const name = new TextEncoder().encode(m.name);
      const common = concat(
        le(2, 20), // version needed
        le(2, 0), // flags
        le(2, 8), // deflate
        le(4, 0), // time, date
        le(4, crc),
        le(4, csize),
        le(4, usize),
        le(2, name.length),
        le(2, 0), // extra length
      );
      const local = concat(le(4, 0x04034b50), common, name);
      writeAll(f, local);
      for (let i = 0; i < m.times; i++) writeAll(f, z);
      writeAll(f, FINAL);
      central.push(concat(
        le(4, 0x02014b50),
        le(2, (3 << 8) | 20), // made by: unix
        common,
        le(2, 0), // comment length
        le(2, 0), // disk
        le(2, 0), // internal attributes
        le(4, 0o100644 * 65536), // unix mode
        le(4, offset),
        name,
      ));
      offset += local.length + csize;
    }
    const dir = concat(...central);
    writeAll(f, dir);
    writeAll(
      f,
      concat(
        le(4, 0x06054b50),
        le(4, 0), // disk numbers
        le(2, members.length),
        le(2, members.length),
        le(4, dir.length),
        le(4, offset),
        le(2, 0),
      ),
    );
  } finally {
    f.close();
  }
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** A ustar header for a regular file. */
function tarHeader(name: string, size: number): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, s: string) => h.set(new TextEncoder().encode(s), at);
  put(0, name);
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(size, 12));
  put(136, octal(0, 12));
  put(148, "        ");
  put(156, "0");
  put(257, "ustar\x0000");
  const sum = h.reduce((a, b) => a + b, 0);
  put(148, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/**
 * Write a `.tar.gz` holding one member: `block` repeated `times` times.
 *
 * @example
 * ```ts
 * writeBigTarGz("/tmp/b.tar.gz", "big.bin", new Uint8Array(MiB), 200);
 * ```
 */
export function writeBigTarGz(
  path: string,
  name: string,
  block: Uint8Array,
  times: number,
): void {
  const size = block.length * times;
  const head = tarHeader(name, size);
  const tail = new Uint8Array((512 - size % 512) % 512 + 1024);
  let crc = crc32(head);
  for (let i = 0; i < times; i++) crc = crc32(block, crc);
  crc = crc32(tail, crc);
  const f = Deno.openSync(path, { write: true, create: true, truncate: true });
  try {
    writeAll(f, new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]));
    writeAll(f, flushed(head));
    const z = flushed(block);
    for (let i = 0; i < times; i++) writeAll(f, z);
    writeAll(f, flushed(tail));
    writeAll(f, FINAL);
    writeAll(
      f,
      concat(le(4, crc), le(4, (size + 512 + tail.length) % 2 ** 32)),
    );
  } finally {
    f.close();
  }
}
