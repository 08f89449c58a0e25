/**
 * Listing what an eggs directory holds.
 *
 * @module
 */

import { join } from "../path.ts";
import type { MarkerEnv } from "../pypa/markers.ts";
import { type InstalledDist, readInstalledDist } from "./metadata.ts";
import { eggFacts } from "./facts.ts";

/**
 * The distributions installed in `dir` (egg folders named
 * `<name>-<version>[-py<X.Y>[-<platform>]].egg`), listed once. Hidden entries
 * (our `.tmp-*` build folders), zipped `.egg` files and unparsable names are
 * ignored; a missing directory holds nothing. Metadata is read on first use,
 * or taken from what an earlier run of buildout `owner` (its directory)
 * remembered (`facts.ts`).
 *
 * @example
 * ```ts
 * const dists = await scanEggsDirectory("/b/eggs", interp);
 * dists.map((d) => `${d.key} ${d.version}`); // ["demo 0.2", "demoneeded 1.1"]
 * ```
 */
export async function scanEggsDirectory(
  dir: string,
  interp: { markerEnv: MarkerEnv },
  owner?: string,
): Promise<InstalledDist[]> {
  const out: InstalledDist[] = [];
  const facts = eggFacts(dir, owner);
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(".") || !e.name.endsWith(".egg")) continue;
      if (!e.isDirectory) continue;
      const d = readInstalledDist(
        join(dir, e.name),
        interp.markerEnv,
        undefined,
        facts,
      );
      if (d) out.push(d);
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return out.sort((a, b) =>
    a.location < b.location ? -1 : a.location > b.location ? 1 : 0
  );
}
