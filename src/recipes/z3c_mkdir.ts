/**
 * `z3c.recipe.mkdir`: creates the directories listed in `paths` (one per line,
 * relative to the buildout directory; default `parts/<part>`), with their
 * missing parents unless `create-intermediate = no`, and sets `mode`, `user`
 * and `group` on the directories it creates (and on listed ones that exist).
 *
 * Directories are kept on uninstall (they may hold data): only with
 * `remove-on-update = yes` is every directory the part created recorded, so
 * that changing or removing the part removes them.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { UserError } from "../errors.ts";
import { childPath } from "../paths.ts";
import { pyRepr } from "../pyrepr.ts";
import { parseSwitch } from "./download.ts";
import { lookupId } from "./z3c_mkdir/ids.ts";

/**
 * Parse the octal `mode` (`750`, `0750`, `0o750`).
 *
 * @example
 * ```ts
 * parseOctal("0750"); // 0o750
 * parseOctal("9"); // throws "'mode' must be an octal number: 9"
 * ```
 */
export function parseOctal(value: string): number {
  const v = value.trim();
  if (!/^(0o)?[0-7]+$/i.test(v)) {
    throw new UserError(`'mode' must be an octal number: ${value}`);
  }
  return parseInt(v.replace(/^0o/i, ""), 8);
}

async function statOf(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    if (err instanceof Deno.errors.NotADirectory) return undefined;
    throw err;
  }
}

/**
 * The z3c.recipe.mkdir recipe. Its constructor sets `paths` (absolute,
 * normalized, sorted, one per line), `create-intermediate` and
 * `remove-on-update` (`True`/`False`), and `mode` (`0o750`) when given.
 *
 * @example
 * ```ts
 * const r = new Z3cMkdirRecipe(ctx); // [data] paths = var/data
 * await r.install(); // [] (kept on uninstall), or ["/abs/var", "/abs/var/data"] with remove-on-update
 * ```
 */
export class Z3cMkdirRecipe implements Recipe {
  readonly paths: string[];
  readonly removeOnUpdate: boolean;
  readonly createIntermediate: boolean;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  #created: string[] = [];

  constructor(private ctx: RecipeContext) {
    const { options, settings, name } = ctx;
    this.removeOnUpdate = parseSwitch(
      "remove-on-update",
      options.get("remove-on-update") ?? "no",
    );
    this.createIntermediate = parseSwitch(
      "create-intermediate",
      options.get("create-intermediate") ?? "yes",
    );
    const raw = options.get("paths") ??
      childPath(settings.partsDirectory, name, "Part name");
    const paths = raw.split("\n").map((p) => p.trim()).filter((p) => p)
      .map((p) => resolve(settings.directory, p));
    this.paths = [...new Set(paths)].sort();
    const mode = options.get("mode");
    if (mode !== undefined) this.mode = parseOctal(mode);
    const user = options.get("user")?.trim();
    if (user) this.uid = lookupId("user", user, ctx.log, name);
    const group = options.get("group")?.trim();
    if (group) this.gid = lookupId("group", group, ctx.log, name);
    options.set("paths", this.paths.join("\n"));
    options.set(
      "create-intermediate",
      this.createIntermediate ? "True" : "False",
    );
    options.set("remove-on-update", this.removeOnUpdate ? "True" : "False");
    if (this.mode) options.set("mode", `0o${this.mode.toString(8)}`);
  }

  pending(): string[] {
    return this.removeOnUpdate ? this.paths : [];
  }

  async install(): Promise<string[]> {
    this.#created = [];
    for (const p of this.paths) await this.make(p);
    return this.#created;
  }

  update(): Promise<string[]> {
    return this.install();
  }

  private async make(path: string): Promise<void> {
    const parent = dirname(path);
    const listed = this.paths.includes(path);
    if (
      !this.createIntermediate && listed && !(await statOf(parent))?.isDirectory
    ) {
      throw new UserError(
        `Cannot create: ${path}\n       Parent does not exist or not a directory.`,
      );
    }
    const info = await statOf(path);
    if (info && !info.isDirectory) {
      throw new UserError(`Cannot create directory: ${path}. It's a file.`);
    }
    if (info || parent === path) {
      if (listed) {
        this.ctx.log.info(`${this.ctx.name}: set permissions for ${path}`);
        await this.setPermissions(path);
      }
      return;
    }
    if (!(await statOf(parent))?.isDirectory) await this.make(parent);
    if (this.removeOnUpdate) this.ctx.created(path);
    try {
      await Deno.mkdir(path);
    } catch (err) {
      const why = (err as Error).message.replace(/ \(os error \d+\).*$/, "");
      throw new UserError(`Cannot create directory '${path}': ${why}.`);
    }
    this.ctx.log.info(`${this.ctx.name}: created path: ${path}`);
    await this.setPermissions(path);
    if (this.removeOnUpdate) this.#created.push(path);
  }

  private async setPermissions(path: string): Promise<void> {
    const notes: string[] = [];
    try {
      if (this.mode !== undefined) {
        await Deno.chmod(path, this.mode);
        notes.push(`mode 0${this.mode.toString(8)}`);
      }
      if (this.uid !== undefined || this.gid !== undefined) {
        await Deno.chown(path, this.uid ?? null, this.gid ?? null);
        if (this.uid !== undefined) {
          notes.push(`user ${pyRepr(this.ctx.options.get("user")!.trim())}`);
        }
        if (this.gid !== undefined) {
          notes.push(`group ${pyRepr(this.ctx.options.get("group")!.trim())}`);
        }
      }
    } catch (err) {
      const why = (err as Error).message.replace(/ \(os error \d+\).*$/, "");
      throw new UserError(`Cannot set permissions of ${path}: ${why}.`);
    }
    if (notes.length) {
      this.ctx.log.info(`${this.ctx.name}:   ${notes.join(", ")}`);
    }
  }
}

registerRecipe(["z3c.recipe.mkdir"], (ctx) => new Z3cMkdirRecipe(ctx));
