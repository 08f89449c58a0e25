/**
 * Installing a `.egg`: a zipped egg is unpacked into a folder of the same
 * name; an egg folder is copied.
 *
 * @module
 */

import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { extractArchive } from "../extract/archive.ts";
import { copyTree, exists } from "../fsutil.ts";
import { readEggInfoFile } from "./metadata.ts";
import type { ExtractLimits } from "../extract/limits.ts";
import type { Built } from "./wheel.ts";

/**
 * Unpack (or copy) the egg `file` into `work`; the folder keeps the file's name.
 * An egg without `EGG-INFO/PKG-INFO` is refused.
 *
 * @example
 * ```ts
 * const built = await buildFromEgg("/cache/dist/demo-0.2-py3.11.egg", work);
 * built.folderName; // "demo-0.2-py3.11.egg"
 * ```
 */
export async function buildFromEgg(
  file: string,
  work: string,
  limits?: ExtractLimits,
): Promise<Built> {
  const name = basename(file);
  const dir = join(work, name);
  const st = await Deno.stat(file);
  if (st.isDirectory) await copyTree(file, dir);
  else await extractArchive(file, dir, { limits });
  if (!await exists(join(dir, "EGG-INFO", "PKG-INFO"))) {
    throw new UserError(
      `${name} is not a valid egg: it has no EGG-INFO/PKG-INFO.`,
    );
  }
  const meta = await readEggInfoFile(join(dir, "EGG-INFO"));
  return { dir, folderName: name, name: meta.name, version: meta.version };
}
