/**
 * The bridge's preparation step, before parts are selected: every bridged
 * part's recipe distribution is installed and its Python constructor run, in
 * the order zc.buildout initialises parts (what a part refers to first), so
 * options a constructor sets are there when later parts' `${...}` are
 * substituted. Nothing happens when no part uses a recipe that is not built
 * in.
 *
 * @module
 */
import { doing } from "../errors.ts";
import { references } from "../config/substitute.ts";
import type { OpenBuildout } from "../parts/open.ts";
import { isBuiltinRecipe } from "../parts/recipe.ts";
import { readInstalled } from "../parts/installed.ts";
import { BridgedRecipe } from "./recipe.ts";

/**
 * Whether a section's recipe (as written) is not built in.
 *
 * @example
 * ```ts
 * isBridged(open, "instance"); // true for `recipe = plone.recipe.zope2instance`
 * ```
 */
export function isBridged(open: OpenBuildout, section: string): boolean {
  const spec = open.buildout.rawValue(section, "recipe");
  if (spec === undefined || section === "buildout") return false;
  if (spec.includes("${")) return true;
  try {
    return !isBuiltinRecipe(spec);
  } catch {
    // not a valid recipe value: the lifecycle reports it if it is a part
    return false;
  }
}

/**
 * Prepare the bridged parts among `only` (or `buildout:parts`) and what they
 * refer to.
 *
 * @example
 * ```ts
 * await prepareBridged(open, []);
 * ```
 */
export async function prepareBridged(
  open: OpenBuildout,
  only: string[],
): Promise<void> {
  const { buildout } = open;
  const raw = buildout.rawConfig;
  if (!buildout.names().some((s) => isBridged(open, s))) return;
  const recorded = (await readInstalled(open.settings.installed)).sections;
  const names = only.length ? only : buildout.section("buildout")
    .require("parts").split(/\s+/).filter(Boolean);
  const seen = new Set<string>();
  const visit = async (name: string) => {
    if (seen.has(name) || !raw.has(name)) return;
    seen.add(name);
    for (const [key, opt] of raw.get(name) ?? []) {
      const refs = references(opt.value, name).map(([s]) => s);
      if (key === "<part-dependencies>") refs.push(...opt.value.split(/\s+/));
      for (const s of refs) if (s && s !== name) await visit(s);
    }
    if (!isBridged(open, name)) return;
    buildout.section(name);
    const recipe = open.parts.get(name)?.recipe;
    if (recipe instanceof BridgedRecipe && !recipe.prepared) {
      await doing(
        `Getting section ${name}.`,
        () =>
          doing(
            `Initializing section ${name}.`,
            () => recipe.prepare(recorded.get(name)),
          ),
      );
    }
  };
  for (const name of names) await visit(name);
}
