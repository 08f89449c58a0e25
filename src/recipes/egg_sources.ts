/**
 * Where an egg-using part looks for distributions: its own `find-links` and
 * `index`, else `[buildout]`'s, recorded as zc.recipe.egg records them
 * (`find-links` only when there are some, `index` only when configured).
 *
 * @module
 */
import type { Options } from "../config/buildout.ts";
import type { Settings } from "../config/settings.ts";

/** A part's find-links and index. */
export interface PartSources {
  findLinks: string[];
  index: string;
}

/**
 * Read (and record on the part) its find-links and index.
 *
 * @example
 * ```ts
 * const { findLinks, index } = partSources(options, buildout.section("buildout"), settings);
 * ```
 */
export function partSources(
  options: Options,
  b: Options,
  settings: Settings,
): PartSources {
  const links = options.get("find-links") ?? b.get("find-links");
  const findLinks = links === undefined
    ? settings.findLinks
    : links.split(/\s+/).filter(Boolean);
  if (findLinks.length) options.set("find-links", findLinks.join("\n"));
  const index = options.get("index") ?? b.get("index");
  if (index !== undefined) options.set("index", index);
  return { findLinks, index: (index ?? "").trim() || settings.index };
}
