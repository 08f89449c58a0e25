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
import type { Settings } from "../config/settings.ts";
import { extractLimits } from "../parts/settings.ts";
import type { Requirement } from "../pypa/requirement.ts";
import { normalizeName } from "../pypa/name.ts";
import { installArtifact } from "../install/install.ts";
import type { InstalledDist } from "../install/metadata.ts";
import { resolve } from "../resolve/resolver.ts";
import { makeObtain } from "../resolve/obtain.ts";
import { session } from "../resolve/session.ts";

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
  const interp = await session(settings).interpreter();
  const s = session(settings);
  const { findLinks, index } = sources;
  const { obtain, prefetch } = makeObtain({
    interpreter: interp,
    installed: await s.installed(interp),
    develop: s.develop(interp),
    finder: s.finder(findLinks, index, interp),
    dependencyLinks: settings.useDependencyLinks && !settings.installFromCache
      ? { findLinks, finder: (links) => s.finder(links, index, interp) }
      : undefined,
    distCache: s.distCache,
    preferFinal: settings.preferFinal,
    newest: settings.newest,
    offline: settings.offline,
    installFromCache: settings.installFromCache,
    timeoutSeconds: settings.timeoutSeconds,
    install: s.guarded((file) =>
      installArtifact(
        file,
        settings.eggsDirectory,
        interp,
        settings.log,
        extractLimits(settings),
      )
    ),
    log: settings.log,
  });
  const ws = await resolve(requirements, {
    pins: settings.versions,
    markerEnv: interp.markerEnv,
    allowUnknownExtras: settings.allowUnknownExtras,
    allowPickedVersions: settings.allowPickedVersions,
    picked: s.picked,
    obtain: (req) =>
      PROVIDED.has(normalizeName(req.name))
        ? Promise.resolve(provided(req, folder))
        : obtain(req),
    prefetch: (req) => {
      if (!PROVIDED.has(normalizeName(req.name))) prefetch?.(req);
    },
    log: settings.log,
  });
  return ws.filter((d) => !PROVIDED.has(d.key));
}
