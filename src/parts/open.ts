/**
 * Open a buildout: wrap the loaded configuration in a `Buildout` whose
 * section-initialisation hook constructs each part's recipe, then read the
 * `[buildout]` settings.
 *
 * @module
 */
import { Buildout, type Options } from "../config/buildout.ts";
import type { RawConfig } from "../config/types.ts";
import {
  readSettings,
  type Settings,
  type SettingsOptions,
} from "./settings.ts";
import {
  loadAllRecipes,
  loadRecipes,
  lookupRecipe,
  type Recipe,
} from "./recipe.ts";

/** A constructed part. */
export interface Part {
  name: string;
  /** The `recipe` value as written. */
  spec: string;
  recipe: Recipe;
  options: Options;
}

/** An opened buildout: sections, settings and the recipes constructed so far. */
export interface OpenBuildout {
  buildout: Buildout;
  settings: Settings;
  /** Parts by name, constructed when their section was first initialised. */
  parts: Map<string, Part>;
  /** Part names in the order their sections finished initialising. */
  order: string[];
  /** Paths registered through `created()` by the part being installed. */
  createdPaths: string[];
}

/**
 * Load the recipe code a configuration can need: the built-in recipes its
 * sections name, and everything when Python code may take part (an
 * extension, a recipe that is not built in, a `${...}` in a recipe value).
 */
async function loadRecipesFor(raw: RawConfig): Promise<void> {
  if (raw.get("buildout")?.get("extensions")?.value.trim()) {
    return await loadAllRecipes();
  }
  const specs: string[] = [];
  for (const [name, section] of raw) {
    const spec = section.get("recipe")?.value;
    if (name !== "buildout" && spec?.trim()) specs.push(spec);
  }
  await loadRecipes(specs);
}

/**
 * Open a loaded configuration (loading the recipe code it needs first). Recipe
 * sections initialised while `[buildout]` itself is read are constructed as
 * soon as the settings are known.
 *
 * @example
 * ```ts
 * const open = await openBuildout(raw, { quiet: false });
 * open.buildout.section("data"); // constructs the mkdir recipe of [data]
 * open.order; // ["data"]
 * ```
 */
export async function openBuildout(
  raw: RawConfig,
  o: SettingsOptions = {},
): Promise<OpenBuildout> {
  await loadRecipesFor(raw);
  const early: [string, Options][] = [];
  const ready: { state?: OpenBuildout } = {};
  const construct = (st: OpenBuildout, name: string, options: Options) => {
    const spec = options.require("recipe");
    const factory = lookupRecipe(name, spec);
    const recipe = factory({
      buildout: st.buildout,
      name,
      options,
      log: st.settings.log,
      settings: st.settings,
      created: (...paths) => st.createdPaths.push(...paths),
    });
    st.parts.set(name, { name, spec, recipe, options });
  };
  const buildout = new Buildout(raw, {
    onSectionInit(name, options) {
      if (name === "buildout" || !options.get("recipe")) return;
      if (ready.state) {
        construct(ready.state, name, options);
        ready.state.order.push(name);
      } else early.push([name, options]);
    },
  });
  const settings = readSettings(buildout, o);
  const state: OpenBuildout = ready.state = {
    buildout,
    settings,
    parts: new Map(),
    order: [],
    createdPaths: [],
  };
  for (const [name, options] of early) {
    construct(state, name, options);
    state.order.push(name);
  }
  return state;
}
