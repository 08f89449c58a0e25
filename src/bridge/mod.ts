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
import { doing } from "../errors.ts";
import { registerPartHooks } from "../parts/hooks.ts";
import { BridgedRecipe } from "./recipe.ts";
import { prepareBridged } from "./prepare.ts";
import { runUninstallRecipe } from "./uninstall.ts";
import { existingRun } from "./run.ts";
export { annotatePythonExtensions, loadPythonExtensions } from "./extension.ts";

registerPartHooks({
  fallback: (_part, spec) => (ctx) => new BridgedRecipe(ctx, spec),
  prepare: prepareBridged,
  uninstall: runUninstallRecipe,
  finish: async (open, ok) => {
    const run = existingRun(open.settings);
    if (!run) return;
    try {
      if (ok && run.atEnd) await doing("Unloading extensions.", run.atEnd);
    } finally {
      await run.close();
    }
  },
});
