/**
 * The scripts part of `zc.recipe.egg`: which console and distutils scripts to
 * write for a working set, and writing them (plus the interpreter) into `bin/`.
 *
 * @module
 */

import { join } from "../path.ts";
import { isScriptFiles, isTopLevel } from "../install/fact_shapes.ts";
import { UserError } from "../errors.ts";
import type { RecipeContext } from "../parts/recipe.ts";
import type { InstalledDist } from "../install/metadata.ts";
import { consoleScript, interpreterScript } from "../scripts/generate.ts";
import { writeScript } from "../scripts/write.ts";
import {
  type DistutilsScript,
  distutilsScript,
  findDistutilsScripts,
} from "../scripts/distutils.ts";
import { importOrder } from "../scripts/clashes.ts";
import { topLevelNames } from "../scripts/toplevel.ts";

/** The script options of the recipe, parsed. */
export interface ScriptOptions {
  /** Tokens `name` / `name=newname`; undefined when the option is absent. */
  scripts?: string[];
  /** Tokens `name=module:attrs`. */
  entryPoints: string[];
  interpreter?: string;
  extraPaths: string[];
  initialization: string;
  arguments: string;
  relativePaths: boolean;
  dependentScripts: boolean;
  binDirectory: string;
  buildoutDirectory: string;
}

/**
 * One script to write: its file name and the entry point it calls, or the
 * distutils script file it is made from.
 */
export type ScriptEntry =
  | { name: string; module: string; attrs: string }
  | { name: string; file: string };

const ENTRY = /^([\w.]+):([\w.]+)$/;

/**
 * Decide the scripts: every console script of the requested distributions
 * (all of the working set with `dependentScripts`), then their distutils
 * scripts (`scriptFiles`, a console script of the same name wins), filtered
 * and renamed by `scripts`, plus `entry-points`. Returns the entries and the
 * warnings for names that are not defined.
 *
 * @example
 * ```ts
 * planScripts(ws, ["demo"], { ...opts, scripts: ["demo=run"] });
 * // { entries: [{ name: "run", module: "eggrecipedemo", attrs: "main" }], warnings: [] }
 * ```
 */
export function planScripts(
  ws: InstalledDist[],
  requested: string[],
  o: Pick<ScriptOptions, "scripts" | "entryPoints" | "dependentScripts">,
  scriptFiles: (dist: InstalledDist) => DistutilsScript[] = () => [],
): { entries: ScriptEntry[]; warnings: string[] } {
  const available = new Map<string, { module: string; attrs: string }>();
  const files = new Map<string, string>();
  for (const dist of ws) {
    if (!o.dependentScripts && !requested.includes(dist.key)) continue;
    for (const f of dist.develop ? [] : scriptFiles(dist)) {
      if (!files.has(f.name)) files.set(f.name, f.path);
    }
    for (
      const [name, value] of Object.entries(dist.entryPoints("console_scripts"))
    ) {
      const m = ENTRY.exec(value.replace(/\[.*\]$/, "").trim());
      if (m && !available.has(name)) {
        available.set(name, { module: m[1], attrs: m[2] });
      }
    }
  }
  const entries: ScriptEntry[] = [];
  const warnings: string[] = [];
  if (o.scripts === undefined) {
    for (
      const [name, ep] of [...available].sort(([a], [b]) => a < b ? -1 : 1)
    ) {
      entries.push({ name, ...ep });
    }
    for (const [name, file] of files) {
      if (!available.has(name)) entries.push({ name, file });
    }
  } else {
    for (const token of o.scripts) {
      const [from, to] = token.includes("=")
        ? token.split("=", 2)
        : [token, token];
      const ep = available.get(from);
      const file = files.get(from);
      if (ep) entries.push({ name: to, ...ep });
      else if (file) entries.push({ name: to, file });
      else if (from === to) {
        warnings.push(
          `Could not generate script '${from}' as it is not defined in the egg entry points.`,
        );
      } else {
        // zc.buildout names the missing entry point first, then the new name
        warnings.push(
          `Could not generate script '${from}' as script '${to}' is not defined in the egg entry points.`,
        );
      }
    }
  }
  for (const token of o.entryPoints) {
    const [name, value] = token.split("=", 2);
    const m = value === undefined ? null : ENTRY.exec(value);
    if (!name || !m) throw new UserError(`Invalid entry point '${token}'.`);
    entries.push({ name, module: m[1], attrs: m[2] });
  }
  return { entries, warnings };
}

/**
 * The `sys.path` entries of a script: develop eggs first, then eggs, in
 * resolution order (a package moved ahead of another egg's same-named module,
 * with a warning), then `extraPaths`; each once, links resolved.
 *
 * @example
 * ```ts
 * scriptPaths(ws, ["/b/src"], log);
 * // ["/b/develop/app", "/b/eggs/demo-0.2-py3.11.egg", "/b/src"]
 * ```
 */
export function scriptPaths(
  ws: InstalledDist[],
  extraPaths: string[],
  log: { warn(line: string): void },
): string[] {
  const clashes = importOrder(
    [...ws.filter((d) => d.develop), ...ws.filter((d) => !d.develop)],
    (d) =>
      new Map(
        d.remember("top-level", () => [...topLevelNames(d)], isTopLevel),
      ),
  );
  for (const w of clashes.warnings) log.warn(w);
  const paths = [
    ...new Set([...clashes.dists.map((d) => d.location), ...extraPaths]),
  ];
  // Synchronous: one local call each, cheaper than a round trip each.
  return paths.map((p) => {
    try {
      return Deno.realPathSync(p);
    } catch {
      return p;
    }
  });
}

/**
 * Write the scripts (only changed ones are logged) and return every script path.
 *
 * @example
 * ```ts
 * await generateScripts(ws, ["demo"], "/usr/bin/python3", opts, ctx);
 * // logs "Generated script '/b/bin/demo'." ; returns ["/b/bin/demo"]
 * ```
 */
export async function generateScripts(
  ws: InstalledDist[],
  requested: string[],
  python: string,
  o: ScriptOptions,
  ctx: RecipeContext,
): Promise<string[]> {
  const log = ctx.settings.log;
  if (
    o.scripts !== undefined && o.scripts.length === 0 && !o.entryPoints.length
  ) return [];
  const { entries, warnings } = planScripts(
    ws,
    requested,
    o,
    // Remembered relative to the egg folder: the eggs directory may move.
    (d) =>
      d.remember(
        "distutils-scripts",
        () =>
          findDistutilsScripts(d.location).map((f) => ({
            name: f.name,
            path: f.path.slice(d.location.length + 1),
          })),
        isScriptFiles,
      ).map((f) => ({ name: f.name, path: join(d.location, f.path) })),
  );
  for (const w of warnings) log.warn(w);
  const setup = {
    python,
    paths: scriptPaths(ws, o.extraPaths, log),
    initialization: o.initialization || undefined,
    relativeTo: o.relativePaths ? o.buildoutDirectory : undefined,
    scriptDir: o.binDirectory,
  };
  await Deno.mkdir(o.binDirectory, { recursive: true });
  const written: string[] = [];
  for (const e of entries) {
    const path = join(o.binDirectory, e.name);
    const text = "file" in e
      ? distutilsScript(await Deno.readTextFile(e.file), setup)
      : consoleScript({
        ...setup,
        module: e.module,
        attrs: e.attrs,
        arguments: o.arguments,
      });
    ctx.created(path);
    if (await writeScript(path, text)) log.info(`Generated script '${path}'.`);
    written.push(path);
  }
  if (o.interpreter && !(o.scripts !== undefined && o.scripts.length === 0)) {
    const path = join(o.binDirectory, o.interpreter);
    ctx.created(path);
    if (await writeScript(path, interpreterScript(setup))) {
      log.info(`Generated interpreter '${path}'.`);
    }
    written.push(path);
  }
  return written;
}
