/**
 * `collective.recipe.template` (and its `:genshi` entry): write `output` from a
 * template (`input` file, `inline` text or `input = inline:...`, or `url`)
 * with buildout substitution applied.
 *
 * Options: `input`, `inline`, `url`, `output`, `mode`, `overwrite`,
 * `timeout`, `md5sum`, `input-encoding`, `output-encoding`. File and inline
 * templates are rendered when the part is read (so the parts they refer to are
 * installed first); URL templates (through the download cache, namespace
 * `template`) when it is installed or updated. An update rewrites the output
 * only when its content changed.
 *
 * @module
 */
import { dirname, resolve } from "node:path";
import { UserError } from "../errors.ts";
import {
  type Recipe,
  type RecipeContext,
  registerRecipe,
} from "../parts/recipe.ts";
import { Download } from "../fetch/download.ts";
import { exists, writeFileAtomic } from "../fsutil.ts";
import { renderBuildout, renderGenshi } from "./template/render.ts";
import { decodeText, encodeText } from "./template/encoding.ts";

/** The cache namespace (folder below `download-cache`) of URL templates. */
export const TEMPLATE_NAMESPACE = "template";

const TRUE = ["y", "yes", "1", "true"];

/** Which syntax the template is written in. */
export type TemplateSyntax = "buildout" | "genshi";

/**
 * The template recipe.
 *
 * @example
 * ```ts
 * const r = new TemplateRecipe(ctx, "buildout"); // [msg] input = msg.in; output = etc/msg
 * await r.install(); // ["/abs/etc", "/abs/etc/msg"]
 * ```
 */
export class TemplateRecipe implements Recipe {
  readonly output: string;
  readonly overwrite: boolean;
  #mode?: number;
  #result?: Promise<string>;

  constructor(
    private ctx: RecipeContext,
    private syntax: TemplateSyntax,
  ) {
    const { options, settings } = ctx;
    const input = options.get("input");
    const inline = options.get("inline");
    const url = options.get("url");
    if (input === undefined && inline === undefined && url === undefined) {
      throw new UserError("No input file, inline template, or URL specified.");
    }
    const output = options.get("output");
    if (output === undefined) throw new UserError("No output file specified.");
    if (input !== undefined && (inline !== undefined || url !== undefined)) {
      throw new UserError("Too many input sources.");
    }
    this.output = resolve(settings.directory, output);
    this.overwrite = TRUE.includes(
      (options.get("overwrite") ?? "true").toLowerCase(),
    );
    const inputEncoding = options.get("input-encoding") ?? "utf-8";
    const outputEncoding = options.get("output-encoding") ?? "utf-8";
    encodeText("", outputEncoding); // refuse an unknown encoding now
    const timeout = parseTimeout(options.get("timeout"));
    const md5 = options.get("md5sum")?.trim() || undefined;
    const inputPath = input === undefined
      ? undefined
      : resolve(settings.directory, input);
    if (inline !== undefined) {
      this.#result = this.#rendered(inline.trimStart());
    } else if (inputPath !== undefined && existsSync(inputPath)) {
      let bytes: Uint8Array;
      try {
        bytes = Deno.readFileSync(inputPath);
        this.#mode = Deno.statSync(inputPath).mode! & 0o7777;
      } catch (err) {
        throw new UserError(
          `Cannot read input file '${input}': ${(err as Error).message}`,
        );
      }
      this.#result = this.#rendered(decodeText(bytes, inputEncoding));
    } else if (input?.startsWith("inline:")) {
      this.#result = this.#rendered(input.slice("inline:".length).trimStart());
    } else if (url !== undefined) {
      this.#fetch = () => this.#download(url, inputEncoding, timeout, md5);
    } else {
      throw new UserError(`Input file '${input}' does not exist.`);
    }
    const mode = options.get("mode");
    if (mode !== undefined) this.#mode = parseOctal(mode);
    this.#encoding = outputEncoding;
  }

  #fetch?: () => Promise<string>;
  #encoding: string;

  pending(): string[] {
    return this.overwrite ? [this.output] : [];
  }

  /** The rendered text (URL templates are fetched on first use). */
  result(): Promise<string> {
    this.#result ??= this.#fetch!();
    return this.#result;
  }

  async install(): Promise<string[]> {
    const bytes = encodeText(await this.result(), this.#encoding);
    if (!this.overwrite && await isFile(this.output)) return [];
    const created = await this.#makeParents(dirname(this.output));
    if (this.overwrite) this.ctx.created(this.output);
    await writeFileAtomic(this.output, bytes, { mode: this.#mode });
    return this.overwrite ? [...created, this.output] : created;
  }

  async update(): Promise<string[] | void> {
    const bytes = encodeText(await this.result(), this.#encoding);
    let current: Uint8Array | undefined;
    try {
      current = await Deno.readFile(this.output);
    } catch {
      current = undefined;
    }
    if (current && sameBytes(current, bytes)) return;
    return await this.install();
  }

  #rendered(source: string): Promise<string> {
    const { buildout, name } = this.ctx;
    if (this.syntax === "genshi") {
      return Promise.resolve(renderGenshi(
        source,
        name,
        (s, o) => buildout.section(s).require(o),
      ));
    }
    return Promise.resolve(
      renderBuildout(source, name, (s, o) => buildout.section(s).get(o)),
    );
  }

  async #download(
    url: string,
    encoding: string,
    timeout: number | undefined,
    md5: string | undefined,
  ): Promise<string> {
    const { settings, log } = this.ctx;
    const download = new Download({
      cacheRoot: settings.downloadCache,
      namespace: TEMPLATE_NAMESPACE,
      offline: settings.offline || settings.installFromCache,
      log,
      timeoutSeconds: timeout ?? settings.timeoutSeconds,
    });
    const got = await download.download(url, { md5 });
    try {
      const bytes = await Deno.readFile(got.path);
      return await this.#rendered(decodeText(bytes, encoding));
    } finally {
      if (got.isTemp) await Deno.remove(got.path).catch(() => {});
    }
  }

  /** Create the missing folders above the output, outermost first. */
  async #makeParents(dir: string): Promise<string[]> {
    const missing: string[] = [];
    for (let d = dir; !(await exists(d)); d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      this.ctx.created(d);
      await Deno.mkdir(d);
    }
    return missing;
  }
}

function existsSync(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  return await Deno.stat(path).then((s) => s.isFile, () => false);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function parseOctal(mode: string): number {
  const m = /^\s*(?:0o)?([0-7]+)\s*$/i.exec(mode);
  if (!m || parseInt(m[1], 8) > 0o7777) {
    throw new UserError(`Invalid mode '${mode}': expected octal like 0755`);
  }
  return parseInt(m[1], 8);
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (!value.trim() || !Number.isFinite(n) || n <= 0) {
    throw new UserError(`Invalid value for 'timeout' option: '${value}'`);
  }
  return n;
}

registerRecipe(
  ["collective.recipe.template"],
  (ctx) => new TemplateRecipe(ctx, "buildout"),
);
registerRecipe(
  ["collective.recipe.template:genshi"],
  (ctx) => new TemplateRecipe(ctx, "genshi"),
);
