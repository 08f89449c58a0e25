/**
 * Links on find-links pages and simple-index pages: PEP 503 HTML and PEP 691 JSON.
 *
 * Pure functions: text in, links out. Nothing here fetches anything.
 *
 * @module
 */

import { isPlainName } from "../paths.ts";
import { HASH_ALGORITHMS } from "../fetch/http.ts";

/** One link to a (possible) distribution file. */
export interface PageLink {
  /** Absolute URL, without its fragment. */
  url: string;
  /** The percent-decoded last path segment ("" for a URL ending in `/`). */
  filename: string;
  /** Hashes from a `#sha256=...` style fragment or from PEP 691 `hashes`. */
  hashes: Record<string, string>;
  /** `data-requires-python` / `requires-python`, entities decoded. */
  requiresPython?: string;
  /** Marked yanked (`data-yanked` present, or PEP 691 `yanked` true or a reason). */
  yanked?: boolean;
}

/** The hash algorithms a link fragment may name (those downloads verify). */
export const HASH_NAMES = HASH_ALGORITHMS;

/** The content type of PEP 691 JSON pages. */
export const SIMPLE_JSON = "application/vnd.pypi.simple.v1+json";

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/**
 * Decode HTML character references (`&amp;`, `&#62;`, `&#x3E;`, ...).
 * Unknown named references are left as they are.
 *
 * @example
 * ```ts
 * decodeEntities("a?x=1&amp;y=&gt;2"); // "a?x=1&y=>2"
 * ```
 */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    /&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?/g,
    (all, ref: string) => {
      if (ref[0] === "#") {
        const hex = ref[1] === "x" || ref[1] === "X";
        const code = parseInt(ref.slice(hex ? 2 : 1), hex ? 16 : 10);
        if (!Number.isFinite(code) || code > 0x10ffff) return all;
        return String.fromCodePoint(code);
      }
      const named = NAMED[ref.toLowerCase()];
      return named ?? all;
    },
  );
}

/**
 * Split a URL into the URL without fragment and the hashes the fragment names.
 *
 * @example
 * ```ts
 * splitHashFragment("http://h/demo-0.2.whl#sha256=abc");
 * // { url: "http://h/demo-0.2.whl", hashes: { sha256: "abc" } }
 * ```
 */
export function splitHashFragment(
  url: string,
): { url: string; hashes: Record<string, string> } {
  const hashAt = url.indexOf("#");
  if (hashAt < 0) return { url, hashes: {} };
  const hashes: Record<string, string> = {};
  for (const part of url.slice(hashAt + 1).split("&")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const algo = part.slice(0, eq).toLowerCase();
    if ((HASH_NAMES as readonly string[]).includes(algo)) {
      hashes[algo] = part.slice(eq + 1);
    }
  }
  return { url: url.slice(0, hashAt), hashes };
}

/**
 * The percent-decoded last segment of a URL's path.
 *
 * @example
 * ```ts
 * urlBasename("http://h/a/demo%2D0.2.zip?x#md5=1"); // "demo-0.2.zip"
 * ```
 */
export function urlBasename(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.replace(/[?#].*$/, "");
  }
  const base = path.slice(path.lastIndexOf("/") + 1);
  try {
    const decoded = decodeURIComponent(base);
    // An encoded separator or `..` never becomes part of a file name.
    return isPlainName(decoded) ? decoded : base;
  } catch {
    return base;
  }
}

function makeLink(
  href: string,
  base: string,
  extra: {
    hashes?: Record<string, string>;
    requiresPython?: string;
    yanked?: boolean;
  },
): PageLink | undefined {
  let absolute: string;
  try {
    absolute = new URL(href, base).href;
  } catch {
    return undefined;
  }
  const { url, hashes } = splitHashFragment(absolute);
  const link: PageLink = {
    url,
    filename: urlBasename(url),
    hashes: { ...hashes, ...extra.hashes },
  };
  if (extra.requiresPython) link.requiresPython = extra.requiresPython;
  if (extra.yanked) link.yanked = true;
  return link;
}

const TAG = /<([a-zA-Z][a-zA-Z0-9]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
const ATTR =
  /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of text.matchAll(ATTR)) {
    const name = m[1].toLowerCase();
    if (!attrs.has(name)) {
      attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
    }
  }
  return attrs;
}

/**
 * Every `href` on an HTML page as a link, resolved against the page's final URL
 * (or a `<base href>`), with hashes from fragments and the `data-requires-python`
 * and `data-yanked` attributes. Quotes may be double, single or absent; names are
 * case-insensitive; entities are decoded. Links are not followed.
 *
 * @example
 * ```ts
 * parseHtmlLinks('<a HREF=demo-0.2.zip#md5=abc>x</a>', "http://h/links/");
 * // [{ url: "http://h/links/demo-0.2.zip", filename: "demo-0.2.zip", hashes: { md5: "abc" } }]
 * ```
 */
export function parseHtmlLinks(html: string, pageUrl: string): PageLink[] {
  const stream = new HtmlLinkStream(pageUrl);
  stream.push(html);
  return stream.end();
}

/** The longest text kept back waiting for a tag to finish (a stray `<` in text). */
const MAX_CARRY = 1024 * 1024;

/**
 * {@link parseHtmlLinks} for a page that arrives in pieces: each piece is
 * scanned as it comes, only an unfinished tag or comment is kept back, so the
 * page is never held whole.
 *
 * @example
 * ```ts
 * const s = new HtmlLinkStream("http://h/links/");
 * s.push("<a href='demo-0.");
 * s.push("2.zip'>demo</a>");
 * s.end(); // [{ url: "http://h/links/demo-0.2.zip", ... }]
 * ```
 */
export class HtmlLinkStream {
  readonly #links: PageLink[] = [];
  readonly #page: string;
  #base: string;
  #carry = "";

  constructor(pageUrl: string) {
    this.#page = this.#base = pageUrl;
  }

  /** Scan the next piece of the page. */
  push(text: string): void {
    const buf = (this.#carry + text).replace(/<!--[\s\S]*?-->/g, "");
    const comment = buf.indexOf("<!--");
    const scan = comment >= 0 ? buf.slice(0, comment) : buf;
    let end = 0;
    let open = -1;
    for (const m of scan.matchAll(TAG)) {
      // A tag opened before this match and not finished in what has come so
      // far (a quoted `>` or `<` inside it, say) waits for the next piece.
      const unfinished = scan.slice(end, m.index).search(/<[a-zA-Z]/);
      if (unfinished >= 0) {
        open = end + unfinished;
        break;
      }
      this.#tag(m[1], m[2]);
      end = m.index + m[0].length;
    }
    if (open < 0) open = scan.indexOf("<", end);
    this.#carry = buf.slice(
      open >= 0 ? open : comment >= 0 ? comment : buf.length,
    );
    if (this.#carry.length > MAX_CARRY) this.#carry = "";
  }

  /** The page is complete: the links found, in page order. */
  end(): PageLink[] {
    for (const m of this.#carry.matchAll(TAG)) this.#tag(m[1], m[2]);
    this.#carry = "";
    return this.#links;
  }

  #tag(name: string, rest: string): void {
    const attrs = attributes(rest);
    const href = attrs.get("href");
    if (href === undefined || href.trim() === "") return;
    if (name.toLowerCase() === "base") {
      try {
        this.#base = new URL(href.trim(), this.#page).href;
      } catch { /* keep the page URL */ }
      return;
    }
    const link = makeLink(href.trim(), this.#base, {
      requiresPython: attrs.get("data-requires-python")?.trim() || undefined,
      yanked: attrs.has("data-yanked"),
    });
    if (link) this.#links.push(link);
  }
}

interface JsonFile {
  filename?: unknown;
  url?: unknown;
  hashes?: unknown;
  "requires-python"?: unknown;
  yanked?: unknown;
}

/**
 * The files of a PEP 691 JSON project page (`application/vnd.pypi.simple.v1+json`).
 * Relative file URLs are resolved against the page URL. Malformed input yields
 * the files that could be read (never throws for a bad page).
 *
 * @example
 * ```ts
 * parseJsonLinks('{"files":[{"filename":"demo-0.2.tar.gz","url":"../f/demo-0.2.tar.gz",' +
 *   '"hashes":{"sha256":"ab"},"yanked":"broken"}]}', "http://h/simple/demo/");
 * // [{ url: "http://h/simple/f/demo-0.2.tar.gz", filename: "demo-0.2.tar.gz",
 * //    hashes: { sha256: "ab" }, yanked: true }]
 * ```
 */
export function parseJsonLinks(
  json: string | unknown,
  pageUrl: string,
): PageLink[] {
  let data: unknown = json;
  if (typeof json === "string") {
    try {
      data = JSON.parse(json);
    } catch {
      return [];
    }
  }
  const files = (data as { files?: unknown })?.files;
  if (!Array.isArray(files)) return [];
  const links: PageLink[] = [];
  for (const f of files as JsonFile[]) {
    if (!f || typeof f.url !== "string") continue;
    const hashes: Record<string, string> = {};
    if (f.hashes && typeof f.hashes === "object") {
      for (
        const [k, v] of Object.entries(f.hashes as Record<string, unknown>)
      ) {
        if (typeof v === "string") hashes[k.toLowerCase()] = v;
      }
    }
    const rp = f["requires-python"];
    const link = makeLink(f.url, pageUrl, {
      hashes,
      requiresPython: typeof rp === "string" && rp.trim()
        ? rp.trim()
        : undefined,
      yanked: f.yanked === true || typeof f.yanked === "string",
    });
    if (!link) continue;
    if (typeof f.filename === "string" && f.filename) {
      link.filename = f.filename;
    }
    links.push(link);
  }
  return links;
}

/**
 * Parse a page by its content type: PEP 691 JSON when the type says so, HTML when
 * it contains `html`, nothing otherwise (buildout ignores non-HTML pages).
 *
 * @example
 * ```ts
 * parsePage("<a href='x-1.zip'>", "text/html; charset=utf-8", "http://h/"); // one link
 * parsePage("binary", "application/zip", "http://h/"); // []
 * ```
 */
export function parsePage(
  body: string,
  contentType: string,
  pageUrl: string,
): PageLink[] {
  const type = contentType.toLowerCase();
  if (type.includes(SIMPLE_JSON) || type.includes("json")) {
    return parseJsonLinks(body, pageUrl);
  }
  if (type.includes("html")) return parseHtmlLinks(body, pageUrl);
  return [];
}
