/**
 * The Python recipe bridge: recipes that are not built in are Python
 * distributions, run by one Python process per run. Importing this module
 * registers the bridge with the part lifecycle.
 *
 * @example
 * ```ts
 * import "./bridge/mod.ts";
 * lookupRecipe("instance", "plone.recipe.zope2instance"); // a bridged recipe
 * ```
 *
 * @module
 */
import { registerPartHooks } from "../parts/hooks.ts";
import { BridgedRecipe } from "./recipe.ts";
import { prepareBridged } from "./prepare.ts";
import { runUninstallRecipe } from "./uninstall.ts";
import { existingRun } from "./run.ts";

registerPartHooks({
  fallback: (_part, spec) => (ctx) => new BridgedRecipe(ctx, spec),
  prepare: prepareBridged,
  uninstall: runUninstallRecipe,
  finish: async (open) => await existingRun(open.settings)?.close(),
});
