/**
 * Safe archive extraction: zip/egg/whl, tar, tar.gz, tar.bz2, tar.xz.
 *
 * Everything is written into a temporary folder beside the destination and moved
 * into place only once complete, so an error never leaves a half-extracted tree.
 * File modes are kept; symlinks are kept when they resolve inside the
 * destination (following the archive's own links); any entry that would land or
 * point outside is refused.
 *
 * @module
 */

import { dirname, join, normalize } from "node:path";
import { UserError } from "../errors.ts";
import {
  excluder,
  type Resolved,
  resolveInside,
  splitEntryName,
} from "./paths.ts";
import {
  type ArchiveKind,
  archiveKind,
  BadArchive,
  type RawEntry,
  readArchive,
  UnsafeEntry,
} from "./readers.ts";
import { zipEntries } from "./zip.ts";
import { DEFAULT_LIMITS, type ExtractLimits, LimitExceeded } from "./limits.ts";
import { passed } from "../memory.ts";
import { directWrites, type Writes } from "./writes.ts";

export { type ArchiveKind, archiveKind, archiveStem } from "./readers.ts";

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

/** Receives one extracted file's content, chunk by chunk. */
export interface ContentSink {
  update(chunk: Uint8Array): void;
  end(): void;
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

/** A damaged or truncated archive: `<file> is not a valid <kind> archive: <reason>`. */
export class InvalidArchiveError extends UserError {
  constructor(readonly file: string, kind: ArchiveKind, why: string) {
    super(`${file} is not a valid ${kind} archive: ${why}`);
  }
}

function invalid(file: string, kind: ArchiveKind, why: string): UserError {
  return new InvalidArchiveError(file, kind, why);
}

function outside(entry: string, file: string): UserError {
  return new UserError(
    `Refusing to extract '${entry}' from ${file}: it points outside the destination.`,
  );
}

/** The folder of a path made by {@link Extraction} (never the root itself). */
const parentOf = (path: string) => path.slice(0, path.lastIndexOf("/"));

interface PendingLink {
  name: string;
  at: string[];
  target: string;
}

/**
 * Writes entries below a private root; links and folder modes come last. The
 * root starts empty and only this class writes to it, so what exists is
 * tracked in memory (no stat calls), and plain synchronous calls are used:
 * per-file async round trips dominated extraction time.
 */
class Extraction {
  readonly links = new Map<string, string>();
  readonly pendingLinks: PendingLink[] = [];
  readonly dirModes = new Map<string, number>();
  readonly tops = new Set<string>();
  /** Paths created so far: "dir" or the mode of a file. */
  readonly made = new Map<string, "dir" | number>();

  readonly root: string;

  constructor(
    root: string,
    readonly file: string,
    readonly excluded: (parts: string[]) => boolean,
    readonly onFile?: (name: string) => ContentSink | undefined,
    readonly fs: Writes = directWrites,
  ) {
    // Normalised once: member paths are then made by joining checked parts.
    this.root = normalize(root).replace(/(.)\/+$/, "$1");
    this.made.set(this.root, "dir");
  }

  /** Write `e`; a promise when that is not done at once. */
  add(e: RawEntry): Promise<void> | undefined {
    const parts = splitEntryName(e.name);
    if (!parts) throw outside(e.name, this.file);
    if (e.type === "other" || this.excluded(parts)) return;
    const at = this.locate(e.name, parts);
    if (!at) return; // the root folder itself
    const path = `${this.root}/${at.join("/")}`;
    this.tops.add(at[0]);
    if (e.type === "directory") {
      this.ensureDir(path, e.name);
      if (e.mode !== undefined) this.dirModes.set(path, e.mode);
      return;
    }
    this.dropLink(at);
    this.ensureDir(parentOf(path), e.name);
    if (e.type === "symlink") {
      if (!splitEntryName(e.linkname ?? "")) throw outside(e.name, this.file);
      this.links.set(at.join("/"), e.linkname!);
      this.pendingLinks.push({ name: e.name, at, target: e.linkname! });
      return;
    }
    this.clear(path, e.name);
    if (e.type === "link") {
      const targetParts = splitEntryName(e.linkname ?? "");
      const t = targetParts && resolveInside([], targetParts, this.links, true);
      if (!t || !t.parts.length) throw outside(e.name, this.file);
      const from = join(this.root, ...t.parts);
      const mode = this.made.get(from);
      if (typeof mode !== "number") {
        throw new BadArchive(
          `hard link '${e.name}' refers to '${e.linkname}', which is not an earlier file`,
        );
      }
      this.fs.copyFile(from, path);
      this.fs.chmod(path, mode);
      this.made.set(path, mode);
      return;
    }
    const mode = e.mode ?? 0o644;
    const sink = this.onFile?.(at.join("/"));
    if (e.stream) return this.streamed(path, e.stream, mode, sink);
    const data = e.data!();
    return data instanceof Promise
      ? data.then((bytes) => this.written(path, bytes, mode, sink))
      : this.written(path, data, mode, sink);
  }

  /** A small file's content, written whole. */
  private written(
    path: string,
    bytes: Uint8Array,
    mode: number,
    sink?: ContentSink,
  ): Promise<void> | undefined {
    const wait = this.fs.writeFile(path, bytes, mode);
    this.made.set(path, mode);
    sink?.update(bytes);
    sink?.end();
    passed(bytes.length);
    return wait ?? undefined;
  }

  /** A large file's content, written here chunk by chunk once its folder surely exists. */
  private async streamed(
    path: string,
    stream: () => AsyncIterable<Uint8Array>,
    mode: number,
    sink?: ContentSink,
  ): Promise<void> {
    this.made.set(path, mode);
    await this.fs.settled();
    await writeStream(path, stream(), mode, sink);
    sink?.end();
  }

  private ensureDir(path: string, name: string) {
    const there = this.made.get(path);
    if (there === "dir") return;
    if (there !== undefined) {
      throw new BadArchive(`'${name}' conflicts with an earlier file entry`);
    }
    this.ensureDir(parentOf(path), name);
    this.fs.mkdir(path);
    this.made.set(path, "dir");
  }

  /** Where an entry lands (components below the root), or undefined for the root. */
  private locate(name: string, parts: string[]): string[] | undefined {
    // Without links and `..` the parts are where the entry lands (wheels).
    if (!this.links.size && !parts.includes("..")) {
      return parts.length ? parts : undefined;
    }
    const r = resolveInside([], parts, this.links, false);
    if (!r) throw outside(name, this.file);
    return r.parts.length ? r.parts : undefined;
  }

  private dropLink(at: string[]) {
    const key = at.join("/");
    if (!this.links.delete(key)) return;
    const i = this.pendingLinks.findIndex((l) => l.at.join("/") === key);
    if (i >= 0) this.pendingLinks.splice(i, 1);
  }

  /** A later member replaces an earlier file of the same name, never a folder. */
  private clear(path: string, name: string) {
    const there = this.made.get(path);
    if (there === undefined) return;
    if (there === "dir") {
      throw new BadArchive(`'${name}' conflicts with an earlier folder entry`);
    }
    this.fs.remove(path);
    this.made.delete(path);
  }

  /** Create the symlinks, apply folder modes; return the folder to move into place. */
  finish(strip: boolean, kind: ArchiveKind): string {
    let floor = 0;
    let root = this.root;
    if (strip) {
      const [top] = this.tops;
      const isDir = top !== undefined &&
        this.made.get(join(this.root, top)) === "dir" &&
        !this.links.has(top);
      if (this.tops.size !== 1 || !isDir) {
        throw new UserError(
          `Cannot strip the top-level folder of ${this.file}: it does not hold exactly one folder at its root.`,
        );
      }
      floor = 1;
      root = join(this.root, top);
    }
    for (const l of this.pendingLinks) {
      const r: Resolved | undefined = resolveInside(
        l.at.slice(0, -1),
        splitEntryName(l.target)!,
        this.links,
        true,
      );
      if (!r || r.minDepth < floor) throw outside(l.name, this.file);
      const path = join(this.root, ...l.at);
      if (this.made.has(path)) {
        throw invalid(
          this.file,
          kind,
          `'${l.name}' conflicts with an earlier entry`,
        );
      }
      this.fs.symlink(l.target, path);
    }
    const dirs = [...this.dirModes].sort((a, b) => b[0].length - a[0].length);
    for (const [path, mode] of dirs) this.fs.chmod(path, mode | 0o700);
    return root;
  }
}

/** Write a large member chunk by chunk: never whole in memory. */
async function writeStream(
  path: string,
  chunks: AsyncIterable<Uint8Array>,
  mode: number,
  sink?: ContentSink,
): Promise<void> {
  const f = Deno.openSync(path, { write: true, create: true, truncate: true });
  try {
    for await (const chunk of chunks) {
      for (let n = 0; n < chunk.length;) {
        n += f.writeSync(chunk.subarray(n));
      }
      sink?.update(chunk);
      passed(chunk.length);
    }
  } catch (e) {
    f.close();
    Deno.removeSync(path);
    throw e;
  }
  f.close();
  Deno.chmodSync(path, mode);
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
