/**
 * The built-in recipes by name, each module imported only when a buildout
 * uses one of its names (`loadRecipes` in parts/recipe.ts): a buildout of
 * `mkdir` parts does not load the egg recipe and what it needs. Add one entry
 * per recipe module, with the names that module registers.
 *
 * @example
 * ```ts
 * import "./recipes/builtin.ts";
 * await loadRecipes(["mkdir"]);
 * lookupRecipe("data", "mkdir");
 * ```
 *
 * @module
 */
import { registerLazyRecipes } from "../parts/recipe.ts";

/**
 * Each built-in recipe module with the names it registers.
 *
 * @example
 * ```ts
 * BUILTIN_RECIPES.find(([names]) => names.includes("mkdir"));
 * ```
 */
export const BUILTIN_RECIPES: [string[], () => Promise<unknown>][] = [
  [["mkdir"], () => import("./mkdir.ts")],
  [
    ["hexagonit.recipe.download", "gocept.download", "download"],
    () => import("./download.ts"),
  ],
  [
    [
      "zc.recipe.egg",
      "zc.recipe.egg:default",
      "zc.recipe.egg:script",
      "zc.recipe.egg:scripts",
      "zc.recipe.egg:eggs",
    ],
    () => import("./egg.ts"),
  ],
  [["plone.recipe.command"], () => import("./command.ts")],
  [
    ["collective.recipe.template", "collective.recipe.template:genshi"],
    () => import("./template.ts"),
  ],
  [
    [
      "collective.recipe.cmd",
      "collective.recipe.cmd:sh",
      "collective.recipe.cmd:py",
    ],
    () => import("./cmd.ts"),
  ],
  [["zc.recipe.testrunner"], () => import("./testrunner.ts")],
  [["collective.recipe.omelette"], () => import("./omelette.ts")],
  [
    ["zc.recipe.egg:custom", "zc.recipe.egg:develop"],
    () => import("./egg_custom.ts"),
  ],
  [["z3c.recipe.mkdir"], () => import("./z3c_mkdir.ts")],
  [["zc.recipe.cmmi", "hexagonit.recipe.cmmi"], () => import("./cmmi.ts")],
];

for (const [names, load] of BUILTIN_RECIPES) registerLazyRecipes(names, load);
