/**
 * Small file-system helpers shared by the pipeline stages.
 *
 * @module
 */

import { join } from "node:path";

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
