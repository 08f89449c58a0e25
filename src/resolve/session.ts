/**
 * State shared by every egg part of one run: the eggs directory scanned once,
 * the picked versions, and its network side (finders and download caches,
 * `network.ts`), loaded when first needed.
 *
 * @module
 */

import type { Settings } from "../config/settings.ts";
import { isTempName } from "../fetch/part_files.ts";
import { sweepStale } from "../fsutil.ts";
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
import type { Network } from "./network.ts";

/** One run's shared lookup state. */
export interface Session {
  picked: PickedVersions;
  /**
   * The finders and download caches, loaded on first use: a run that needs
   * nothing it has not installed does not load them.
   */
  network(): Promise<Network>;
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
 * const finder = (await s.network()).finder(findLinks, settings.index, interp);
 * ```
 */
export function session(settings: Settings): Session {
  let s = sessions.get(settings);
  if (s) return s;
  let installed: Promise<Map<string, InstalledDist[]>> | undefined;
  let develop: Map<string, InstalledDist> | undefined;
  const builds = new Map<string, () => Promise<SdistBuilds>>();
  let network: Promise<Network> | undefined;
  const digests = new DigestMemo();
  s = {
    picked: new PickedVersions(),
    digests,
    network: () =>
      network ??= import("./network.ts").then((m) => m.openNetwork(settings)),
    guarded: (install) => async (file) => {
      await checkFileHash(file, settings, digests);
      return await install(file);
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
        if (settings.downloadCache) {
          sweepStale(join(settings.downloadCache, "dist"), isTempName);
        }
        sweepStale(join(settings.eggsDirectory, ".pages"), isTempName);
        const map = new Map<string, InstalledDist[]>();
        for (
          const d of await scanEggsDirectory(
            settings.eggsDirectory,
            interp,
            settings.directory,
          )
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
