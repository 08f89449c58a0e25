/**
 * The recipe interface and the registry of built-in recipes, looked up by the
 * names users write: `recipe = name[:entry]` (entry defaults to `default`).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Buildout, Options } from "../config/buildout.ts";
import type { Settings } from "./settings.ts";
import { VERSION } from "../version.ts";
import { loadPartHooks, partHooks } from "./hooks.ts";

/** What a recipe is constructed with. */
export interface RecipeContext {
  buildout: Buildout;
  /** The part (section) name. */
  name: string;
  options: Options;
  log: Logger;
  settings: Settings;
  /**
   * Register paths just before creating them during `install()`/`update()`:
   * if the part fails, the lifecycle removes them. Optional for recipes.
   */
  created(...paths: string[]): void;
}

/** A part's recipe: `install()` returns the paths it created. */
export interface Recipe {
  install(): Promise<string[]>;
  /** Paths to add to the recorded ones, or nothing to keep them. */
  update?(): Promise<string[] | void>;
  /**
   * Paths `install()` is about to create, so that what a killed install left
   * there is removed by the next run (those under `bin/` and `parts/` are
   * found anyway).
   */
  pending?(): string[];
  /** The `__buildout_signature__` to record, when not the built-in one. */
  signature?(): string;
}

/** Builds a recipe; reads and sets options only, installs nothing. */
export type RecipeFactory = (ctx: RecipeContext) => Recipe;

const registry = new Map<string, RecipeFactory>();
/** The names as registered (`zc.recipe.egg:eggs`), for messages. */
const displayNames = new Set<string>();
/** Built-in recipes not loaded yet: the import that registers each. */
const lazy = new Map<string, () => Promise<unknown>>();

/**
 * Split a `recipe` value into its name and entry, dropping a version
 * specifier on the name (`spam >0:foo` -> `spam`, `foo`).
 *
 * @example
 * ```ts
 * parseRecipeSpec("zc.recipe.egg:scripts"); // { name: "zc.recipe.egg", entry: "scripts" }
 * parseRecipeSpec("mkdir"); // { name: "mkdir", entry: "default" }
 * ```
 */
export function parseRecipeSpec(spec: string): { name: string; entry: string } {
  const parts = spec.trim().split(":");
  if (parts.length > 2 || !parts[0].trim()) {
    throw new UserError(`Invalid recipe specification: '${spec.trim()}'`);
  }
  const name = parts[0].trim().split(/[\s<>=!~;[]/)[0];
  const entry = (parts[1] ?? "").trim() || "default";
  return { name, entry };
}

function key(name: string, entry: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-") + ":" + entry;
}

/**
 * Register a built-in recipe under one or more names; a name without `:entry`
 * registers the `default` entry.
 *
 * @example
 * ```ts
 * registerRecipe(["z3c.recipe.mkdir", "mkdir"], (ctx) => new MkdirRecipe(ctx));
 * ```
 */
export function registerRecipe(names: string[], factory: RecipeFactory): void {
  for (const n of names) {
    const { name, entry } = parseRecipeSpec(n);
    registry.set(key(name, entry), factory);
    lazy.delete(key(name, entry));
    displayNames.add(entry === "default" ? name : `${name}:${entry}`);
  }
}

/**
 * Register built-in recipe names whose module is imported only when a
 * buildout uses one of them ({@link loadRecipes}); the module then calls
 * {@link registerRecipe} for the same names.
 *
 * @example
 * ```ts
 * registerLazyRecipes(["mkdir"], () => import("../recipes/mkdir.ts"));
 * ```
 */
export function registerLazyRecipes(
  names: string[],
  load: () => Promise<unknown>,
): void {
  for (const n of names) {
    const { name, entry } = parseRecipeSpec(n);
    const k = key(name, entry);
    if (!registry.has(k)) lazy.set(k, load);
    displayNames.add(entry === "default" ? name : `${name}:${entry}`);
  }
}

async function loadKey(k: string): Promise<void> {
  const load = lazy.get(k);
  if (!load) return;
  await load();
  lazy.delete(k);
}

/**
 * Load what the given `recipe` values need before their parts are
 * constructed: the modules of the built-in ones, and the provider of
 * {@link partHooks} (the Python recipe bridge) for the others. A value with a
 * substitution loads everything; a value that is not a valid recipe
 * specification loads nothing (constructing its part reports it).
 *
 * @example
 * ```ts
 * await loadRecipes(["zc.recipe.egg:scripts"]); // imports recipes/egg.ts only
 * lookupRecipe("app", "zc.recipe.egg:scripts");
 * ```
 */
export async function loadRecipes(specs: Iterable<string>): Promise<void> {
  for (const spec of specs) {
    if (spec.includes("$")) return await loadAllRecipes();
    let k: string;
    try {
      const { name, entry } = parseRecipeSpec(spec);
      k = key(name, entry);
    } catch {
      continue;
    }
    if (lazy.has(k)) await loadKey(k);
    else if (!registry.has(k)) return await loadAllRecipes();
  }
}

/**
 * Load every built-in recipe module and the part hooks' provider (for runs
 * where Python code can add parts: extensions, recipes that are not built in).
 *
 * @example
 * ```ts
 * await loadAllRecipes();
 * registeredRecipes(); // every built-in name
 * ```
 */
export async function loadAllRecipes(): Promise<void> {
  await Promise.all([...lazy.keys()].map(loadKey));
  await loadPartHooks();
}

/**
 * The factory for a part's `recipe` value; an unknown recipe is a UserError
 * naming the part and the recipe.
 *
 * @example
 * ```ts
 * const factory = lookupRecipe("data", "mkdir");
 * ```
 */
export function lookupRecipe(part: string, spec: string): RecipeFactory {
  const { name, entry } = parseRecipeSpec(spec);
  const k = key(name, entry);
  if (lazy.has(k)) throw new Error(`recipe ${k} used before loadRecipes()`);
  const factory = registry.get(k) ?? partHooks.fallback?.(part, spec);
  if (!factory) {
    throw new UserError(
      `Unknown recipe '${spec.trim()}' in part '${part}'; built-in recipes: ${
        registeredRecipes().join(", ")
      }`,
    );
  }
  return factory;
}

/**
 * Whether a `recipe` value names a built-in recipe.
 *
 * @example
 * ```ts
 * isBuiltinRecipe("zc.recipe.egg:eggs"); // true
 * ```
 */
export function isBuiltinRecipe(spec: string): boolean {
  const { name, entry } = parseRecipeSpec(spec);
  const k = key(name, entry);
  return registry.has(k) || lazy.has(k);
}

/**
 * The recipe names registered, as users write them, sorted.
 *
 * @example
 * ```ts
 * registeredRecipes(); // ["mkdir", "z3c.recipe.mkdir", "zc.recipe.egg", "zc.recipe.egg:eggs", ...]
 * ```
 */
export function registeredRecipes(): string[] {
  return [...displayNames].sort();
}

/**
 * The signature recorded in `.installed.cfg`: the recipe's name and entry
 * plus the tool version, so upgrading the tool reinstalls the parts.
 *
 * @example
 * ```ts
 * recipeSignature("z3c.recipe.mkdir"); // "z3c-recipe-mkdir:default buildout-deno-0.1.0"
 * ```
 */
export function recipeSignature(spec: string): string {
  const { name, entry } = parseRecipeSpec(spec);
  return `${key(name, entry)} buildout-deno-${VERSION}`;
}

/**
 * What an uninstall recipe (zc.buildout's `zc.buildout.uninstall` entry
 * point) gets: the part's name and the options recorded in `.installed.cfg`.
 */
export interface UninstallContext {
  name: string;
  /** The recorded options of the part. */
  options: Record<string, string>;
  log: Logger;
  settings: Settings;
}

/** Runs before a part's recorded paths are removed. */
export type Uninstaller = (ctx: UninstallContext) => Promise<void>;

const uninstallers = new Map<string, Uninstaller>();

/**
 * Register an uninstall recipe for recipe names (`name[:entry]`).
 *
 * @example
 * ```ts
 * registerUninstaller(["collective.recipe.cmd"], async ({ options }) => {});
 * ```
 */
export function registerUninstaller(names: string[], fn: Uninstaller): void {
  for (const n of names) {
    const { name, entry } = parseRecipeSpec(n);
    uninstallers.set(key(name, entry), fn);
  }
}

/**
 * The uninstall recipe for a recorded `recipe` value, if it has one.
 *
 * @example
 * ```ts
 * lookupUninstaller("collective.recipe.cmd"); // a function, or undefined
 * ```
 */
export function lookupUninstaller(spec: string): Uninstaller | undefined {
  try {
    const { name, entry } = parseRecipeSpec(spec);
    return uninstallers.get(key(name, entry));
  } catch {
    return undefined;
  }
}
