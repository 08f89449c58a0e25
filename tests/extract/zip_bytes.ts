/**
 * Test helper: zip archives crafted byte by byte (stored members), so tests
 * can set what ordinary writers never write: raw name bytes without the UTF-8
 * flag, the encrypted flag, unknown methods, ZIP64 records for small files,
 * a lying member count.
 *
 * @module
 */

import { crc32 } from "node:zlib";

/** One stored member. */
export interface CraftedMember {
  /** The raw name bytes (a string is written as UTF-8). */
  name: string | Uint8Array;
  content?: string;
  /** General purpose flags (bit 11: UTF-8 name, bit 0: encrypted). */
  flags?: number;
  /** Compression method recorded (the content is written stored anyway). */
  method?: number;
}

/** How the archive as a whole is written. */
export interface CraftOptions {
  /** The archive comment. */
  comment?: string;
  /** Write ZIP64 records: sizes/offsets in 0x0001 extra fields, zip64 end records. */
  zip64?: boolean;
  /** The member count the end record declares (default: the true count). */
  declaredCount?: number;
  /** The central directory size the end record declares (default: the true size). */
  declaredSize?: number;
}

const enc = new TextEncoder();

class Bytes {
  parts: number[] = [];
  u16(v: number) {
    this.parts.push(v & 0xff, (v >>> 8) & 0xff);
    return this;
  }
  u32(v: number) {
    return this.u16(v & 0xffff).u16(Math.floor(v / 0x10000) & 0xffff);
  }
  u64(v: number) {
    return this.u32(v % 2 ** 32).u32(Math.floor(v / 2 ** 32));
  }
  raw(b: Uint8Array) {
    this.parts.push(...b);
    return this;
  }
  get length() {
    return this.parts.length;
  }
}

/**
 * The bytes of a zip archive holding `members` (stored).
 *
 * @example
 * ```ts
 * await Deno.writeFile("/tmp/x.zip", craftZip([{ name: "a.txt", content: "a" }], { zip64: true }));
 * ```
 */
export function craftZip(
  members: CraftedMember[],
  o: CraftOptions = {},
): Uint8Array {
  const out = new Bytes();
  const central = new Bytes();
  for (const m of members) {
    const name = typeof m.name === "string" ? enc.encode(m.name) : m.name;
    const data = enc.encode(m.content ?? "");
    const crc = crc32(data) >>> 0;
    const offset = out.length;
    const extra = new Bytes();
    if (o.zip64) {
      extra.u16(1).u16(24).u64(data.length).u64(data.length).u64(offset);
    }
    const big = (v: number) => o.zip64 ? 0xffffffff : v;
    out.u32(0x04034b50).u16(45).u16(m.flags ?? 0).u16(m.method ?? 0)
      .u32(0).u32(crc).u32(data.length).u32(data.length)
      .u16(name.length).u16(0).raw(name).raw(data);
    central.u32(0x02014b50).u16(0x0300 | 45).u16(45).u16(m.flags ?? 0)
      .u16(m.method ?? 0).u32(0).u32(crc).u32(big(data.length))
      .u32(big(data.length)).u16(name.length).u16(extra.length).u16(0)
      .u16(0).u16(0).u32(0o100644 * 0x10000).u32(big(offset))
      .raw(name).raw(new Uint8Array(extra.parts));
  }
  const cdOffset = out.length;
  out.raw(new Uint8Array(central.parts));
  const count = o.declaredCount ?? members.length;
  const size = o.declaredSize ?? central.length;
  if (o.zip64) {
    const record = out.length;
    out.u32(0x06064b50).u64(44).u16(0x0300 | 45).u16(45).u32(0).u32(0)
      .u64(count).u64(count).u64(size).u64(cdOffset);
    out.u32(0x07064b50).u32(0).u64(record).u32(1);
  }
  const comment = enc.encode(o.comment ?? "");
  out.u32(0x06054b50).u16(0).u16(0)
    .u16(o.zip64 ? 0xffff : count).u16(o.zip64 ? 0xffff : count)
    .u32(o.zip64 ? 0xffffffff : size).u32(o.zip64 ? 0xffffffff : cdOffset)
    .u16(comment.length).raw(comment);
  return new Uint8Array(out.parts);
}
