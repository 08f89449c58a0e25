/**
 * Small file helpers shared by the distribution cache and the download
 * utility: atomic copies and hard links with a copy fallback.
 *
 * @module
 */

import { tempNameFor } from "./part_files.ts";
import { exists } from "../fsutil.ts";

/**
 * Copy a file or directory tree to `dest` through a temporary name beside it,
 * so `dest` only ever appears complete. An existing `dest` is replaced.
 *
 * @example
 * ```ts
 * await copyAtomic("/src/find-links/demo-0.2.zip", "/cache/dist/demo-0.2.zip");
 * ```
 */
export async function copyAtomic(src: string, dest: string): Promise<void> {
  const temp = tempNameFor(dest);
  try {
    const info = await Deno.stat(src);
    if (info.isDirectory) {
      // Loaded here: node:fs costs start-up time every run otherwise.
      const { cp } = await import("node:fs/promises");
      await cp(src, temp, { recursive: true, preserveTimestamps: true });
      if (await exists(dest)) await Deno.remove(dest, { recursive: true });
    } else {
      await Deno.copyFile(src, temp);
      const file = await Deno.open(temp, { write: true });
      try {
        await file.sync();
      } finally {
        file.close();
      }
    }
    await Deno.rename(temp, dest);
  } catch (err) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw err;
  }
}

/**
 * Make `dest` a hard link to the file `src`; copy when linking is impossible
 * (other file system, `dest` exists) and for directories.
 *
 * @example
 * ```ts
 * await linkOrCopy("/cache/downloads/tool.tgz", "/buildout/parts/tool.tgz");
 * ```
 */
export async function linkOrCopy(src: string, dest: string): Promise<void> {
  if ((await Deno.stat(src)).isFile) {
    try {
      await Deno.link(src, dest);
      return;
    } catch {
      // fall back to a copy
    }
  }
  await copyAtomic(src, dest);
}
