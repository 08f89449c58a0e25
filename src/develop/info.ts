/**
 * Which sources are develop eggs: the `develop` entries of the configuration,
 * then every checked-out egg source that is activated (`.mr.developer.cfg`)
 * or, with no recorded state, in `auto-checkout`.
 *
 * @module
 */
import { basename } from "node:path";
import type { DevelopConfig } from "./sources.ts";
import type { DevelopState } from "./state.ts";

/** The result of {@link developInfo}. */
export interface DevelopInfo {
  /** Develop egg name (folder name for configured entries) -> path. */
  develeggs: Map<string, string>;
  /** The entries mr.developer adds to `[buildout] develop` (relative to the buildout folder when inside it). */
  added: string[];
  /** Source names whose version pins no longer apply. */
  unpinned: string[];
}

/**
 * Compute the develop eggs; records `auto` for auto-checkout sources in
 * `state`, and forgets an `auto` state whose source left auto-checkout.
 *
 * @example
 * ```ts
 * developInfo(cfg, state.develop, "", existsSync).added; // ["src/pkg"]
 * ```
 */
export function developInfo(
  cfg: DevelopConfig,
  state: Map<string, DevelopState>,
  develop: string,
  exists: (path: string) => boolean,
): DevelopInfo {
  const develeggs = new Map<string, string>();
  for (const path of develop.split(/\s+/).filter(Boolean)) {
    develeggs.set(basename(path.replace(/\/+$/, "")), path);
  }
  const added: string[] = [];
  const unpinned: string[] = [];
  for (const [name, source] of cfg.sources) {
    if (!source.egg || develeggs.has(name)) continue;
    const auto = cfg.autoCheckout.has(name);
    const status = state.has(name) ? state.get(name) : auto;
    if (!status || !exists(source.path)) continue;
    if (auto) {
      if (!state.has(name)) state.set(name, "auto");
    } else if (status === "auto") {
      state.delete(name);
      continue;
    } else if (!state.has(name)) state.set(name, true);
    develeggs.set(name, source.path);
    const prefix = cfg.directory + "/";
    added.push(
      source.path.startsWith(prefix)
        ? source.path.slice(prefix.length)
        : source.path,
    );
    unpinned.push(name);
  }
  return { develeggs, added, unpinned };
}
