/**
 * `[buildout] extensions`: not supported yet, so naming any is a clear error rather than
 * being silently ignored (zc.buildout would install and call them before installing parts).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Buildout } from "../config/buildout.ts";

/** Extensions whose job zc.buildout itself took over (its own message). */
const SUPERSEDED = ["buildout-versions", "buildout.dumppickedversions"];

/**
 * Check `buildout:extensions`: empty passes; a superseded extension gets buildout's message;
 * anything else is `Extensions are not supported yet: cannot load 'x'`.
 *
 * @example
 * ```ts
 * loadExtensions(open.buildout); // throws when extensions = mr.developer
 * ```
 */
export function loadExtensions(buildout: Buildout): void {
  const specs = (buildout.section("buildout").get("extensions") ?? "")
    .split(/\s+/).filter(Boolean);
  if (specs.some((s) => SUPERSEDED.includes(s))) {
    throw new UserError(
      "Buildout now includes 'buildout-versions' (and part of the older " +
        "'buildout.dumppickedversions').\n" +
        "Remove the extension from your configuration and look at the " +
        "'show-picked-versions' option in buildout's documentation.",
    );
  }
  if (specs.length) {
    throw new UserError(
      `Extensions are not supported yet: cannot load ${
        specs.map((s) => `'${s}'`).join(", ")
      }`,
    );
  }
}
