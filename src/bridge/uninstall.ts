/**
 * Uninstall recipes: when a part recorded with a bridged recipe is
 * uninstalled, the entry point of the same name in group
 * `zc.buildout.uninstall` of the recipe distribution, if it has one, runs
 * with the part's recorded options before its paths are removed.
 *
 * @module
 */
import type { OpenBuildout } from "../parts/open.ts";
import { isBuiltinRecipe, parseRecipeSpec } from "../parts/recipe.ts";
import { INSTALLED_KEY, SIGNATURE_KEY } from "../parts/installed.ts";
import { handlers } from "./callbacks.ts";
import { asError, parseEntryPoint, recipeRequirement } from "./recipe.ts";
import { bridgeRun } from "./run.ts";

/**
 * Run the uninstall entry point of a recorded part, if any.
 *
 * @example
 * ```ts
 * await runUninstallRecipe(open, "data", recorded);
 * // Running uninstall recipe.
 * ```
 */
export async function runUninstallRecipe(
  open: OpenBuildout,
  part: string,
  recorded: Record<string, string>,
): Promise<void> {
  const spec = recorded.recipe;
  if (!spec || isBuiltinRecipe(spec)) return;
  const { settings, buildout } = open;
  const run = bridgeRun(settings);
  const { entry } = parseRecipeSpec(spec);
  const ws = await run.recipeWorkingSet(recipeRequirement(spec));
  const value = ws[0]?.entryPoints("zc.buildout.uninstall")[entry];
  if (!value) return;
  settings.log.info("Running uninstall recipe.");
  const options = { ...recorded };
  delete options[INSTALLED_KEY];
  delete options[SIGNATURE_KEY];
  const process = await run.process();
  const ctx = {
    buildout,
    name: part,
    options: buildout.section("buildout"),
    log: settings.log,
    settings,
    created: () => {},
  };
  try {
    await process.request({
      op: "uninstall",
      part,
      options,
      ...parseEntryPoint(value),
      path: ws.map((d) => d.location),
      directory: settings.directory,
    }, handlers(run, ctx));
  } catch (err) {
    throw asError(err);
  }
}
