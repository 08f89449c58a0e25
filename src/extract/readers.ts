/**
 * Archive readers: zip (also `.egg`/`.whl`), tar, and compressed tar, all
 * yielding one uniform entry shape. Nothing here touches the destination.
 *
 * @module
 */

import { basename } from "node:path";
import { commandTarEntries, tarEntries } from "./tar.ts";
import { zipEntries } from "./zip.ts";
import { DEFAULT_LIMITS, type ExtractLimits } from "./limits.ts";

export { BadArchive, type RawEntry, UnsafeEntry } from "./entry.ts";
import type { RawEntry } from "./entry.ts";

/** The archive formats we read; also the `<kind>` in error messages. */
export type ArchiveKind = "zip" | "tar" | "tar.gz" | "tar.bz2" | "tar.xz";

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

/**
 * Iterate over the entries of `file`. A damaged archive raises `BadArchive`; a
 * member past `limits` raises `LimitExceeded`.
 *
 * @example
 * ```ts
 * for await (const e of readArchive("x.zip", "zip")) console.log(e.name);
 * ```
 */
export async function* readArchive(
  file: string,
  kind: ArchiveKind,
  limits: ExtractLimits = DEFAULT_LIMITS,
): AsyncGenerator<RawEntry> {
  if (kind === "zip") {
    yield* zipEntries(file, limits);
    return;
  }
  if (kind === "tar" || kind === "tar.gz") {
    const f = await Deno.open(file);
    const size = (await f.stat()).size;
    let stream = fileChunks(f);
    if (kind === "tar.gz") {
      stream = stream.pipeThrough(
        new DecompressionStream("gzip") as unknown as ReadableWritablePair<
          Uint8Array,
          Uint8Array
        >,
      );
    }
    yield* tarEntries(stream, limits, size);
    return;
  }
  yield* commandTarEntries(
    file,
    kind === "tar.bz2" ? "bzip2" : "xz",
    limits,
  );
}

/**
 * Bytes read from disk per step. Small on purpose: a decompressor turns each
 * input chunk into one output chunk, up to ~1000 times larger for deflate.
 */
const CHUNK = 32 * 1024;

/** The file's content in small chunks, read only as the consumer pulls. */
function fileChunks(f: Deno.FsFile): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const buf = new Uint8Array(CHUNK);
      const n = await f.read(buf);
      if (n === null) {
        f.close();
        c.close();
      } else c.enqueue(buf.subarray(0, n));
    },
    cancel() {
      f.close();
    },
  }, { highWaterMark: 0 });
}

/**
 * The archive's file name without its archive extension.
 *
 * @example
 * ```ts
 * archiveStem("/cache/demo-1.0.tar.gz"); // "demo-1.0"
 * ```
 */
export function archiveStem(file: string): string {
  const name = basename(file);
  const lower = name.toLowerCase();
  for (
    const ext of [
      ".tar.gz",
      ".tar.bz2",
      ".tar.xz",
      ".tgz",
      ".tbz2",
      ".tbz",
      ".txz",
      ".tar",
      ".zip",
    ]
  ) {
    if (lower.endsWith(ext)) return name.slice(0, -ext.length);
  }
  return name;
}
