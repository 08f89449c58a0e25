/**
 * State shared by every egg part of one run: one finder per (find-links,
 * index) pair, the eggs directory scanned once, the picked versions.
 *
 * @module
 */

import type { Settings } from "../config/settings.ts";
import { DistCache } from "../fetch/cache.ts";
import { isTempName } from "../fetch/http.ts";
import { PageCache } from "../fetch/pages.ts";
import { sweepStale } from "../fsutil.ts";
import { Finder, hostAllowed, ReadMemo } from "../find/finder.ts";
import { PickedVersions } from "../find/versions.ts";
import { getInterpreter, type Interpreter } from "../python/interpreter.ts";
import { join } from "../path.ts";
import { scanDevelopEggs } from "../install/develop.ts";
import type { SdistBuilds } from "../install/builds.ts";
import type { ExtractLimits } from "../extract/limits.ts";
import type { InstalledDist } from "../install/metadata.ts";
import { scanEggsDirectory } from "../install/scan.ts";
import { DigestMemo } from "../fetch/digest.ts";
import { checkFileHash } from "./hashcheck.ts";
import { openSharedTier, type SharedTier } from "../fetch/shared_tier.ts";

/** One run's shared lookup state. */
export interface Session {
  picked: PickedVersions;
  distCache?: DistCache;
  /**
   * The shared download cache (`shared-cache`); never under offline or
   * install-from-cache, which make no request at all.
   */
  shared?: SharedTier;
  /** Finder for a (find-links, index) pair; undefined in offline mode. */
  finder(
    findLinks: string[],
    index: string,
    interp: Interpreter,
  ): Finder | undefined;
  /** Installed distributions by normalised name; scanned once, then kept up to date. */
  installed(interp: Interpreter): Promise<Map<string, InstalledDist[]>>;
  /** Develop eggs (`develop-eggs/*.egg-link`) by normalised name. */
  develop(interp: Interpreter): Map<string, InstalledDist>;
  /**
   * The sdist builds of the run for `interp`, through the built cache
   * `<download-cache>/built`, made on the first call of the function
   * returned; none without a download cache.
   */
  builds(
    interp: Interpreter,
    limits?: ExtractLimits,
  ): (() => Promise<SdistBuilds>) | undefined;
  /** The target Python (`executable`), asked once and remembered beside the eggs. */
  interpreter(): Promise<Interpreter>;
  /** Every finder made so far in this run (what `buildout lock` asks for files). */
  finders(): Finder[];
  /** File digests of this run (require-hashes, `buildout lock`). */
  digests: DigestMemo;
  /** `install` preceded by the require-hashes check of the file. */
  guarded<T>(
    install: (file: string) => Promise<T>,
  ): (file: string) => Promise<T>;
}

const sessions = new WeakMap<Settings, Session>();

/**
 * The session of the run that `settings` belongs to (created on first use).
 *
 * @example
 * ```ts
 * const s = session(settings);
 * const finder = s.finder(["http://127.0.0.1:8000/"], settings.index, interp);
 * ```
 */
export function session(settings: Settings): Session {
  let s = sessions.get(settings);
  if (s) return s;
  const finders = new Map<string, Finder>();
  const reads = new ReadMemo();
  let installed: Promise<Map<string, InstalledDist[]>> | undefined;
  let develop: Map<string, InstalledDist> | undefined;
  const builds = new Map<string, () => Promise<SdistBuilds>>();
  const shared = settings.sharedCache && !settings.offline &&
      !settings.installFromCache
    ? openSharedTier(settings.sharedCache, {
      push: settings.sharedCachePush ?? false,
      log: settings.log,
      timeoutSeconds: settings.timeoutSeconds,
    })
    : undefined;
  const distCache = settings.downloadCache
    ? new DistCache(`${settings.downloadCache}/dist`, {
      allowUrl: (u) => hostAllowed(u, settings.allowHosts),
      timeoutSeconds: settings.timeoutSeconds,
      // Retries at debug level; -q (a level above INFO) hides the progress bar.
      log: settings.log,
    }, shared)
    : undefined;
  // Beside the eggs, like the interpreter answers: the download cache holds
  // dist/ alone, as zc.buildout's does.
  const pageCache = new PageCache(join(settings.eggsDirectory, ".pages"));
  const digests = new DigestMemo();
  s = {
    picked: new PickedVersions(),
    digests,
    finders: () => [...finders.values()],
    guarded: (install) => async (file) => {
      await checkFileHash(file, settings, digests);
      return await install(file);
    },
    distCache,
    shared,
    finder(findLinks, index, interp) {
      if (settings.offline) return undefined;
      const key = JSON.stringify([findLinks, index]);
      let f = finders.get(key);
      if (!f) {
        f = new Finder({
          findLinks,
          index,
          allowHosts: settings.allowHosts,
          distCache,
          installFromCache: settings.installFromCache,
          interpreter: interp,
          timeoutSeconds: settings.timeoutSeconds,
          maxPageBytes: settings.maxPageSize,
          log: settings.log,
          reads,
          pageCache,
        });
        finders.set(key, f);
      }
      return f;
    },
    develop(interp) {
      return develop ??= scanDevelopEggs(
        settings.developEggsDirectory,
        interp.markerEnv,
      );
    },
    builds(interp, limits) {
      if (!settings.downloadCache) return undefined;
      let b = builds.get(interp.executable);
      if (!b) {
        // In the download cache (so bundles carry it) only when asked: by
        // default that cache holds dist/ alone, as zc.buildout's does.
        const dir = settings.cacheBuilds
          ? join(settings.downloadCache, "built")
          : join(settings.eggsDirectory, ".built");
        sweepStale(dir, (n) => n.startsWith(".tmp-"));
        // The build code is loaded with the first sdist to build.
        let made: Promise<SdistBuilds> | undefined;
        b = () =>
          made ??= import("../install/builds.ts").then((m) =>
            new m.SdistBuilds({ dir, target: interp, limits })
          );
        builds.set(interp.executable, b);
      }
      return b;
    },
    interpreter() {
      return getInterpreter(settings.executable, {
        cacheDir: join(settings.eggsDirectory, ".interpreters"),
        userCacheDir: settings.userCacheDir &&
          join(settings.userCacheDir, "interpreters"),
        cwd: settings.directory,
      });
    },
    installed(interp) {
      return installed ??= (async () => {
        // Leftovers of killed runs: unfinished installs and downloads.
        sweepStale(settings.eggsDirectory, (n) => n.startsWith(".tmp-"));
        if (distCache) sweepStale(distCache.dir, isTempName);
        if (pageCache) sweepStale(pageCache.dir, isTempName);
        const map = new Map<string, InstalledDist[]>();
        for (
          const d of await scanEggsDirectory(settings.eggsDirectory, interp)
        ) {
          map.set(d.key, [...(map.get(d.key) ?? []), d]);
        }
        return map;
      })();
    },
  };
  sessions.set(settings, s);
  return s;
}
