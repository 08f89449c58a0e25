/**
 * The download recipe (`hexagonit.recipe.download`, `gocept.download`, `download`): fetch one
 * file through the download cache (namespace folder `download/`) and either keep it
 * (`download-only`) or extract it into `destination` (default `parts/<part>`).
 *
 * Options: `url`, `md5sum` / `sha256`, `destination`, `filename`, `download-only`, `mode`,
 * `strip-top-level-dir`, `ignore-existing`, `excludes` (globs, one per line), `hash-name`.
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { Download } from "../fetch/download.ts";
import { archiveKind, extractArchive } from "../extract/archive.ts";
import { exists } from "../fsutil.ts";
import { childPath, isPlainName } from "../paths.ts";
import { extractLimits } from "../parts/settings.ts";

/** The cache namespace (folder below `download-cache`) of this recipe. */
export const DOWNLOAD_NAMESPACE = "download";

const TRUE = ["yes", "true", "1", "on"];
const FALSE = ["no", "false", "0", "off", ""];

/**
 * Parse one of the recipe's switches (`yes/true/1/on`, `no/false/0/off`).
 *
 * @example
 * ```ts
 * parseSwitch("download-only", "yes"); // true
 * parseSwitch("download-only", undefined); // false
 * ```
 */
export function parseSwitch(name: string, value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new UserError(`Invalid value for '${name}' option: '${value}'`);
}

/**
 * The default file name for a URL: its last non-empty path segment.
 *
 * @example
 * ```ts
 * urlFilename("http://h/dl/tool-1.0.tar.gz?x=1"); // "tool-1.0.tar.gz"
 * urlFilename("/srv/files/tool"); // "tool"
 * ```
 */
export function urlFilename(url: string): string {
  let path = url;
  try {
    if (/^[a-z][a-z0-9+.-]+:/i.test(url)) path = new URL(url).pathname;
  } catch {
    // not a URL: a local path
  }
  const last = path.split("/").filter((s) => s).at(-1) ?? "";
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // not percent-encoded text: kept as written
  }
  return isPlainName(name) ? name : "";
}

/**
 * Parse an octal `mode` such as `0755`.
 *
 * @example
 * ```ts
 * parseMode("0755"); // 0o755
 * ```
 */
export function parseMode(mode: string): number {
  if (!/^[0-7]{3,4}$/.test(mode.trim())) {
    throw new UserError(`Invalid mode '${mode}': expected octal like 0755`);
  }
  return parseInt(mode.trim(), 8);
}

/** The recipe's options, parsed. */
export interface DownloadOptions {
  url: string;
  md5?: string;
  sha256?: string;
  destination: string;
  filename: string;
  downloadOnly: boolean;
  mode?: number;
  stripTopLevel: boolean;
  ignoreExisting: boolean;
  excludes: string[];
  hashName: boolean;
}

/**
 * The download recipe. The constructor sets `destination` (absolute) and `filename`.
 *
 * @example
 * ```ts
 * const r = new DownloadRecipe(ctx); // [tool] url = http://h/tool-1.0.tgz
 * await r.install(); // ["/abs/parts/tool"]
 * ```
 */
export class DownloadRecipe implements Recipe {
  readonly o: DownloadOptions;

  constructor(private ctx: RecipeContext) {
    const { options, settings, name } = ctx;
    const url = options.require("url").trim();
    const destination = resolve(
      settings.directory,
      options.get("destination")?.trim() ||
        childPath(settings.partsDirectory, name, "Part name"),
    );
    options.set("destination", destination);
    const filename = options.get("filename")?.trim() || urlFilename(url);
    if (filename && !isPlainName(filename)) {
      throw new UserError(
        `Option 'filename' of part '${name}' must be a plain file name, not '${filename}'.`,
      );
    }
    options.set("filename", filename);
    const mode = options.get("mode")?.trim();
    this.o = {
      url,
      md5: options.get("md5sum")?.trim() || undefined,
      sha256: options.get("sha256")?.trim() || undefined,
      destination,
      filename,
      downloadOnly: parseSwitch("download-only", options.get("download-only")),
      mode: mode ? parseMode(mode) : undefined,
      stripTopLevel: parseSwitch(
        "strip-top-level-dir",
        options.get("strip-top-level-dir"),
      ),
      ignoreExisting: parseSwitch(
        "ignore-existing",
        options.get("ignore-existing"),
      ),
      excludes: (options.get("excludes") ?? "").split("\n").map((l) => l.trim())
        .filter((l) => l),
      hashName: parseSwitch("hash-name", options.get("hash-name")),
    };
    if (!filename) {
      throw new UserError(
        `No file name in url ${url} of part ${name}: set the filename option.`,
      );
    }
  }

  async install(): Promise<string[]> {
    const { o, ctx } = this;
    if (!o.downloadOnly && !archiveKind(o.filename)) {
      throw new UserError(
        `Cannot extract ${o.filename}: unsupported archive type (set download-only = true to keep the file as it is).`,
      );
    }
    const { settings } = ctx;
    const download = new Download({
      cacheRoot: settings.downloadCache,
      namespace: DOWNLOAD_NAMESPACE,
      offline: settings.offline || settings.installFromCache,
      hashName: o.hashName,
      log: ctx.log,
      timeoutSeconds: settings.timeoutSeconds,
    });
    const got = await download.download(o.url, {
      md5: o.md5,
      sha256: o.sha256,
    });
    try {
      return o.downloadOnly
        ? await this.keep(got.path)
        : await this.extract(got.path);
    } finally {
      if (got.isTemp) await Deno.remove(got.path).catch(() => {});
    }
  }

  pending(): string[] {
    return [this.o.destination];
  }

  update(): Promise<void> {
    return Promise.resolve();
  }

  /** Copy the file to `destination/filename` (via a temp name), apply `mode`. */
  private async keep(path: string): Promise<string[]> {
    const { o, ctx } = this;
    const created = !(await exists(o.destination));
    await Deno.mkdir(o.destination, { recursive: true });
    const target = join(o.destination, o.filename);
    if (await exists(target)) {
      if (!this.existing(target)) return created ? [o.destination] : [];
    }
    const tmp = join(
      o.destination,
      `.${o.filename}.tmp-${crypto.randomUUID()}`,
    );
    try {
      await Deno.copyFile(path, tmp);
      if (o.mode !== undefined) await Deno.chmod(tmp, o.mode);
      await Deno.rename(tmp, target);
    } catch (err) {
      await Deno.remove(tmp).catch(() => {});
      throw err;
    }
    ctx.log.debug(`${ctx.name}: Saved ${target}`);
    return created ? [o.destination] : [target];
  }

  /** Extract beside the destination, then move the result in; nothing partial is left. */
  private async extract(path: string): Promise<string[]> {
    const { o, ctx } = this;
    const parent = dirname(o.destination);
    await Deno.mkdir(parent, { recursive: true });
    const work = await Deno.makeTempDir({ dir: parent, prefix: ".download-" });
    try {
      // the archive type comes from the file name: use the downloaded file when its name
      // tells the same type (cache entries do), else a link named after `filename`
      let archive = path;
      if (archiveKind(path) !== archiveKind(o.filename)) {
        archive = join(work, o.filename);
        await Deno.link(path, archive).catch(() =>
          Deno.copyFile(path, archive)
        );
      }
      ctx.log.info(`${ctx.name}: Extracting package to ${o.destination}`);
      const out = join(work, "out");
      await extractArchive(archive, out, {
        stripTopLevel: o.stripTopLevel,
        excludes: o.excludes,
        limits: extractLimits(ctx.settings),
      });
      if (!(await exists(o.destination))) {
        await Deno.rename(out, o.destination);
        return [o.destination];
      }
      const names: string[] = [];
      for await (const e of Deno.readDir(out)) names.push(e.name);
      names.sort();
      const move: string[] = [];
      for (const n of names) {
        const target = join(o.destination, n);
        if (!(await exists(target)) || this.existing(target)) move.push(n);
      }
      for (const n of move) {
        const target = join(o.destination, n);
        await Deno.rename(join(out, n), target);
      }
      return move.map((n) => join(o.destination, n));
    } finally {
      await Deno.remove(work, { recursive: true }).catch(() => {});
    }
  }

  /**
   * An existing target: an error, or (with `ignore-existing`) a log line and false
   * ("leave it alone").
   */
  private existing(target: string): false {
    if (!this.o.ignoreExisting) {
      throw new UserError(
        `Target ${target} already exists. Either remove it or set ` +
          "``ignore-existing = true`` in your buildout.cfg to ignore existing files and directories.",
      );
    }
    this.ctx.log.info(`${this.ctx.name}: Ignoring existing target: ${target}`);
    return false;
  }
}

registerRecipe(
  ["hexagonit.recipe.download", "gocept.download", "download"],
  (ctx) => new DownloadRecipe(ctx),
);
