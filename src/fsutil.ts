/**
 * Small file-system helpers shared by the pipeline stages.
 *
 * @module
 */

import { basename, dirname, join } from "./path.ts";

/**
 * Whether `path` exists (without following a final symlink).
 *
 * @example
 * ```ts
 * if (await exists("/eggs/demo-0.2-py3.11.egg")) console.log("there");
 * ```
 */
export function exists(path: string): Promise<boolean> {
  return Promise.resolve(existsSync(path));
}

/**
 * Synchronous {@link exists}: on the install path, local file-system calls are
 * cheaper done directly than as async round trips.
 *
 * @example
 * ```ts
 * existsSync("/eggs/demo-0.2-py3.11.egg"); // false
 * ```
 */
export function existsSync(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (e) {
    // A path below a file does not exist either.
    if (e instanceof Deno.errors.NotFound) return false;
    if (e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}

/**
 * Move every entry of folder `from` into folder `to` (created when missing),
 * merging sub-folders that exist on both sides; a file replaces a file.
 * `from` is removed afterwards.
 *
 * @example
 * ```ts
 * await moveInto("/tmp/w/demo-1.0.data/purelib", "/tmp/w");
 * ```
 */
export async function moveInto(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const src = join(from, e.name);
    const dst = join(to, e.name);
    const there = await Deno.lstat(dst).catch(() => undefined);
    if (there?.isDirectory && e.isDirectory) await moveInto(src, dst);
    else {
      if (there) await Deno.remove(dst, { recursive: true });
      await Deno.rename(src, dst);
    }
  }
  await Deno.remove(from);
}

/**
 * Copy a folder tree (files keep their modes, symlinks are copied as links).
 *
 * @example
 * ```ts
 * await copyTree("/somewhere/demo-0.2-py3.11.egg", "/eggs/.tmp-x/demo-0.2-py3.11.egg");
 * ```
 */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    const src = join(from, e.name);
    const dst = join(to, e.name);
    if (e.isSymlink) await Deno.symlink(await Deno.readLink(src), dst);
    else if (e.isDirectory) await copyTree(src, dst);
    else await Deno.copyFile(src, dst);
  }
}

/**
 * Remove a path recursively; a missing path is fine.
 *
 * @example
 * ```ts
 * await removeTree("/eggs/.tmp-abc");
 * ```
 */
export function removeTree(path: string): Promise<void> {
  return Promise.resolve(removeTreeSync(path));
}

/**
 * Synchronous {@link removeTree}.
 *
 * @example
 * ```ts
 * removeTreeSync("/eggs/.tmp-abc");
 * ```
 */
export function removeTreeSync(path: string): void {
  try {
    Deno.removeSync(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** How old a leftover temporary entry must be before it is swept: a day. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Remove what killed runs left behind in `dir`: entries whose name `isTemp`
 * accepts and that are older than `maxAgeMs` (younger ones may belong to a run
 * going on right now). Returns the names removed; problems are ignored.
 *
 * @example
 * ```ts
 * sweepStale("/b/eggs", (n) => n.startsWith(".tmp-")); // [".tmp-3f9a0c1d"]
 * ```
 */
export function sweepStale(
  dir: string,
  isTemp: (name: string) => boolean,
  maxAgeMs = STALE_AFTER_MS,
  now = Date.now(),
): string[] {
  const removed: string[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (!isTemp(e.name)) continue;
      const path = join(dir, e.name);
      const mtime = Deno.lstatSync(path).mtime?.getTime() ?? now;
      if (now - mtime < maxAgeMs) continue;
      removeTreeSync(path);
      removed.push(e.name);
    }
  } catch {
    // a folder we cannot read or clean only keeps its leftovers
  }
  return removed.sort();
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** The file's mode, whatever the umask. */
  mode?: number;
  /** The temporary file's path (default: `.<name>.<random>.tmp` beside `path`). */
  temp?: string;
}

/**
 * Write `data` to `path` whole or not at all: into a temporary file beside
 * it, then renamed over it, so a reader (or a run after a kill) never sees
 * half a file. On failure the temporary file is removed and the error
 * rethrown.
 *
 * @example
 * ```ts
 * await writeFileAtomic("/b/bin/app", script, { mode: 0o755 });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  o: AtomicWriteOptions = {},
): Promise<void> {
  const tmp = o.temp ??
    join(
      dirname(path),
      `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
    );
  const mode = o.mode === undefined ? {} : { mode: o.mode };
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data, mode);
    else await Deno.writeFile(tmp, data, mode);
    // The umask applies to the mode a file is created with.
    if (o.mode !== undefined) await Deno.chmod(tmp, o.mode);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}
