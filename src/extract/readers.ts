/**
 * Archive readers: zip (also `.egg`/`.whl`), tar, and compressed tar, all
 * yielding one uniform entry shape. Nothing here touches the destination.
 *
 * @module
 */

import {
  type FileEntry,
  Uint8ArrayReader,
  Uint8ArrayWriter,
  ZipReader,
} from "@zip.js/zip.js";
import { createTarDecoder } from "modern-tar";
import { crc32, inflateRawSync } from "node:zlib";
import { UserError } from "../errors.ts";

/** The archive formats we read; also the `<kind>` in error messages. */
export type ArchiveKind = "zip" | "tar" | "tar.gz" | "tar.bz2" | "tar.xz";

/** One archive member, as named in the archive. */
export interface RawEntry {
  name: string;
  type: "file" | "directory" | "symlink" | "link" | "other";
  /** Permission bits (0o777) when the archive records them. */
  mode?: number;
  /** Symlink target, or hard-link target (a path from the archive root). */
  linkname?: string;
  /** The file's content (files only). */
  data?: () => Promise<Uint8Array>;
}

const KINDS: [string, ArchiveKind][] = [
  [".tar.gz", "tar.gz"],
  [".tgz", "tar.gz"],
  [".tar.bz2", "tar.bz2"],
  [".tbz2", "tar.bz2"],
  [".tbz", "tar.bz2"],
  [".tar.xz", "tar.xz"],
  [".txz", "tar.xz"],
  [".tar", "tar"],
  [".zip", "zip"],
  [".egg", "zip"],
  [".whl", "zip"],
];

/**
 * The archive kind told by a file name, or `undefined` when unsupported.
 *
 * @example
 * ```ts
 * archiveKind("demo-1.0.tar.gz"); // "tar.gz"
 * archiveKind("demo-1.0-py3-none-any.whl"); // "zip"
 * ```
 */
export function archiveKind(file: string): ArchiveKind | undefined {
  const lower = file.toLowerCase();
  return KINDS.find(([ext]) => lower.endsWith(ext))?.[1];
}

/** Raised by readers for a damaged archive; turned into the user's message. */
export class BadArchive extends Error {}

/** Raised by readers for a member name the reader itself finds unsafe. */
export class UnsafeEntry extends Error {
  constructor(readonly entry: string) {
    super(entry);
  }
}

/**
 * Iterate over the entries of `file`. A damaged archive raises {@link BadArchive}.
 *
 * @example
 * ```ts
 * for await (const e of readArchive("x.zip", "zip")) console.log(e.name);
 * ```
 */
export async function* readArchive(
  file: string,
  kind: ArchiveKind,
): AsyncGenerator<RawEntry> {
  if (kind === "zip") {
    yield* zipEntries(file);
    return;
  }
  if (kind === "tar" || kind === "tar.gz") {
    const f = await Deno.open(file);
    let stream: ReadableStream<Uint8Array> = f.readable;
    if (kind === "tar.gz") {
      stream = stream.pipeThrough(
        new DecompressionStream("gzip") as unknown as ReadableWritablePair<
          Uint8Array,
          Uint8Array
        >,
      );
    }
    yield* tarEntries(stream);
    return;
  }
  yield* commandTarEntries(file, kind === "tar.bz2" ? "bzip2" : "xz");
}

async function* zipEntries(file: string): AsyncGenerator<RawEntry> {
  const bytes = Deno.readFileSync(file);
  const reader = new ZipReader(new Uint8ArrayReader(bytes), {
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
  if (!entries.length && bytes.length < 22) {
    throw new BadArchive("no central directory");
  }
  const read = async (e: FileEntry) => {
    const fast = rawEntryData(bytes, e);
    if (fast) return fast;
    try {
      return await e.getData(new Uint8ArrayWriter(), {
        useWebWorkers: false,
        checkSignature: true,
      });
    } catch (err) {
      throw new BadArchive(`${e.filename}: ${reason(err)}`);
    }
  };
  for (const e of entries) {
    const bits = e.unixMode !== undefined ? e.unixMode & 0o777 : 0;
    const mode = bits ? bits : undefined;
    if (e.directory) yield { name: e.filename, type: "directory", mode };
    else if (e.symlink) {
      const target = new TextDecoder().decode(await read(e));
      yield { name: e.filename, type: "symlink", linkname: target };
    } else yield { name: e.filename, type: "file", mode, data: () => read(e) };
  }
  await reader.close();
}

/**
 * Stored and deflated members read straight from the buffer with node:zlib
 * (synchronous, no stream machinery: several times faster than going through
 * zip.js per entry for the many small files of a wheel). Returns `undefined`
 * to let zip.js handle anything else (encryption, other methods).
 */
function rawEntryData(bytes: Uint8Array, e: FileEntry): Uint8Array | undefined {
  if (e.encrypted || (e.compressionMethod !== 0 && e.compressionMethod !== 8)) {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.offset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50) {
    throw new BadArchive(`${e.filename}: bad local header`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) +
    view.getUint16(at + 28, true);
  const end = start + e.compressedSize;
  if (end > bytes.length) throw new BadArchive(`${e.filename}: truncated data`);
  const raw = bytes.subarray(start, end);
  let data: Uint8Array;
  try {
    data = e.compressionMethod === 0 ? raw.slice() : inflateRawSync(raw);
  } catch (err) {
    throw new BadArchive(`${e.filename}: ${reason(err)}`);
  }
  if (
    data.length !== e.uncompressedSize ||
    (e.signature !== undefined && crc32(data) >>> 0 !== e.signature >>> 0)
  ) {
    throw new BadArchive(`${e.filename}: data does not match its checksum`);
  }
  return data;
}

async function* tarEntries(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<RawEntry> {
  const decoder = createTarDecoder({ strict: true });
  const entries = stream.pipeThrough(decoder);
  const it = entries[Symbol.asyncIterator]();
  let count = 0;
  while (true) {
    let step;
    try {
      step = await it.next();
    } catch (e) {
      throw new BadArchive(reason(e));
    }
    if (step.done) break;
    count++;
    const { header, body } = step.value;
    let consumed = false;
    const data = async () => {
      consumed = true;
      try {
        return await new Response(body).bytes();
      } catch (e) {
        throw new BadArchive(`${header.name}: ${reason(e)}`);
      }
    };
    const t = header.type ?? "file";
    const mode = header.mode !== undefined ? header.mode & 0o777 : undefined;
    if (t === "file") yield { name: header.name, type: "file", mode, data };
    else if (t === "directory") {
      yield { name: header.name, type: "directory", mode };
    } else if (t === "symlink" || t === "link") {
      yield { name: header.name, type: t, linkname: header.linkname ?? "" };
    } else yield { name: header.name, type: "other" };
    if (!consumed) {
      try {
        await body.cancel();
      } catch (e) {
        throw new BadArchive(reason(e));
      }
    }
  }
  if (count === 0) throw new BadArchive("no entries");
}

async function* commandTarEntries(
  file: string,
  command: "bzip2" | "xz",
): AsyncGenerator<RawEntry> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args: ["-dc", file],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Cannot extract ${file}: the '${command}' command is needed for this archive and was not found on PATH.`,
      );
    }
    throw e;
  }
  const stderr = new Response(child.stderr).text();
  let ok = false;
  try {
    yield* tarEntries(child.stdout);
    ok = true;
  } catch (e) {
    if (!(e instanceof BadArchive)) throw e;
    try {
      child.kill();
    } catch { /* already gone */ }
    const status = await child.status;
    const msg = (await stderr).trim().split("\n")[0];
    throw new BadArchive(!status.success && msg ? msg : e.message);
  } finally {
    if (!ok) {
      try {
        child.kill();
      } catch { /* already gone */ }
      await child.status;
      await stderr.catch(() => "");
    }
  }
  const status = await child.status;
  if (!status.success) {
    const msg = (await stderr).trim().split("\n")[0];
    throw new BadArchive(msg || `${command} exited with ${status.code}`);
  }
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
