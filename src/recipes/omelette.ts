/**
 * `collective.recipe.omelette`: one folder (`location`, default
 * `parts/<part>`) mirroring the Python namespaces of the part's working set,
 * made of symlinks to the installed packages, so a tree of many eggs reads as
 * one. Rebuilt from scratch on install and update; uninstalling removes it
 * (the links, never what they point at).
 *
 * Options: `eggs` (resolved with their dependencies, through the egg
 * recipe), `location`, `ignore-develop` (leave out the develop eggs),
 * `ignores` (project names to leave out), `packages` (lines
 * `<folder> [<target>]`: the sub-folders of `<folder>` linked under
 * `<target>`, default the omelette itself), `products` (folders linked under
 * `Products`, as omelette 1.x did), plus the egg options (`find-links`, ...).
 *
 * @module
 */

import { join, resolve as resolvePath } from "node:path";
import { UserError } from "../errors.ts";
import { exists, removeTree } from "../fsutil.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { isInside } from "../paths.ts";
import { normalizeName } from "../pypa/name.ts";
import { parseRequirement } from "../pypa/requirement.ts";
import { EggRecipe } from "./egg.ts";
import {
  type FarmLog,
  invalidPackage,
  linkDistribution,
  linkPackages,
} from "./omelette/farm.ts";

const TRUE = ["yes", "true", "on", "1", "sure"];

/** The words of each non-empty line. */
const wordLines = (v: string | undefined) =>
  (v ?? "").split("\n").map((l) => l.trim().split(/\s+/)).filter((w) =>
    w[0] !== ""
  );

/**
 * The omelette recipe. The constructor sets `location` (absolute).
 *
 * @example
 * ```ts
 * registerRecipe(["collective.recipe.omelette"], (ctx) => new OmeletteRecipe(ctx));
 * ```
 */
export class OmeletteRecipe implements Recipe {
  readonly location: string;
  readonly egg: EggRecipe;
  readonly ignoreDevelop: boolean;
  readonly ignores: string[];
  /** `[folder, target]` pairs, in order (products first). */
  readonly packages: string[][];

  constructor(private ctx: RecipeContext) {
    const { options, settings, name } = ctx;
    this.location = resolvePath(
      settings.directory,
      options.get("location") ?? join(settings.partsDirectory, name),
    );
    if (isInside(this.location, settings.directory)) {
      throw new UserError(
        `The omelette location ${this.location} would hold the buildout directory; it is removed on every install.`,
      );
    }
    options.set("location", this.location);
    this.egg = new EggRecipe(ctx, true);
    this.ignoreDevelop = TRUE.includes(
      (options.get("ignore-develop") ?? "").trim().toLowerCase(),
    );
    this.ignores = (options.get("ignores") ?? "").split(/\s+/).filter(Boolean);
    const products = (options.get("products") ?? "").split(/\s+/)
      .filter(Boolean).map((p) => [p, "Products"]);
    this.packages = [...products, ...wordLines(options.get("packages"))];
  }

  pending(): string[] {
    return [this.location];
  }

  /** Project names to leave out: `ignores`, and the develop eggs when asked. */
  private async ignored(): Promise<Set<string>> {
    const names = [...this.ignores];
    if (this.ignoreDevelop) {
      const dir = this.ctx.settings.developEggsDirectory;
      if (await exists(dir)) {
        for await (const e of Deno.readDir(dir)) {
          if (e.name.endsWith(".egg-link")) names.push(e.name.slice(0, -9));
        }
      }
    }
    return new Set(names.map(normalizeName));
  }

  /** The `eggs` requirements. */
  private requirements() {
    return (this.ctx.options.get("eggs") ?? "").split("\n")
      .map((l) => l.trim()).filter(Boolean).map(parseRequirement);
  }

  /** `buildout lock`: resolve the eggs, linking nothing. */
  async lockResolve(): Promise<void> {
    const requirements = this.requirements();
    if (requirements.length) await this.egg.workingSet(requirements);
  }

  async install(): Promise<string[]> {
    const { name, settings } = this.ctx;
    const requirements = this.requirements();
    const ws = requirements.length
      ? await this.egg.workingSet(requirements)
      : [];
    const ignored = await this.ignored();
    const root = this.location;
    const log: FarmLog = {
      info: (l) => settings.log.info(`${name}: ${l}`),
      warn: (l) => settings.log.warn(`${name}: ${l}`),
    };
    await removeTree(root);
    this.ctx.created(root);
    await Deno.mkdir(root, { recursive: true });
    try {
      for (const dist of ws) {
        if (ignored.has(dist.key)) continue;
        linkDistribution(root, dist, log);
      }
      for (const words of this.packages) {
        if (words.length > 2) {
          log.warn(invalidPackage(name, words));
          continue;
        }
        const target = resolvePath(root, words[1] ?? "./");
        if (!isInside(root, target)) {
          throw new UserError(
            `The packages target '${words[1]}' would be outside ${root}.`,
          );
        }
        linkPackages(
          root,
          resolvePath(settings.directory, words[0]),
          target,
          log,
        );
      }
    } catch (e) {
      await removeTree(root);
      throw e;
    }
    return [root];
  }

  async update(): Promise<string[]> {
    return await this.install();
  }
}

registerRecipe(
  ["collective.recipe.omelette"],
  (ctx) => new OmeletteRecipe(ctx),
);
