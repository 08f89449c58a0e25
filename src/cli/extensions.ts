/**
 * `[buildout] extensions`: `mr.developer` is built in (src/develop/); any
 * other extension is a Python distribution run by the recipe bridge
 * (src/bridge/extension.ts) before parts are chosen.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { LEVELS, Logger, type Sink } from "../log.ts";
import { Buildout } from "../config/buildout.ts";
import type { RawConfig } from "../config/types.ts";
import { type OpenBuildout, openBuildout } from "../parts/open.ts";
import type { ExtensionRun } from "../develop/extension.ts";

// Both loaded only when a buildout names an extension.
const bridge = () => import("../bridge/mod.ts");
const developer = () => import("../develop/extension.ts");

/** Extensions whose job zc.buildout itself took over (its own message). */
const SUPERSEDED = ["buildout-versions", "buildout.dumppickedversions"];
/** The extensions built in. */
export const BUILT_IN_EXTENSIONS = ["mr.developer"];

function specsOf(value: string | undefined): string[] {
  return (value ?? "").split(/\s+/).filter(Boolean);
}

/**
 * Check `buildout:extensions` and run them: empty passes; a superseded
 * extension gets buildout's message; Python extensions are installed and
 * run, then `mr.developer`. Returns what to run after the parts are
 * installed (the Python extensions' unload runs when the run ends).
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
  const after: (() => Promise<void>)[] = [];
  const python = specs.filter((s) => !BUILT_IN_EXTENSIONS.includes(s));
  if (python.length) await (await bridge()).loadPythonExtensions(open, python);
  if (specs.includes("mr.developer")) {
    after.push(await (await developer()).runMrDeveloper(open, run));
  }
  return after;
}

/**
 * For `annotate`: record what the extensions add to the configuration
 * (Python extensions are installed and run; mr.developer's `develop`
 * entries are computed without side effects).
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
  const specs = specsOf(buildout.section("buildout").get("extensions"));
  const python = specs.filter((s) =>
    !BUILT_IN_EXTENSIONS.includes(s) && !SUPERSEDED.includes(s)
  );
  if (python.length) {
    await (await bridge()).annotatePythonExtensions(
      await openBuildout(raw, { sink }),
      python,
    );
  }
  if (!specs.includes("mr.developer")) return;
  await (await developer()).annotateMrDeveloper(
    raw,
    buildout,
    new Logger(LEVELS.WARNING, sink),
  );
}
