/**
 * `zc.recipe.egg:custom` builds one egg from its source distribution with
 * custom build_ext options (include and library folders, macros, ...) into
 * the develop-eggs directory, where other egg parts find it; the egg is the
 * part's one path, so uninstalling the part removes it.
 *
 * `zc.recipe.egg:develop` makes a develop egg of a source folder (`setup`),
 * building its extensions in place with the same options.
 *
 * @module
 */

import { partSources } from "./egg_sources.ts";
import { basename, resolve } from "node:path";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { extractLimits } from "../parts/settings.ts";
import { parseRequirement, type Requirement } from "../pypa/requirement.ts";
import { applyPin } from "../find/versions.ts";
import { parseDistFilename } from "../pypa/filename.ts";
import { normalizeName } from "../pypa/name.ts";
import { Finder } from "../find/finder.ts";
import { installArtifact } from "../install/install.ts";
import { developProject } from "../install/develop.ts";
import type { InstalledDist } from "../install/metadata.ts";
import { scanEggsDirectory } from "../install/scan.ts";
import { makeObtain } from "../resolve/obtain.ts";
import { session } from "../resolve/session.ts";
import {
  buildExtArgs,
  interpolateEnv,
  readBuildExt,
  readEnvironment,
} from "./egg_custom/build_ext.ts";

/**
 * zc.recipe.egg:custom. The constructor reads every option and records the
 * absolute paths, find-links, index and the environment section's content.
 *
 * @example
 * ```ts
 * registerRecipe(["zc.recipe.egg:custom"], (ctx) => new CustomEggRecipe(ctx));
 * ```
 */
export class CustomEggRecipe implements Recipe {
  readonly spec: string;
  readonly buildExt: Record<string, string>;
  readonly findLinks: string[];
  readonly index: string;
  readonly environment: [string, string][];

  constructor(private ctx: RecipeContext) {
    const { options, settings, name, buildout } = ctx;
    const b = buildout.section("buildout");
    options.set("_d", settings.developEggsDirectory);
    this.buildExt = readBuildExt(options, settings.directory);
    ({ findLinks: this.findLinks, index: this.index } = partSources(
      options,
      b,
      settings,
    ));
    const env = readEnvironment(buildout, options.get("environment"));
    this.environment = env.vars;
    options.set("_environment-data", env.record);
    options.set("_e", settings.eggsDirectory);
    let spec = options.get("egg");
    if (spec === undefined && options.get("eggs") !== undefined) {
      ctx.log.warn("The eggs option is deprecated. Use egg instead");
      spec = options.get("eggs");
    }
    this.spec = (spec ?? name).trim();
    parseRequirement(this.spec);
  }

  /** The egg requirement with the `[versions]` pin applied. */
  requirement(): Requirement {
    return applyPin(parseRequirement(this.spec), this.ctx.settings.versions);
  }

  /** The obtain function of this part: `install` turns the chosen sdist into the result. */
  async #obtainer(
    installed: Map<string, InstalledDist[]>,
    install: (file: string) => Promise<InstalledDist>,
  ) {
    const { settings, log } = this.ctx;
    const s = session(settings);
    const interp = await s.interpreter();
    const network = async () => {
      const n = await s.network();
      // Offline, the download cache (local files) is still a source.
      const finder = settings.offline
        ? n.distCache && new Finder({
          findLinks: [],
          index: this.index,
          allowHosts: settings.allowHosts,
          distCache: n.distCache,
          installFromCache: true,
          interpreter: interp,
          log,
        })
        : n.finder(this.findLinks, this.index, interp);
      return { finder, distCache: n.distCache, shared: n.shared };
    };
    return makeObtain({
      interpreter: interp,
      installed,
      network,
      preferFinal: settings.preferFinal,
      newest: settings.newest,
      offline: settings.offline,
      installFromCache: settings.installFromCache,
      timeoutSeconds: settings.timeoutSeconds,
      accept: (c) => c.file.kind === "sdist",
      what: "source distribution",
      install: s.guarded(install),
      log,
    }).obtain;
  }

  async install(): Promise<string[]> {
    const { settings, log } = this.ctx;
    const s = session(settings);
    const interp = await s.interpreter();
    const req = this.requirement();
    const dest = settings.developEggsDirectory;
    const built = new Map<string, InstalledDist[]>();
    for (
      const d of await scanEggsDirectory(dest, interp, settings.directory)
    ) {
      if (d.key === req.key) built.set(d.key, [...built.get(d.key) ?? [], d]);
    }
    const env: Record<string, string> = {};
    const current = Deno.env.toObject();
    for (const [k, v] of this.environment) {
      env[k] = interpolateEnv(v, current, k);
    }
    const obtain = await this.#obtainer(
      built,
      (file) =>
        installArtifact(file, dest, interp, log, extractLimits(settings), {
          buildExt: this.buildExt,
          env,
        }),
    );
    const dist = await obtain(req);
    // Egg parts later in this run use it.
    s.develop(interp).set(dist.key, dist);
    return [dist.location];
  }

  /**
   * `buildout lock`: the sdist a fresh install would build is chosen and
   * brought into the download cache, not built, and pinned (its hashes are
   * then those of every file offered for that version, as for egg parts).
   */
  async lockResolve(): Promise<void> {
    const obtain = await this.#obtainer(new Map(), (file) => {
      const sdist = parseDistFilename(basename(file))!;
      return Promise.resolve(unbuilt(sdist.name, sdist.version, file));
    });
    const dist = await obtain(this.requirement());
    session(this.ctx.settings).picked.use(dist);
  }

  update(): Promise<string[]> {
    return this.install();
  }
}

/**
 * zc.recipe.egg:develop: `setup` (a folder or its setup.py, relative to the
 * buildout directory) becomes a develop egg, its extensions built in place.
 *
 * @example
 * ```ts
 * registerRecipe(["zc.recipe.egg:develop"], (ctx) => new DevelopEggRecipe(ctx));
 * ```
 */
export class DevelopEggRecipe implements Recipe {
  readonly setup: string;
  readonly buildExt: Record<string, string>;

  constructor(private ctx: RecipeContext) {
    const { options, settings } = ctx;
    options.set("_d", settings.developEggsDirectory);
    this.buildExt = readBuildExt(options, settings.directory);
    this.setup = resolve(settings.directory, options.require("setup").trim());
    options.set("setup", this.setup);
  }

  async install(): Promise<string[]> {
    const { settings, log } = this.ctx;
    const interp = await session(settings).interpreter();
    const link = await developProject(
      this.setup,
      settings.developEggsDirectory,
      interp,
      log,
      { buildExtArgs: buildExtArgs(this.buildExt) },
    );
    return [link];
  }

  update(): Promise<string[]> {
    return this.install();
  }
}

registerRecipe(["zc.recipe.egg:custom"], (ctx) => new CustomEggRecipe(ctx));
registerRecipe(["zc.recipe.egg:develop"], (ctx) => new DevelopEggRecipe(ctx));

/** A chosen source distribution as the resolver sees a distribution (for `lock`: nothing built, nothing to require). */
function unbuilt(name: string, version: string, file: string): InstalledDist {
  return {
    name,
    key: normalizeName(name),
    version,
    location: file,
    requires: () => [],
    entryPoints: () => ({}),
    extras: () => [],
    problems: () => [],
    remember: (_field, compute) => compute(),
  };
}
