/**
 * The one way a part gets a working set: resolve requirements with the
 * `[buildout]` rules (pins, picked versions, prefer-final, unknown extras),
 * obtaining each distribution through the run's finders, download cache and
 * sdist builds, and installing it into the eggs directory.
 *
 * @module
 */
import type { Settings } from "../config/settings.ts";
import { extractLimits } from "../extract/limits.ts";
import { EarlyWheels } from "../install/early_wheels.ts";
import { WheelPool } from "../install/wheel_pool.ts";
import type { InstalledDist } from "../install/metadata.ts";
import type { Requirement } from "../pypa/requirement.ts";
import { makeObtain } from "./obtain.ts";
import { resolve } from "./resolver.ts";
import { session } from "./session.ts";

/** Where to look, and how a caller may stand in for some projects. */
export interface WorkingSetOptions {
  /** find-links of the part (default `[buildout]`'s). */
  findLinks?: string[];
  /** index of the part (default `[buildout]`'s). */
  index?: string;
  /**
   * Answers for projects the caller provides itself (e.g. zc.buildout for
   * Python recipes): a distribution, or `undefined` to obtain it as usual.
   */
  provide?: (req: Requirement) => InstalledDist | undefined;
}

/**
 * Resolve and install `requirements`; the working set in resolution order.
 *
 * @example
 * ```ts
 * const ws = await resolveWorkingSet(settings, [parseRequirement("demo")]);
 * ws.map((d) => `${d.name} ${d.version}`); // ["demo 0.3", "demoneeded 1.1"]
 * ```
 */
export async function resolveWorkingSet(
  settings: Settings,
  requirements: Requirement[],
  o: WorkingSetOptions = {},
): Promise<InstalledDist[]> {
  const interp = await session(settings).interpreter();
  const limits = extractLimits(settings);
  // Wheels of this resolution are unpacked ahead, on every core; closed below,
  // so no worker writes after the resolution ends (however it ends). The
  // writer thread (~11 MiB) only where nothing is downloaded: there unpacking
  // is the run's critical path; a run that downloads waits for the network
  // and keeps its memory (issue 12: a cold install under 100 MiB).
  const wheels = new EarlyWheels(
    settings.eggsDirectory,
    interp,
    limits,
    new WheelPool(downloadsNothing(settings, o) ? {} : { writerBacklog: 0 }),
  );
  try {
    return await resolveWith(settings, requirements, o, wheels);
  } finally {
    await wheels.close();
  }
}

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/** A find-links entry or index that is a folder or file here (a path or a `file:` URL). */
function isLocalSource(entry: string): boolean {
  return !URL_SCHEME.test(entry) || /^file:/i.test(entry);
}

/**
 * Whether a resolution downloads nothing: install-from-cache, offline, or
 * every find-links entry and the index local (paths or `file:` URLs). Only
 * such runs may start the writer thread.
 *
 * @example
 * ```ts
 * downloadsNothing({ ...settings, installFromCache: true }, {}); // true
 * downloadsNothing(settings, { index: "https://pypi.org/simple/" }); // false
 * ```
 */
export function downloadsNothing(
  settings: Pick<
    Settings,
    "installFromCache" | "offline" | "index" | "findLinks"
  >,
  o: Pick<WorkingSetOptions, "index" | "findLinks">,
): boolean {
  return settings.installFromCache || settings.offline ||
    [o.index ?? settings.index, ...(o.findLinks ?? settings.findLinks)]
      .every(isLocalSource);
}

async function resolveWith(
  settings: Settings,
  requirements: Requirement[],
  o: WorkingSetOptions,
  wheels: EarlyWheels,
): Promise<InstalledDist[]> {
  const findLinks = o.findLinks ?? settings.findLinks;
  const index = o.index ?? settings.index;
  const s = session(settings);
  const interp = await s.interpreter();
  const limits = extractLimits(settings);
  const builds = s.builds(interp, limits);
  const { obtain, prefetch, lookAhead } = makeObtain({
    interpreter: interp,
    installed: await s.installed(interp),
    develop: s.develop(interp),
    network: async () => {
      const n = await s.network();
      return {
        finder: n.finder(findLinks, index, interp),
        linksFinder: (links) => n.finder(links, index, interp),
        distCache: n.distCache,
        shared: n.shared,
      };
    },
    dependencyLinks: settings.useDependencyLinks && !settings.installFromCache
      ? findLinks
      : undefined,
    preferFinal: settings.preferFinal,
    newest: settings.newest,
    offline: settings.offline,
    installFromCache: settings.installFromCache,
    timeoutSeconds: settings.timeoutSeconds,
    // A build runs the sdist's own code: under require-hashes only once the
    // file has passed its check (a refused file is reported at install).
    prebuild: builds && ((file) => {
      s.guarded(async (f) => (await builds()).start(f))(file).catch(() => {});
    }),
    preinstall: (file) => {
      s.guarded((f) => Promise.resolve(wheels.start(f)))(file).catch(() => {});
    },
    // Under require-hashes every file is checked before it is installed.
    // The install code is loaded with the first distribution to install: a
    // run that installs nothing (a no-op) does not load it.
    install: s.guarded(async (file) => {
      const { installArtifact } = await import("../install/install.ts");
      return await installArtifact(
        file,
        settings.eggsDirectory,
        interp,
        settings.log,
        limits,
        undefined,
        builds && await builds(),
        wheels,
      );
    }),
    log: settings.log,
  });
  const provide = o.provide;
  return await resolve(requirements, {
    pins: settings.versions,
    markerEnv: interp.markerEnv,
    allowUnknownExtras: settings.allowUnknownExtras,
    allowPickedVersions: settings.allowPickedVersions,
    picked: s.picked,
    obtain: provide
      ? (req) => {
        const d = provide(req);
        return d ? Promise.resolve(d) : obtain(req);
      }
      : obtain,
    prefetch: provide
      ? (req) => {
        if (!provide(req)) prefetch?.(req);
      }
      : prefetch,
    lookAhead: provide
      ? {
        installed: (req) => provide(req) ?? lookAhead.installed(req),
        page: (req) => {
          if (!provide(req)) lookAhead.page(req);
        },
      }
      : lookAhead,
    log: settings.log,
  });
}
