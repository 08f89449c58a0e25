/**
 * One extraction's writes below a private root folder ({@link Extraction}),
 * fed the entries of an archive reader by `archive.ts`: path checks against
 * the archive's own links, folders made as needed, files with their modes,
 * symlinks and folder modes last. The errors it raises name the archive.
 *
 * @module
 */

import { join, normalize } from "node:path";
import { UserError } from "../errors.ts";
import { type Resolved, resolveInside, splitEntryName } from "./paths.ts";
import { type ArchiveKind, BadArchive, type RawEntry } from "./readers.ts";
import { passed } from "../memory.ts";
import { directWrites, type Writes } from "./writes.ts";

/**
 * Receives one extracted file's content, chunk by chunk.
 *
 * @example
 * ```ts
 * const sink: ContentSink = { update: (c) => hash.update(c), end: () => {} };
 * ```
 */
export interface ContentSink {
  update(chunk: Uint8Array): void;
  end(): void;
}

/**
 * A damaged or truncated archive: `<file> is not a valid <kind> archive: <reason>`.
 *
 * @example
 * ```ts
 * throw new InvalidArchiveError("/cache/x.whl", "zip", "truncated data");
 * ```
 */
export class InvalidArchiveError extends UserError {
  constructor(readonly file: string, kind: ArchiveKind, why: string) {
    super(`${file} is not a valid ${kind} archive: ${why}`);
  }
}

/**
 * An {@link InvalidArchiveError} as a `UserError`.
 *
 * @example
 * ```ts
 * throw invalid("/cache/x.whl", "zip", "'a' conflicts with an earlier entry");
 * ```
 */
export function invalid(
  file: string,
  kind: ArchiveKind,
  why: string,
): UserError {
  return new InvalidArchiveError(file, kind, why);
}

/**
 * `Refusing to extract '<entry>' from <file>: it points outside the destination.`
 *
 * @example
 * ```ts
 * throw outside("../evil", "/cache/x.tar.gz");
 * ```
 */
export function outside(entry: string, file: string): UserError {
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
 *
 * @example
 * ```ts
 * const x = new Extraction(work, file, excluder([]));
 * for (const entry of zipEntries(file, DEFAULT_LIMITS)) await x.add(entry);
 * x.finish(false, "zip");
 * ```
 */
export class Extraction {
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
