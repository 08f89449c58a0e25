/**
 * Installing what bridged recipes need through the project's own resolver:
 * the recipe distribution itself and whatever `zc.buildout.easy_install`
 * asks for, with `[versions]`, picked versions, the download cache and the
 * offline / install-from-cache rules of the run. `zc.buildout`,
 * `zc.recipe.egg` and `setuptools` are provided (the compatibility layer and
 * the target Python), never fetched.
 *
 * @module
 */
import { resolveWorkingSet } from "../resolve/working_set.ts";
import type { Settings } from "../config/settings.ts";
import type { Requirement } from "../pypa/requirement.ts";
import { normalizeName } from "../pypa/name.ts";
import type { InstalledDist } from "../install/metadata.ts";

/** Projects the bridge provides itself. */
export const PROVIDED = new Set(["zc-buildout", "zc-recipe-egg", "setuptools"]);

function provided(req: Requirement, folder: string): InstalledDist {
  // The version asked for (a pin applies as `==`), so the requirement holds.
  const exact = /^\s*===?\s*([^,\s]+)\s*$/.exec(req.specifier ?? "");
  return {
    name: req.name,
    key: normalizeName(req.name),
    version: exact?.[1] ?? "0",
    location: folder,
    requires: () => [],
    entryPoints: () => ({}),
    extras: () => [],
    problems: () => [],
    remember: (_field, compute, _valid) => compute(),
    // never reported as picked
    develop: true,
  };
}

/** Where to look: find-links and index (the `[buildout]` ones by default). */
export interface Sources {
  findLinks: string[];
  index: string;
}

/**
 * Resolve and install `requirements`; the working set in resolution order
 * (provided projects left out).
 *
 * @example
 * ```ts
 * const ws = await installWorkingSet(settings, [parseRequirement("myrecipe")], folder);
 * ws[0].entryPoints("zc.buildout"); // { default: "myrecipe:Recipe" }
 * ```
 */
export async function installWorkingSet(
  settings: Settings,
  requirements: Requirement[],
  folder: string,
  sources: Sources = settings,
): Promise<InstalledDist[]> {
  const ws = await resolveWorkingSet(settings, requirements, {
    findLinks: sources.findLinks,
    index: sources.index,
    provide: (req) =>
      PROVIDED.has(normalizeName(req.name)) ? provided(req, folder) : undefined,
  });
  return ws.filter((d) => !PROVIDED.has(d.key));
}
