/**
 * Safe archive extraction: zip/egg/whl, tar, tar.gz, tar.bz2, tar.xz.
 *
 * Everything is written into a temporary folder beside the destination and moved
 * into place only once complete, so an error never leaves a half-extracted tree.
 * File modes are kept; symlinks are kept when they resolve inside the
 * destination (following the archive's own links); any entry that would land or
 * point outside is refused. With `direct`, the caller's own private folder is
 * written into instead, and the writes may go to a writer thread
 * (`write_thread.ts`). The entries are written by `extraction.ts`.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { UserError } from "../errors.ts";
import { excluder } from "./paths.ts";
import {
  type ArchiveKind,
  archiveKind,
  BadArchive,
  readArchive,
  UnsafeEntry,
} from "./readers.ts";
import { zipEntries } from "./zip.ts";
import { DEFAULT_LIMITS, type ExtractLimits, LimitExceeded } from "./limits.ts";
import type { Writes } from "./writes.ts";
import {
  type ContentSink,
  Extraction,
  invalid,
  outside,
} from "./extraction.ts";

export { type ArchiveKind, archiveKind, archiveStem } from "./readers.ts";
export { type ContentSink, InvalidArchiveError } from "./extraction.ts";

/** Options of {@link extractArchive}. */
export interface ExtractOptions {
  /** Drop the single top-level folder (an error when there is not exactly one). */
  stripTopLevel?: boolean;
  /** Globs (fnmatch style) on entry names; a match also excludes what is below. */
  excludes?: string[];
  /**
   * Sees every regular file's content as it is written (e.g. to hash it
   * without reading it back): the sink returned for a file gets its content
   * in one or more chunks, then `end()`.
   */
  onFile?: (name: string) => ContentSink | undefined;
  /** Limits against decompression bombs (default {@link DEFAULT_LIMITS}). */
  limits?: ExtractLimits;
  /**
   * `dest` is an existing, empty folder private to the caller (which makes
   * the result visible atomically itself): write straight into it, with no
   * temporary folder of our own. Not with `stripTopLevel`.
   */
  direct?: boolean;
  /**
   * With `direct`: who makes the folders and files (default: this thread, at
   * once). The caller then awaits `writes.settled()` before using `dest`.
   */
  writes?: Writes;
}

/**
 * Extract `file` into `dest` and return the absolute paths of the top-level
 * entries extracted. When `dest` exists, the extracted top-level entries are
 * moved into it (replacing same-named ones); otherwise it is created by one
 * rename. Damaged archives, escaping entries and members past the limits
 * (decompression bombs) raise `UserError`.
 *
 * @example
 * ```ts
 * const tops = await extractArchive("/cache/app-1.0.tar.gz", "/b/parts/app", {
 *   stripTopLevel: true,
 *   excludes: ["*.pyc"],
 * });
 * ```
 */
export async function extractArchive(
  file: string,
  dest: string,
  o: ExtractOptions = {},
): Promise<string[]> {
  const kind = archiveKind(file);
  if (!kind) {
    throw new UserError(`Cannot extract ${file}: unsupported archive type.`);
  }
  if (o.direct && !o.stripTopLevel) {
    const x = new Extraction(
      dest,
      file,
      excluder(o.excludes),
      o.onFile,
      o.writes,
    );
    await extractWith(x, file, kind, o.limits);
    x.finish(false, kind);
    return [...x.tops].sort().map((t) => join(dest, t));
  }
  const parent = dirname(dest);
  // Synchronous calls: per-file async round trips dominate small archives.
  Deno.mkdirSync(parent, { recursive: true });
  const tmp = Deno.makeTempDirSync({ dir: parent, prefix: ".tmp-extract-" });
  try {
    const x = new Extraction(tmp, file, excluder(o.excludes), o.onFile);
    await extractWith(x, file, kind, o.limits);
    const root = x.finish(!!o.stripTopLevel, kind);
    return placeInto(root, dest);
  } finally {
    removeIfThere(tmp);
  }
}

async function extractWith(
  x: Extraction,
  file: string,
  kind: ArchiveKind,
  limits = DEFAULT_LIMITS,
) {
  try {
    if (kind === "zip") {
      // Synchronous unless a write asks to wait or a member streams.
      for (const entry of zipEntries(file, limits)) {
        const wait = x.add(entry);
        if (wait) await wait;
      }
    } else {
      for await (const entry of readArchive(file, kind, limits)) {
        await x.add(entry);
      }
    }
  } catch (e) {
    throw translate(e, file, kind);
  }
}

/**
 * The entry names of an archive, in archive order (no extraction).
 *
 * @example
 * ```ts
 * await listArchive("demo-0.2-py3.11.egg"); // ["EGG-INFO/PKG-INFO", ...]
 * ```
 */
export async function listArchive(file: string): Promise<string[]> {
  const kind = archiveKind(file);
  if (!kind) {
    throw new UserError(`Cannot read ${file}: unsupported archive type.`);
  }
  const names: string[] = [];
  try {
    for await (const e of readArchive(file, kind)) names.push(e.name);
  } catch (e) {
    throw translate(e, file, kind);
  }
  return names;
}

function translate(e: unknown, file: string, kind: ArchiveKind): unknown {
  if (e instanceof BadArchive) return invalid(file, kind, e.message);
  if (e instanceof UnsafeEntry) return outside(e.entry, file);
  if (e instanceof LimitExceeded) {
    return new UserError(
      `Refusing to extract ${file}: ${e.member ? e.message : `it ${e.why}`}`,
    );
  }
  if (
    e instanceof Deno.errors.AlreadyExists ||
    e instanceof Deno.errors.NotADirectory
  ) {
    return invalid(file, kind, `conflicting entries (${e.message})`);
  }
  return e;
}

/** Move the finished tree into `dest`; return the top-level paths. */
function placeInto(root: string, dest: string): string[] {
  const names: string[] = [];
  for (const e of Deno.readDirSync(root)) names.push(e.name);
  names.sort();
  let exists = true;
  try {
    Deno.lstatSync(dest);
  } catch {
    exists = false;
  }
  if (!exists) {
    Deno.renameSync(root, dest);
  } else {
    for (const name of names) {
      const target = join(dest, name);
      removeIfThere(target);
      Deno.renameSync(join(root, name), target);
    }
  }
  return names.map((n) => join(dest, n));
}

function removeIfThere(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
