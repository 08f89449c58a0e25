/**
 * Extension points of the part lifecycle for recipes that are not built in
 * (the Python recipe bridge in `bridge/` registers itself here, so that
 * `parts/` does not depend on it): a factory for unknown recipes, an async
 * preparation before parts are selected, uninstall recipes, and the end of
 * a run.
 *
 * @module
 */
import type { OpenBuildout } from "./open.ts";
import type { RecipeFactory } from "./recipe.ts";

/** What the lifecycle asks of a recipe provider beyond the built-in registry. */
export interface PartHooks {
  /** A factory for a recipe that is not built in, or undefined. */
  fallback?(part: string, spec: string): RecipeFactory | undefined;
  /** Before parts are selected: construct what needs async work, in order. */
  prepare?(open: OpenBuildout, only: string[]): Promise<void>;
  /** Before a recorded part's paths are removed (`zc.buildout.uninstall`). */
  uninstall?(
    open: OpenBuildout,
    part: string,
    recorded: Record<string, string>,
  ): Promise<void>;
  /** At the end of the run, whether it failed or not (`ok`: it did not). */
  finish?(open: OpenBuildout, ok: boolean): Promise<void>;
}

/**
 * The registered hooks (at most one provider).
 *
 * @example
 * ```ts
 * await partHooks.prepare?.(open, []);
 * ```
 */
export const partHooks: PartHooks = {};

/**
 * Register the provider of the hooks.
 *
 * @example
 * ```ts
 * registerPartHooks({ fallback: (part, spec) => undefined });
 * ```
 */
export function registerPartHooks(h: PartHooks): void {
  Object.assign(partHooks, h);
}

let provider: (() => Promise<unknown>) | undefined;
let loaded: Promise<unknown> | undefined;

/**
 * Name the module that registers the hooks, imported by
 * {@link loadPartHooks} only when a run needs it (a recipe that is not built
 * in, an extension): a buildout of built-in recipes never loads it.
 *
 * @example
 * ```ts
 * registerPartHooksProvider(() => import("../bridge/mod.ts"));
 * ```
 */
export function registerPartHooksProvider(load: () => Promise<unknown>): void {
  provider = load;
}

/**
 * Import the provider named by {@link registerPartHooksProvider} (once).
 *
 * @example
 * ```ts
 * await loadPartHooks();
 * partHooks.fallback; // set by the provider
 * ```
 */
export async function loadPartHooks(): Promise<void> {
  if (!provider) return;
  loaded ??= provider();
  await loaded;
}
