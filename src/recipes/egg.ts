/**
 * `zc.recipe.egg`: install the distributions named in `eggs` (with their
 * dependencies) into the eggs directory and, for the scripts entries, write
 * console scripts and an interpreter into `bin/`.
 *
 * Names: `zc.recipe.egg` = `:default` = `:script` = `:scripts` (eggs and
 * scripts), `:eggs` (eggs only).
 *
 * @module
 */

import { partSources } from "./egg_sources.ts";
import { resolveWorkingSet } from "../resolve/working_set.ts";
import { resolve as resolvePath } from "../path.ts";
import { UserError } from "../errors.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { parseBool } from "../parts/settings.ts";
import { parseRequirement, type Requirement } from "../pypa/requirement.ts";
import type { Interpreter } from "../python/interpreter.ts";
import type { InstalledDist } from "../install/metadata.ts";
import { session } from "../resolve/session.ts";
import { generateScripts, type ScriptOptions } from "./egg_scripts.ts";

const lines = (v: string | undefined) =>
  (v ?? "").split("\n").map((l) => l.trim()).filter((l) => l);

/**
 * The egg recipe. The constructor reads every option (so none is reported
 * unused) and records the directories it depends on.
 *
 * @example
 * ```ts
 * registerRecipe(["zc.recipe.egg"], (ctx) => new EggRecipe(ctx, true));
 * ```
 */
export class EggRecipe implements Recipe {
  readonly requirements: Requirement[];
  readonly findLinks: string[];
  readonly index: string;
  readonly scriptOptions?: ScriptOptions;

  constructor(private ctx: RecipeContext, withScripts: boolean) {
    const { options, settings, name, buildout } = ctx;
    const b = buildout.section("buildout");
    this.requirements = lines(options.get("eggs") ?? name).map(
      parseRequirement,
    );
    // Recorded as zc.recipe.egg records them: find-links only when there are
    // some, index only when configured (here or in [buildout]), the
    // directories also under their old short names _e, _d and _b.
    ({ findLinks: this.findLinks, index: this.index } = partSources(
      options,
      b,
      settings,
    ));
    options.set("eggs-directory", settings.eggsDirectory);
    options.set("_e", settings.eggsDirectory);
    options.set("develop-eggs-directory", settings.developEggsDirectory);
    options.set("_d", settings.developEggsDirectory);
    if (!withScripts) return;
    options.set("bin-directory", settings.binDirectory);
    options.set("_b", settings.binDirectory);
    const relative = options.get("relative-paths") ?? b.get("relative-paths") ??
      "false";
    const dependent = options.get("dependent-scripts") ?? "false";
    if (!["true", "false"].includes(dependent)) {
      throw new UserError(
        `Invalid value for dependent-scripts option: ${dependent}`,
      );
    }
    const scripts = options.get("scripts");
    this.scriptOptions = {
      scripts: scripts === undefined
        ? undefined
        : scripts.split(/\s+/).filter(Boolean),
      entryPoints: (options.get("entry-points") ?? "").split(/\s+/).filter(
        Boolean,
      ),
      interpreter: (options.get("interpreter") ?? "").trim() || undefined,
      extraPaths: lines(options.get("extra-paths")).map((p) =>
        resolvePath(settings.directory, p)
      ),
      initialization: options.get("initialization") ?? "",
      arguments: options.get("arguments") ?? "",
      relativePaths: parseBool("relative-paths", relative),
      dependentScripts: dependent === "true",
      binDirectory: settings.binDirectory,
      buildoutDirectory: settings.directory,
    };
    if (this.scriptOptions.relativePaths) {
      options.set("buildout-directory", settings.directory);
    }
    if (this.scriptOptions.extraPaths.length) {
      options.set("extra-paths", this.scriptOptions.extraPaths.join("\n"));
    }
  }

  /** The target Python. */
  interpreter(): Promise<Interpreter> {
    return session(this.ctx.settings).interpreter();
  }

  /**
   * Resolve and install `requirements` (default: the part's `eggs`); the
   * working set in resolution order. Recipes built on this one (test runner,
   * omelette) pass their own list.
   */
  async workingSet(
    requirements: Requirement[] = this.requirements,
  ): Promise<InstalledDist[]> {
    return await resolveWorkingSet(this.ctx.settings, requirements, {
      findLinks: this.findLinks,
      index: this.index,
    });
  }

  /** `buildout lock`: resolve the part's eggs, writing no scripts. */
  async lockResolve(): Promise<void> {
    await this.workingSet();
  }

  async install(): Promise<string[]> {
    const ws = await this.workingSet();
    if (!this.scriptOptions) return [];
    const interp = await this.interpreter();
    return await generateScripts(
      ws,
      this.requirements.map((r) => r.key),
      interp.executable,
      this.scriptOptions,
      this.ctx,
    );
  }

  async update(): Promise<string[]> {
    return await this.install();
  }
}

registerRecipe(
  [
    "zc.recipe.egg",
    "zc.recipe.egg:default",
    "zc.recipe.egg:script",
    "zc.recipe.egg:scripts",
  ],
  (ctx) => new EggRecipe(ctx, true),
);
registerRecipe(["zc.recipe.egg:eggs"], (ctx) => new EggRecipe(ctx, false));
