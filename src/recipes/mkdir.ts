/**
 * `mkdir`: the directory-making recipe of zc.buildout's own doctests. Creates
 * the directories listed in `paths` (relative to the buildout directory;
 * default `parts/<part>`) and returns the ones it created, so uninstalling
 * removes them. (`z3c.recipe.mkdir`, which keeps them, is in z3c_mkdir.ts.)
 *
 * @module
 */
import { resolve } from "node:path";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { makeDirectory } from "../parts/settings.ts";
import { UserError } from "../errors.ts";
import { exists } from "../fsutil.ts";
import { childPath } from "../paths.ts";

/**
 * The doctests' mkdir recipe. Sets `paths` to the absolute paths in its constructor, so
 * `${part:paths}` is absolute elsewhere.
 *
 * @example
 * ```ts
 * const r = new MkdirRecipe(ctx); // [data] paths = var/data
 * await r.install(); // ["/abs/var/data"]
 * ```
 */
export class MkdirRecipe implements Recipe {
  readonly paths: string[];
  constructor(private ctx: RecipeContext) {
    const { options, settings, name } = ctx;
    const raw = options.get("paths") ?? options.get("path") ??
      childPath(settings.partsDirectory, name, "Part name");
    this.paths = raw.split(/\s+/).filter((p) => p).map((p) =>
      resolve(settings.directory, p)
    );
    options.set("paths", this.paths.join("\n"));
    options.get("mode");
  }

  pending(): string[] {
    return this.paths;
  }

  async install(): Promise<string[]> {
    const created: string[] = [];
    const mode = this.ctx.options.get("mode");
    const perms = mode ? parseMode(mode) : undefined;
    for (const p of this.paths) {
      const missing = [];
      for (let d = p; !(await exists(d)); d = resolve(d, "..")) {
        missing.unshift(d);
      }
      for (const d of missing) {
        this.ctx.log.info(`${this.ctx.name}: Creating directory ${d}`);
        // makeDirectory's own error already names the directory.
        await makeDirectory(d);
        this.ctx.created(d);
        if (perms !== undefined) await Deno.chmod(d, perms);
      }
      // Only the listed directory is recorded: parents may be shared.
      if (missing.length) created.push(p);
    }
    return created;
  }

  update(): Promise<void> {
    return Promise.resolve();
  }
}

function parseMode(mode: string): number {
  if (!/^[0-7]{3,4}$/.test(mode.trim())) {
    throw new UserError(`Invalid mode '${mode}': expected octal like 0755`);
  }
  return parseInt(mode.trim(), 8);
}

registerRecipe(["mkdir"], (ctx) => new MkdirRecipe(ctx));
