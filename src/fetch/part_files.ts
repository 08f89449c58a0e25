/**
 * The names of files being downloaded: `.<name>.part-<random>` beside their
 * target, renamed into place when complete, swept when a killed run left them.
 *
 * @module
 */

import { basename, dirname, join } from "../path.ts";

/**
 * The temporary name used beside `target` while downloading.
 *
 * @example
 * ```ts
 * tempNameFor("/c/dist/demo-0.2.zip"); // "/c/dist/.demo-0.2.zip.part-3f9a0c1d"
 * ```
 */
export function tempNameFor(target: string): string {
  const rnd = crypto.getRandomValues(new Uint8Array(4));
  const hex = [...rnd].map((b) => b.toString(16).padStart(2, "0")).join("");
  return join(dirname(target), `.${basename(target)}.part-${hex}`);
}

/**
 * Whether a directory entry is a temporary download (from {@link tempNameFor}).
 *
 * @example
 * ```ts
 * isTempName(".demo-0.2.zip.part-3f9a0c1d"); // true
 * ```
 */
export function isTempName(name: string): boolean {
  return name.startsWith(".") && /\.part-[0-9a-z]+$/.test(name);
}
