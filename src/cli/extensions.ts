/**
 * `[buildout] extensions`: `mr.developer` is built in (src/develop/); naming
 * any other extension is a clear error rather than being silently ignored
 * (zc.buildout would install and call it before installing parts).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { LEVELS, Logger, type Sink } from "../log.ts";
import { Buildout } from "../config/buildout.ts";
import type { RawConfig } from "../config/types.ts";
import type { OpenBuildout } from "../parts/open.ts";
import {
  annotateMrDeveloper,
  type ExtensionRun,
  runMrDeveloper,
} from "../develop/extension.ts";

/** Extensions whose job zc.buildout itself took over (its own message). */
const SUPERSEDED = ["buildout-versions", "buildout.dumppickedversions"];
/** The extensions built in. */
export const BUILT_IN_EXTENSIONS = ["mr.developer"];

function specsOf(value: string | undefined): string[] {
  return (value ?? "").split(/\s+/).filter(Boolean);
}

/**
 * Check `buildout:extensions` and run the built-in ones: empty passes; a
 * superseded extension gets buildout's message; `mr.developer` runs; anything
 * else is `Extensions are not supported yet: cannot load 'x'`. Returns what
 * to run after the parts are installed.
 *
 * @example
 * ```ts
 * const after = await loadExtensions(open, { buildoutArgs: [], env: {} });
 * ```
 */
export async function loadExtensions(
  open: OpenBuildout,
  run: ExtensionRun,
): Promise<(() => Promise<void>)[]> {
  const specs = specsOf(open.buildout.section("buildout").get("extensions"));
  if (specs.some((s) => SUPERSEDED.includes(s))) {
    throw new UserError(
      "Buildout now includes 'buildout-versions' (and part of the older " +
        "'buildout.dumppickedversions').\n" +
        "Remove the extension from your configuration and look at the " +
        "'show-picked-versions' option in buildout's documentation.",
    );
  }
  const unknown = specs.filter((s) => !BUILT_IN_EXTENSIONS.includes(s));
  if (unknown.length) {
    throw new UserError(
      `Extensions are not supported yet: cannot load ${
        unknown.map((s) => `'${s}'`).join(", ")
      }`,
    );
  }
  const after: (() => Promise<void>)[] = [];
  if (specs.includes("mr.developer")) {
    after.push(await runMrDeveloper(open, run));
  }
  return after;
}

/**
 * For `annotate`: record what the built-in extensions add to the
 * configuration (mr.developer's `develop` entries), without side effects.
 *
 * @example
 * ```ts
 * await annotateExtensions(raw, io.stderr);
 * ```
 */
export async function annotateExtensions(
  raw: RawConfig,
  sink: Sink,
): Promise<void> {
  if (!raw.get("buildout")?.get("extensions")?.value.trim()) return;
  const buildout = new Buildout(raw);
  if (
    !specsOf(buildout.section("buildout").get("extensions"))
      .includes("mr.developer")
  ) return;
  await annotateMrDeveloper(raw, buildout, new Logger(LEVELS.WARNING, sink));
}
