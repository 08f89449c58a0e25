/**
 * A part whose recipe is a Python distribution: constructed by the bridge's
 * preparation step (the Python constructor, or the options recorded by the
 * last run when nothing changed), installed and updated by the Python
 * process of the run.
 *
 * @module
 */
import { addContext, doing, UserError } from "../errors.ts";
import type { Recipe, RecipeContext } from "../parts/recipe.ts";
import { parseRecipeSpec } from "../parts/recipe.ts";
import { INSTALLED_KEY, SIGNATURE_KEY } from "../parts/installed.ts";
import { VERSION } from "../version.ts";
import { handlers } from "./callbacks.ts";
import { BridgeError } from "./process.ts";
import { bridgeRun } from "./run.ts";
import { dirHash } from "./dirhash.ts";

/** `module:attr` of an entry point. */
export interface EntryPoint {
  module: string;
  attr: string;
}

/**
 * The entry point `entry` of `group` among a distribution's entry points.
 *
 * @example
 * ```ts
 * parseEntryPoint("mymod:Recipe"); // { module: "mymod", attr: "Recipe" }
 * ```
 */
export function parseEntryPoint(value: string): EntryPoint {
  const [module, attr] = value.split("[")[0].trim().split(":");
  return { module: module.trim(), attr: (attr ?? "").trim() };
}

/** The requirement part of a `recipe` value (`name [version spec]`). */
export function recipeRequirement(spec: string): string {
  return spec.trim().split(":")[0].trim();
}

/** Errors from Python as the lifecycle reports them. */
export function asError(err: unknown): unknown {
  if (!(err instanceof BridgeError)) return err;
  let e: Error;
  if (err.failure.user) e = new UserError(err.failure.message);
  else {
    e = new Error(err.failure.message);
    e.name = err.failure.type ?? "Error";
    e.stack = (err.failure.traceback ?? "").trimEnd();
  }
  for (const line of [...err.failure.context ?? []].reverse()) {
    addContext(e, line);
  }
  return e;
}

/**
 * A bridged part.
 *
 * @example
 * ```ts
 * const r = new BridgedRecipe(ctx, "myrecipe:default");
 * await r.prepare(recorded); // runs the Python constructor (or restores)
 * await r.install(); // ["/b/parts/data"]
 * ```
 */
export class BridgedRecipe implements Recipe {
  #sig = "";
  #ep?: EntryPoint;
  #path: string[] = [];
  #input: Record<string, string> = {};
  /** prepared from the record of the last run: Python not needed to update */
  #restored = false;
  #constructed = false;
  #prepared = false;

  constructor(readonly ctx: RecipeContext, readonly spec: string) {}

  get prepared(): boolean {
    return this.#prepared;
  }

  /**
   * Install the recipe distribution, then construct the recipe in Python,
   * unless `recorded` (this part in `.installed.cfg`) has the same
   * signature: then the options it recorded are restored and no Python runs.
   */
  async prepare(recorded?: Record<string, string>): Promise<void> {
    if (this.#prepared) return;
    this.#prepared = true;
    const { options, settings } = this.ctx;
    const run = bridgeRun(settings);
    const { entry } = parseRecipeSpec(this.spec);
    const ws = await doing(
      `Installing recipe ${recipeRequirement(this.spec)}.`,
      () => run.recipeWorkingSet(recipeRequirement(this.spec)),
    );
    const dist = ws[0];
    const value = dist?.entryPoints("zc.buildout")[entry];
    if (!dist || !value) {
      throw new UserError(
        `No entry point '${entry}' in group 'zc.buildout' of ${
          dist ? `${dist.name} ${dist.version}` : this.spec
        }.`,
      );
    }
    this.#ep = parseEntryPoint(value);
    this.#path = ws.map((d) => d.location);
    // Options count as used when the Python recipe reads them (a "read"
    // event), or all of them when nothing changed and no Python runs.
    this.#input = options.toRecord();
    // A develop egg is signed by its folder's content, as zc.buildout does:
    // editing the recipe's source reinstalls its parts.
    const dists = await Promise.all(
      ws.map(async (d) =>
        `${d.key}==${d.version}` +
        (d.develop ? `@${await dirHash(settings, d.location)}` : "")
      ),
    );
    const text = JSON.stringify([
      Object.entries(this.#input).sort(),
      dists,
      value,
      // what easy_install calls of the recipe would resolve against
      [...settings.versions].sort(),
      settings.findLinks,
      settings.index,
      settings.executable,
    ]);
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
    );
    const hash = [...digest.slice(0, 8)].map((b) =>
      b.toString(16).padStart(2, "0")
    ).join("");
    this.#sig = `${dist.key}-${dist.version}:${entry} bridge-${hash} ` +
      `buildout-deno-${VERSION}`;
    if (recorded?.[SIGNATURE_KEY] === this.#sig) {
      for (const [k, v] of Object.entries(recorded)) {
        if (k === INSTALLED_KEY || k === SIGNATURE_KEY) continue;
        if (this.#input[k] !== v) options.set(k, v);
      }
      for (const k of options.keys()) options.get(k);
      this.#restored = true;
      return;
    }
    await this.#construct();
  }

  async #construct(): Promise<void> {
    this.#constructed = true;
    await this.#request({
      op: "construct",
      options: this.#input,
      module: this.#ep!.module,
      attr: this.#ep!.attr,
      path: this.#path,
    });
  }

  async #request(msg: Record<string, unknown>): Promise<unknown> {
    const run = bridgeRun(this.ctx.settings);
    const process = await run.process();
    try {
      return await process.request(
        { ...msg, part: this.ctx.name, directory: this.ctx.settings.directory },
        handlers(run, this.ctx),
      );
    } catch (err) {
      throw asError(err);
    }
  }

  signature(): string {
    return this.#sig;
  }

  async install(): Promise<string[]> {
    await this.prepare();
    if (!this.#constructed) await this.#construct();
    return await this.#request({ op: "install" }) as string[];
  }

  async update(): Promise<string[] | void> {
    // Unchanged since the last run: zc.buildout would call update(); here
    // no Python is started (see README, "Python recipes").
    await this.prepare();
    if (this.#restored && !this.#constructed) return;
    if (!this.#constructed) await this.#construct();
    const r = await this.#request({ op: "update" }) as {
      missing?: boolean;
      paths?: string[] | null;
    };
    if (r.missing) {
      this.ctx.settings.log.warn(
        `The recipe for ${this.ctx.name} doesn't define an update method. Using its install method.`,
      );
      return await this.#request({ op: "install" }) as string[];
    }
    return r.paths ?? undefined;
  }
}
