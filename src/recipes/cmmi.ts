/**
 * The configure/make/make install recipes `zc.recipe.cmmi` and
 * `hexagonit.recipe.cmmi` (with slapos.recipe.cmmi's shell hooks): download a
 * source archive through the download cache (or build a local `path`),
 * patch it, run `configure --prefix=<location>`, `make`, `make install`.
 *
 * Where the two recipes differ (log lines, `environment` syntax, where
 * `location` goes) each follows its own documentation; every other option
 * works with both.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { Download } from "../fetch/download.ts";
import { exists } from "../fsutil.ts";
import { childPath } from "../paths.ts";
import { extractLimits } from "../parts/settings.ts";
import { DOWNLOAD_NAMESPACE, parseSwitch } from "./download.ts";
import {
  checkHooks,
  type Flavor,
  parseLineEnvironment,
  parseZcEnvironment,
  type PatchSpec,
  patchSpecs,
  sharedKey,
  SHELL_HOOKS,
} from "./cmmi/options.ts";
import { runStep } from "./cmmi/run.ts";
import {
  fetchAndExtract,
  fetchPatch,
  partLogger,
  sourceFolder,
} from "./cmmi/source.ts";

const words = (s: string | undefined) =>
  (s ?? "").split(/\s+/).filter((w) => w);
const isDir = (p: string) =>
  Deno.stat(p).then((s) => s.isDirectory, () => false);

/**
 * A cmmi part. The constructor sets `location` (and `prefix`,
 * `compile-directory` where they apply) so other parts can use them.
 *
 * @example
 * ```ts
 * const r = new CmmiRecipe(ctx, "zc"); // [foo] url = http://h/foo-1.0.tgz
 * await r.install(); // ["/b/parts/foo"]
 * ```
 */
export class CmmiRecipe implements Recipe {
  readonly location: string;
  readonly prefix: string;
  readonly shared: boolean;
  readonly url?: string;
  readonly path?: string;
  readonly keepCompileDir: boolean;
  readonly compileDir?: string;
  readonly env: Record<string, string>;
  readonly patches: PatchSpec[];
  readonly configure: string;
  readonly hooks: Record<string, string> = {};
  readonly log: Logger;
  readonly o: Record<string, string>;

  constructor(private ctx: RecipeContext, readonly flavor: Flavor) {
    const { options, settings, name, buildout } = ctx;
    this.log = partLogger(ctx.log, name);
    const get = (k: string, d = "") => options.get(k) ?? d;
    const either = (a: string, b: string, d = "") =>
      options.get(a) ?? options.get(b) ?? d;
    this.url = get("url").trim() || undefined;
    this.path = flavor === "hexagonit"
      ? get("path").trim() || undefined
      : undefined;
    if (this.url && this.path) {
      throw new UserError('You must use either "url" or "path", not both!');
    }
    if (!this.url && !this.path) {
      throw new UserError(
        flavor === "zc"
          ? `Part '${name}' needs the url option.`
          : 'You must provide either "url" or "path".',
      );
    }
    this.o = {
      md5: get("md5sum").trim(),
      patchBinary: get("patch-binary", "patch").trim(),
      patchOptions: words(either("patch-options", "patch_options", "-p0"))
        .join(" "),
      makeBinary: get("make-binary", "make").trim(),
      makeOptions: words(get("make-options")).join(" "),
      makeTargets: words(get("make-targets", "install")).join(" "),
      extra: words(either("extra-options", "extra_options")).join(" "),
      autogen: get("autogen").trim(),
      marker: flavor === "zc"
        ? get("source-directory-contains", "configure").trim()
        : "",
    };
    this.patches = patchSpecs(options);
    this.keepCompileDir = parseSwitch(
      "keep-compile-dir",
      options.get("keep-compile-dir"),
    );

    // environment
    if (flavor === "zc") {
      this.env = parseZcEnvironment(get("environment"));
    } else {
      const current = Deno.env.toObject();
      const env: Record<string, string> = {};
      const section = get("environment-section").trim();
      if (section && buildout.has(section)) {
        const s = buildout.section(section);
        for (const k of s.keys()) env[k] = s.get(k)!;
      }
      this.env = parseLineEnvironment(get("environment"), current, env);
    }

    // location, shared builds
    const sharedValue = options.get("shared")?.trim() ?? "";
    this.shared = sharedValue !== "" &&
      !["false", "no", "off", "0"].includes(sharedValue.toLowerCase());
    const parts = settings.partsDirectory;
    if (this.shared) {
      const dir = resolve(settings.directory, sharedValue);
      // The key covers the hooks, so a shared build reads them first.
      this.readHooks();
      if (isDirSync(dir)) {
        this.location = join(dir, "cmmi");
      } else if (settings.downloadCache) {
        this.location = join(
          settings.downloadCache,
          "cmmi",
          "build",
          sharedKey(this.state()),
        );
      } else {
        throw new UserError(
          `Set the 'shared' option of ${
            flavor === "zc" ? "zc.recipe.cmmi" : "hexagonit.recipe.cmmi"
          } to an existing directory, or set \${buildout:download-cache}`,
        );
      }
    } else if (flavor === "zc") {
      const base = options.get("location")?.trim();
      this.location = base
        ? join(resolve(settings.directory, base), name)
        : childPath(parts, name, "Part name");
    } else {
      this.location = childPath(parts, name, "Part name");
    }
    options.set("location", this.location);
    // Hooks may use ${:location}: read once it is set.
    if (!this.shared) this.readHooks();
    this.prefix = this.location;
    if (flavor === "hexagonit") {
      this.prefix = get("prefix").trim() || this.location;
      options.set("prefix", this.prefix);
    }
    if (this.path) {
      this.compileDir = resolve(settings.directory, this.path);
    } else if (this.keepCompileDir) {
      this.compileDir = `${childPath(parts, name, "Part name")}__compile__`;
    }
    if (this.compileDir) options.set("compile-directory", this.compileDir);

    // the configure command line
    const command = options.get("configure-command")?.trim();
    let cfgOpts = options.get("configure-options");
    let args: string[];
    if (flavor === "zc") {
      args = cfgOpts === undefined
        ? [`--prefix="${this.prefix}"`]
        : [words(cfgOpts).join(" ")];
    } else {
      args = words(cfgOpts);
      if (!command && !args.join(" ").includes("--prefix")) {
        args.unshift(`--prefix="${this.prefix}"`);
      }
    }
    cfgOpts = args.filter((a) => a).join(" ");
    this.configure = [command || "./configure", cfgOpts, this.o.extra]
      .filter((s) => s).join(" ");
  }

  private readHooks(): void {
    checkHooks(this.ctx.options, this.ctx.name);
    for (const k of SHELL_HOOKS) {
      const v = this.ctx.options.get(k);
      if (v?.trim()) this.hooks[k] = v;
    }
  }

  /** Everything that changes a build, for the shared-build key. */
  private state(): string[] {
    const o = this.ctx.options;
    return [
      this.flavor,
      this.url ?? "",
      this.path ?? "",
      o.get("md5sum") ?? "",
      o.get("configure-command") ?? "",
      o.get("configure-options") ?? "",
      o.get("prefix") ?? "",
      JSON.stringify(this.o),
      JSON.stringify(this.patches),
      JSON.stringify(Object.entries(this.env).sort()),
      JSON.stringify(this.hooks),
    ];
  }

  pending(): string[] {
    return this.shared ? [] : [this.location];
  }

  async install(): Promise<string[]> {
    await this.build();
    const paths = this.keepCompileDir && !this.path ? [this.compileDir!] : [];
    if (!this.shared) paths.push(this.location);
    return paths;
  }

  async update(): Promise<void> {
    // Someone may have removed a shared build: build it again.
    if (!(await isDir(this.location))) await this.build();
  }

  private download(): Download {
    const { settings } = this.ctx;
    const zc = this.flavor === "zc";
    return new Download({
      cacheRoot: settings.downloadCache,
      namespace: zc ? "cmmi" : DOWNLOAD_NAMESPACE,
      hashName: zc ||
        parseSwitch("hash-name", this.ctx.options.get("hash-name")),
      offline: settings.offline || settings.installFromCache,
      log: this.log,
      timeoutSeconds: settings.timeoutSeconds,
    });
  }

  private async build(): Promise<void> {
    const { log, flavor, ctx } = this;
    if (this.shared && await isDir(this.location)) {
      log.info("using existing shared build");
      return;
    }
    const env = { ...Deno.env.toObject(), ...this.env };
    const envKeys = Object.keys(this.env).sort();
    if (flavor === "hexagonit") {
      for (const k of envKeys) log.info(`[ENV] ${k} = ${this.env[k]}`);
    }
    const download = this.download();
    let work: string | undefined; // a build folder of ours
    let src: string;
    if (this.path) {
      src = this.compileDir!;
      if (!(await isDir(src))) {
        throw new UserError(`The source directory ${src} does not exist.`);
      }
      log.info(`Using local source directory: ${src}`);
    } else {
      if (this.compileDir) {
        if (await exists(this.compileDir)) {
          log.warn(`Removing already existing directory ${this.compileDir}`);
          await Deno.remove(this.compileDir, { recursive: true });
        }
        ctx.created(this.compileDir);
        await Deno.mkdir(this.compileDir, { recursive: true });
        work = this.compileDir;
      } else {
        work = await Deno.makeTempDir({ prefix: `buildout-${ctx.name}-` });
      }
      try {
        const at = work;
        await fetchAndExtract(
          download,
          this.url!,
          this.o.md5 || undefined,
          work,
          extractLimits(ctx.settings),
          () =>
            log.info(
              flavor === "zc"
                ? "Unpacking and configuring"
                : `Extracting package to ${at}`,
            ),
        );
      } catch (err) {
        // Nothing to look at yet: no build folder is left (a registered
        // compile directory is the lifecycle's to remove).
        if (!this.compileDir) {
          await Deno.remove(work, { recursive: true }).catch(() => {});
        }
        throw err;
      }
      src = await sourceFolder(work, [this.o.marker, this.o.autogen]);
    }
    if (flavor === "zc") {
      for (const k of envKeys) {
        log.info(`Updating environment: ${k}=${this.env[k]}`);
      }
    }
    const madeLocation = !(await exists(this.location));
    if (madeLocation) {
      if (!this.shared) ctx.created(this.location);
      await Deno.mkdir(this.location, { recursive: true });
    }
    try {
      await this.steps(download, src, env);
    } catch (err) {
      // A shared build is not registered: no half-built one may stay.
      if (madeLocation && this.shared) {
        await Deno.remove(this.location, { recursive: true }).catch(() => {});
      }
      if (work && !this.compileDir) {
        log.error(
          flavor === "zc"
            ? `cmmi failed: ${work}`
            : `Compilation error. The package is left as is at ${src} where you can inspect what went wrong`,
        );
      }
      throw err;
    }
    if (work && !this.compileDir) {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  }

  private async steps(
    download: Download,
    start: string,
    env: Record<string, string>,
  ): Promise<void> {
    const { log, o, ctx } = this;
    let src = start;
    const print = (l: string) => ctx.log.print(l);
    const run = (cmd: string, errexit = false) =>
      runStep(cmd, { cwd: src, env, print, errexit });
    const hook = async (key: string) => {
      if (!this.hooks[key]) return;
      log.info(`Executing ${key}`);
      await run(this.hooks[key], true);
    };
    if (this.patches.length && this.flavor === "hexagonit") {
      log.info("Applying patches");
    }
    for (const spec of this.patches) {
      const p = await fetchPatch(download, spec, ctx.settings.directory, src);
      try {
        await run(`${o.patchBinary} ${o.patchOptions} < '${p.path}'`);
      } finally {
        if (p.isTemp) await Deno.remove(p.path).catch(() => {});
      }
    }
    if (o.autogen) {
      log.info("auto generating configure files");
      await run(`./${o.autogen}`);
    }
    if (o.marker && !(await exists(join(src, o.marker)))) {
      src = await sourceFolder(src);
      if (!(await exists(join(src, o.marker)))) {
        throw new UserError(`Couldn't find ${o.marker}`);
      }
    }
    await hook("pre-configure");
    await run(this.configure);
    await hook("pre-build");
    await run([o.makeBinary, o.makeOptions].filter((s) => s).join(" "));
    await hook("pre-install");
    await run(
      [o.makeBinary, o.makeOptions, o.makeTargets].filter((s) => s).join(" "),
    );
    await hook("post-install");
  }
}

function isDirSync(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

registerRecipe(["zc.recipe.cmmi"], (ctx) => new CmmiRecipe(ctx, "zc"));
registerRecipe(
  ["hexagonit.recipe.cmmi"],
  (ctx) => new CmmiRecipe(ctx, "hexagonit"),
);
