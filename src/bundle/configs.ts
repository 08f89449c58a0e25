/**
 * The configuration files of a bundle: the main file and everything it extends (local files
 * and URLs), each given a local name inside the bundle and with its `extends` rewritten to
 * those local names. The main file's `download-cache` is pointed at the bundled cache.
 *
 * @module
 */
import {
  basename,
  dirname,
  isAbsolute,
  posix,
  relative,
  resolve,
  sep,
} from "node:path";
import { UserError } from "../errors.ts";
import { parseConfig, type ParsedFile } from "../config/parse.ts";

/** One configuration file of the bundle. */
export interface BundledConfig {
  /** Where it came from: absolute path or URL. */
  source: string;
  /** Name inside the bundle, `/`-separated. */
  name: string;
  text: string;
}

/** Reads a remote configuration file. */
export type FetchText = (url: string) => Promise<string>;

/** A replacement of lines `from..to` (0-based, inclusive; `to = from - 1` inserts). */
interface Edit {
  from: number;
  to: number;
  lines: string[];
}

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Whether an `extends` entry is a URL (else a path).
 *
 * @example
 * ```ts
 * isUrl("http://h/base.cfg"); // true
 * isUrl("base.cfg"); // false
 * ```
 */
export function isUrl(s: string): boolean {
  return URL_RE.test(s);
}

/**
 * The local name for a configuration source, relative to the main file's folder `root`:
 * files below it keep their relative path, others go under `extends/`.
 *
 * @example
 * ```ts
 * localName("/b/cfg/base.cfg", "/b"); // "cfg/base.cfg"
 * localName("http://h:8080/x/base.cfg", "/b"); // "extends/h_8080/x/base.cfg"
 * localName("/etc/site.cfg", "/b"); // "extends/local/site.cfg"
 * ```
 */
export function localName(source: string, root: string | undefined): string {
  if (isUrl(source)) {
    const u = new URL(source);
    const segs = u.pathname.split("/").filter((s) => s && s !== "..")
      .map(safeSegment);
    if (u.pathname.endsWith("/") || !segs.length) segs.push("index.cfg");
    return ["extends", safeSegment(u.host), ...segs].join("/");
  }
  if (root) {
    const rel = relative(root, source);
    if (rel && !rel.startsWith("..") && !isAbsolute(rel)) {
      return rel.split(sep).join("/");
    }
  }
  return `extends/local/${basename(source)}`;
}

function safeSegment(s: string): string {
  return decodeURIComponent(s).replace(/[^A-Za-z0-9._-]/g, "_");
}

/**
 * `name` made unique among `taken` by a `-2`, `-3`, ... before the extension.
 *
 * @example
 * ```ts
 * uniqueName("extends/local/base.cfg", new Set(["extends/local/base.cfg"]));
 * // "extends/local/base-2.cfg"
 * ```
 */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf(".");
  const slash = name.lastIndexOf("/");
  const [stem, ext] = dot > slash + 1
    ? [name.slice(0, dot), name.slice(dot)]
    : [name, ""];
  for (let i = 2;; i++) {
    const n = `${stem}-${i}${ext}`;
    if (!taken.has(n)) return n;
  }
}

/** The `[buildout]` options named `key` (in any `[buildout]` or `[buildout:cond]` block). */
function buildoutOptions(parsed: ParsedFile, key: string) {
  return parsed.sections.filter((s) => s.name === "buildout").flatMap((s) =>
    s.options.filter((o) => o.key === key)
  );
}

/** Index of the last line of the option starting at `start` (continuation lines included). */
function optionEnd(lines: string[], start: number): number {
  let end = start;
  for (let j = start + 1; j < lines.length; j++) {
    if (lines[j].trim() === "") continue;
    if (!/^\s/.test(lines[j])) break;
    end = j;
  }
  return end;
}

function optionLines(key: string, op: string, values: string[]): string[] {
  if (values.length === 1) return [`${key} ${op} ${values[0]}`];
  return [`${key} ${op}`, ...values.map((v) => `    ${v}`)];
}

function applyEdits(text: string, edits: Edit[]): string {
  const lines = text.split("\n");
  // bottom-up; at one line, replace before inserting there
  const order = (e: Edit) => e.from * 2 + (e.to >= e.from ? 1 : 0);
  for (const e of [...edits].sort((a, b) => order(b) - order(a))) {
    lines.splice(e.from, e.to - e.from + 1, ...e.lines);
  }
  return lines.join("\n");
}

/**
 * Rewrite every `extends` of `[buildout]` through `map` (old entry -> new entry).
 *
 * @example
 * ```ts
 * rewriteExtends("[buildout]\nextends = http://h/b.cfg\n", "x.cfg", (e) => "extends/h/b.cfg");
 * // "[buildout]\nextends = extends/h/b.cfg\n"
 * ```
 */
export function rewriteExtends(
  text: string,
  filename: string,
  map: (entry: string) => string,
): string {
  return applyEdits(text, extendsEdits(text, parseConfig(text, filename), map));
}

function extendsEdits(
  text: string,
  parsed: ParsedFile,
  map: (entry: string) => string,
): Edit[] {
  const lines = text.split("\n");
  return buildoutOptions(parsed, "extends").map((o) => {
    const values = o.value.split(/\s+/).filter((v) => v).map(map);
    const from = o.line - 1;
    return {
      from,
      to: optionEnd(lines, from),
      lines: optionLines("extends", o.op, values),
    };
  });
}

/**
 * Set `[buildout] key = value` in a configuration text: every unconditional setting of it is
 * replaced; when there is none, the line is added after the first `[buildout]` header (or a
 * `[buildout]` section is appended).
 *
 * @example
 * ```ts
 * setBuildoutOption("[buildout]\nparts =\n", "x.cfg", "download-cache", "download-cache");
 * // "[buildout]\ndownload-cache = download-cache\nparts =\n"
 * ```
 */
export function setBuildoutOption(
  text: string,
  filename: string,
  key: string,
  value: string,
): string {
  return applyEdits(
    text,
    setEdits(text, parseConfig(text, filename), key, value),
  );
}

function setEdits(
  text: string,
  parsed: ParsedFile,
  key: string,
  value: string,
): Edit[] {
  const lines = text.split("\n");
  const plain = parsed.sections.filter((s) =>
    s.name === "buildout" && s.condition === undefined
  );
  const existing = plain.flatMap((s) => s.options.filter((o) => o.key === key));
  if (existing.length) {
    return existing.map((o) => ({
      from: o.line - 1,
      to: optionEnd(lines, o.line - 1),
      lines: [`${key} = ${value}`],
    }));
  }
  if (plain.length) {
    const at = plain[0].line; // the line after the header (0-based index)
    return [{ from: at, to: at - 1, lines: [`${key} = ${value}`] }];
  }
  const end = lines.length;
  const pad = text === "" || text.endsWith("\n") ? [] : [""];
  return [{
    from: end,
    to: end - 1,
    lines: [...pad, "[buildout]", `${key} = ${value}`, ""],
  }];
}

/** Resolve an `extends` entry written in `source`. */
function resolveRef(ref: string, source: string): string {
  if (isUrl(ref)) return ref;
  if (isUrl(source)) return new URL(ref, source).href;
  return resolve(dirname(source), ref);
}

/**
 * Collect the main configuration and everything it extends, with local names and rewritten
 * `extends`; the main file (first in the result) keeps its base name and gets
 * `download-cache = <cacheName>`.
 *
 * @example
 * ```ts
 * const files = await collectConfigs("/b/buildout.cfg", "download-cache", fetchText);
 * files.map((f) => f.name); // ["buildout.cfg", "base.cfg", "extends/h/versions.cfg"]
 * ```
 */
export async function collectConfigs(
  main: string,
  cacheName: string,
  fetchText: FetchText,
): Promise<BundledConfig[]> {
  const root = isUrl(main) ? undefined : dirname(main);
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const nameOf = (source: string, preferred: string) => {
    let n = names.get(source);
    if (!n) {
      n = uniqueName(preferred, taken);
      names.set(source, n);
      taken.add(n);
    }
    return n;
  };
  nameOf(
    main,
    isUrl(main)
      ? localName(main, undefined).split("/").at(-1)!
      : basename(main),
  );
  const out: BundledConfig[] = [];
  const queue = [main];
  const seen = new Set<string>();
  while (queue.length) {
    const source = queue.shift()!;
    if (seen.has(source)) continue;
    seen.add(source);
    const text = await readSource(source, fetchText);
    const parsed = parseConfig(text, source);
    const myName = names.get(source)!;
    const map = (ref: string) => {
      const target = resolveRef(ref, source);
      const n = nameOf(target, localName(target, root));
      queue.push(target);
      return posix.relative(posix.dirname(myName), n);
    };
    const edits = extendsEdits(text, parsed, map);
    if (source === main) {
      edits.push(...setEdits(text, parsed, "download-cache", cacheName));
    }
    out.push({ source, name: myName, text: applyEdits(text, edits) });
  }
  return out;
}

async function readSource(
  source: string,
  fetchText: FetchText,
): Promise<string> {
  if (isUrl(source)) return await fetchText(source);
  try {
    return await Deno.readTextFile(source);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Couldn't open ${source} to bundle it: no such file.`,
      );
    }
    throw err;
  }
}
