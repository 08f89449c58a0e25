/**
 * The part of a run's session that reaches for distributions elsewhere: the
 * finders (one per find-links and index pair), the download cache and the
 * shared one. Loaded by the first lookup that cannot be answered from the
 * eggs directory, so a run that finds everything installed (a no-op) does not
 * load the page, cache and registry code.
 *
 * @module
 */

import type { Settings } from "../config/settings.ts";
import { DistCache } from "../fetch/cache.ts";
import { PageCache } from "../fetch/pages.ts";
import { Finder, hostAllowed, ReadMemo } from "../find/finder.ts";
import type { Interpreter } from "../python/interpreter.ts";
import { join } from "../path.ts";
import { openSharedTier, type SharedTier } from "../fetch/shared_tier.ts";

/** Where a run looks for distributions it does not have. */
export interface Network {
  /** The download cache (`download-cache`), if any. */
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
  /** Every finder made so far in this run (what `buildout lock` asks for files). */
  finders(): Finder[];
}

/**
 * The network side of the run `settings` belongs to.
 *
 * @example
 * ```ts
 * const net = openNetwork(settings);
 * net.finder(["http://127.0.0.1:8000/"], settings.index, interp);
 * ```
 */
export function openNetwork(settings: Settings): Network {
  const finders = new Map<string, Finder>();
  const reads = new ReadMemo();
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
  return {
    distCache,
    shared,
    finders: () => [...finders.values()],
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
  };
}
