/**
 * Where distribution files come from: the download cache `dist/`, then
 * find-links (local folders and files, dist URLs, pages), then the index
 * (PEP 503 HTML or PEP 691 JSON, with buildout's root-page fallback).
 *
 * Every page and folder is read at most once per run ({@link ReadMemo}), at
 * most {@link PAGE_CONNECTIONS} at once; with a page cache a page read before
 * is revalidated (`304 Not Modified` reuses the stored copy). Sources are
 * indexed by normalised project name, so lookups are linear in their size.
 * Warnings about pages are held back until {@link Finder.report}, so that
 * pages read ahead do not change the order of the output.
 *
 * @module
 */

import { join } from "../path.ts";
import type { Logger } from "../log.ts";
import { normalizeName } from "../pypa/name.ts";
import { parseDistFilename } from "../pypa/filename.ts";
import { matchesSpecifier } from "../pypa/version.ts";
import { type Interpreter, isCompatible } from "../python/interpreter.ts";
import type { DistCache } from "../fetch/cache.ts";
import type { PageCache } from "../fetch/pages.ts";
import { limiter } from "../fetch/pool.ts";
import { type PageLink, splitHashFragment, urlBasename } from "./links.ts";
import { type Page, readPage } from "./page.ts";
import type { Candidate, Origin } from "./candidate.ts";
import { hostAllowed } from "./hosts.ts";

export type { Candidate, Origin } from "./candidate.ts";
export { hostAllowed } from "./hosts.ts";
import { localPath, readLocalLinks } from "./local.ts";

/** The index used when none is configured. */
export const DEFAULT_INDEX = "https://pypi.org/simple/";

export { INDEX_ACCEPT } from "./page.ts";

/** How many pages are read at once (per run, shared by every finder). */
export const PAGE_CONNECTIONS = 16;

/** Options of {@link Finder}. */
export interface FinderOptions {
  /** find-links entries: local folders or files, `file://` URLs, http(s) URLs. */
  findLinks: string[];
  /** The index (default {@link DEFAULT_INDEX}); a local folder or `file://` URL works too. */
  index?: string;
  /** Globs matched against `host[:port]`; empty means `*`. Local files are always allowed. */
  allowHosts: string[];
  /** The download cache's `dist/` folder, consulted first. */
  distCache?: DistCache;
  /** Consult only the download cache (no find-links, no index, no network). */
  installFromCache: boolean;
  /** The target interpreter: incompatible files and `requires-python` misses are dropped. */
  interpreter: Interpreter;
  timeoutSeconds?: number;
  /** The largest page read (bytes); default {@link MAX_PAGE_BYTES}. */
  maxPageBytes?: number;
  log: Logger;
  /** Pages and folders already read in this run (shared between finders). */
  reads?: ReadMemo;
  /** Pages kept from earlier runs (`<eggs-directory>/.pages`), revalidated. */
  pageCache?: PageCache;
}

type ByKey = Map<string, Candidate[]>;

/**
 * What finders have read: pages by URL and local folders by path. Finders of
 * one run share one, so every page is read at most once per run even when
 * parts use different find-links or indexes.
 *
 * @example
 * ```ts
 * const reads = new ReadMemo();
 * const a = new Finder({ ...opts, findLinks: [server], reads });
 * const b = new Finder({ ...opts, findLinks: [server, other], reads }); // `server` is not read again
 * ```
 */
export class ReadMemo {
  readonly pages = new Map<string, Promise<Page>>();
  readonly dirs = new Map<string, Promise<PageLink[] | undefined>>();
  /** Pages whose warning has been logged. */
  readonly warned = new Set<Page>();
  /** Page reads under way are bounded by this. */
  readonly connections = limiter(PAGE_CONNECTIONS);
}

function addTo(map: ByKey, c: Candidate): void {
  const list = map.get(c.file.key);
  if (list) list.push(c);
  else map.set(c.file.key, [c]);
}

/**
 * Finds candidate distribution files for project names.
 *
 * @example
 * ```ts
 * const finder = new Finder({
 *   findLinks: ["http://127.0.0.1:8080/"], index: "http://127.0.0.1:8080/index/",
 *   allowHosts: ["*"], distCache, installFromCache: false, interpreter, log,
 * });
 * const cands = await finder.candidates("demo"); // cache copies first
 * ```
 */
export class Finder {
  #o: FinderOptions;
  #reads: ReadMemo;
  #pages: Map<string, Promise<Page>>;
  #dirs: Map<string, Promise<PageLink[] | undefined>>;
  /** Pages each project's lookup read (their warnings are logged by {@link report}). */
  #read = new Map<string, Page[]>();
  #findLinkPages: Page[] = [];
  #byKey = new Map<string, Promise<Candidate[]>>();
  #cache?: Promise<ByKey>;
  #findLinks?: Promise<ByKey>;
  #index: string;
  /** Projects without an index page: key -> whether other sources had files for it. */
  #noIndexPage = new Map<string, boolean>();

  constructor(o: FinderOptions) {
    this.#o = o;
    const reads = this.#reads = o.reads ?? new ReadMemo();
    this.#pages = reads.pages;
    this.#dirs = reads.dirs;
    let index = (o.index ?? "").trim() || DEFAULT_INDEX;
    if (/^file:/i.test(index)) index = localPath(index) ?? index;
    this.#index = index.endsWith("/") ? index : index + "/";
  }

  /**
   * Compatible candidates for a project (any spelling; compared normalised):
   * cache copies first, then find-links in their order, then the index.
   * With `installFromCache` only the cache. Memoised per project.
   */
  candidates(key: string): Promise<Candidate[]> {
    const k = normalizeName(key);
    let p = this.#byKey.get(k);
    if (!p) {
      p = this.#lookup(k);
      this.#byKey.set(k, p);
    }
    return p;
  }

  /**
   * Log what the lookup of a project met, once: pages that could not be read
   * (`Download error on <url>: <reason> -- Some packages may not be found!`,
   * each page once per run), then, as buildout's package index does, that
   * the index has no page for it: a warning `Couldn't find index page for
   * 'name' (maybe misspelled?)` when no other source knows the project, else
   * (debug) `Couldn't retrieve index page for 'name'`. Call it after
   * {@link candidates}, where the messages belong in the output.
   *
   * @example
   * ```ts
   * await finder.candidates("NoSuch");
   * finder.report("NoSuch"); // Couldn't find index page for 'NoSuch' (maybe misspelled?)
   * ```
   */
  report(name: string): void {
    const key = normalizeName(name);
    for (const page of [...this.#findLinkPages, ...this.#read.get(key) ?? []]) {
      if (!page.warning || this.#reads.warned.has(page)) continue;
      this.#reads.warned.add(page);
      this.#o.log.warn(page.warning);
    }
    this.#read.delete(key);
    const known = this.#noIndexPage.get(key);
    if (known === undefined) return;
    this.#noIndexPage.delete(key);
    if (known) this.#o.log.debug(`Couldn't retrieve index page for '${name}'`);
    else {
      this.#o.log.warn(
        `Couldn't find index page for '${name}' (maybe misspelled?)`,
      );
    }
  }

  async #lookup(key: string): Promise<Candidate[]> {
    const found = [...((await this.#cacheIndex()).get(key) ?? [])];
    if (!this.#o.installFromCache) {
      found.push(...((await this.#findLinksIndex()).get(key) ?? []));
      const known = found.length > 0;
      found.push(
        ...await this.#indexCandidates(
          key,
          () => this.#noIndexPage.set(key, known),
        ),
      );
    }
    const seen = new Set<string>();
    return found.filter((c) => {
      if (seen.has(c.url)) return false;
      seen.add(c.url);
      return this.#usable(c);
    });
  }

  #usable(c: Candidate): boolean {
    const interp = this.#o.interpreter;
    if (!isCompatible(c.file, interp)) return false;
    if (c.requiresPython) {
      try {
        return matchesSpecifier(interp.version, c.requiresPython);
      } catch {
        return true; // an unreadable requires-python does not exclude (as pip)
      }
    }
    return true;
  }

  #cacheIndex(): Promise<ByKey> {
    return this.#cache ??= (async () => {
      const map: ByKey = new Map();
      const cache = this.#o.distCache;
      if (!cache) return map;
      for (const file of await cache.list()) {
        addTo(map, {
          file,
          url: cache.pathOf(file.filename),
          hashes: {},
          origin: "cache",
        });
      }
      return map;
    })();
  }

  #findLinksIndex(): Promise<ByKey> {
    return this.#findLinks ??= (async () => {
      const map: ByKey = new Map();
      const lists = await Promise.all(
        this.#o.findLinks.map((e) => e.trim()).filter(Boolean).map((e) =>
          this.#findLinkEntry(e)
        ),
      );
      for (const list of lists) for (const c of list) addTo(map, c);
      return map;
    })();
  }

  async #findLinkEntry(entry: string): Promise<Candidate[]> {
    const path = localPath(entry);
    if (path !== undefined) {
      const links = await this.#readLocal(path);
      if (links === undefined) {
        this.#findLinkPages.push({
          status: 404,
          links: [],
          warning: `Not found: ${entry}`,
        });
        return [];
      }
      return this.#toCandidates(links, "find-links");
    }
    if (!hostAllowed(entry, this.#o.allowHosts)) return [];
    const { url, hashes } = splitHashFragment(entry);
    const filename = urlBasename(url);
    if (parseDistFilename(filename)) {
      return this.#toCandidates([{ url, filename, hashes }], "find-links");
    }
    const page = await this.#page(entry, "page");
    this.#findLinkPages.push(page);
    return this.#toCandidates(page.links, "find-links");
  }

  #toCandidates(links: PageLink[], origin: Origin, key?: string): Candidate[] {
    const out: Candidate[] = [];
    for (const link of links) {
      if (!hostAllowed(link.url, this.#o.allowHosts)) continue;
      const file = parseDistFilename(link.filename);
      if (!file || (key !== undefined && file.key !== key)) continue;
      const url = /^file:/i.test(link.url) ? localPath(link.url) : link.url;
      if (url === undefined) continue;
      const c: Candidate = { file, url, hashes: link.hashes, origin };
      if (link.requiresPython) c.requiresPython = link.requiresPython;
      if (link.yanked) c.yanked = true;
      out.push(c);
    }
    return out;
  }

  /**
   * A local folder (one level; its `index.html` instead, if present) or file,
   * as links with absolute paths; undefined when missing. Read once.
   */
  #readLocal(path: string): Promise<PageLink[] | undefined> {
    let p = this.#dirs.get(path);
    if (!p) {
      p = readLocalLinks(path);
      this.#dirs.set(path, p);
    }
    return p;
  }

  /**
   * Fetch a page once per URL. `project` pages ask for PEP 691 JSON or HTML and
   * answer 404 quietly; other pages (find-links, the index root) count only when
   * HTML. Failures are warned about and read as empty.
   */
  #page(url: string, mode: "page" | "project"): Promise<Page> {
    let p = this.#pages.get(url);
    if (!p) {
      p = this.#reads.connections(() => this.#fetchPage(url, mode));
      this.#pages.set(url, p);
    }
    return p;
  }

  /**
   * Whether `allow-hosts` lets `url` through (checked on every redirect hop).
   *
   * @example
   * ```ts
   * finder.allows("https://evil.example/x.whl"); // false with allow-hosts = *.python.org
   * ```
   */
  allows(url: string): boolean {
    return hostAllowed(url, this.#o.allowHosts);
  }

  #fetchPage(url: string, mode: "page" | "project"): Promise<Page> {
    return readPage(url, mode, {
      allowUrl: (u) => this.allows(u),
      timeoutSeconds: this.#o.timeoutSeconds,
      maxBytes: this.#o.maxPageBytes,
      log: this.#o.log,
      pageCache: this.#o.pageCache,
    });
  }

  async #indexCandidates(
    key: string,
    noPage: () => void,
  ): Promise<Candidate[]> {
    const read: Page[] = [];
    this.#read.set(key, read);
    const page = async (url: string, mode: "page" | "project") => {
      const p = await this.#page(url, mode);
      read.push(p);
      return p;
    };
    const index = this.#index;
    const local = localPath(index);
    if (local !== undefined) {
      const project = await this.#readLocal(join(local, key));
      if (project) return this.#toCandidates(project, "index", key);
      noPage();
      return this.#toCandidates(
        (await this.#readLocal(local)) ?? [],
        "index",
        key,
      );
    }
    if (!hostAllowed(index, this.#o.allowHosts)) return [];
    const pageUrl = index + key + "/";
    const project = await page(pageUrl, "project");
    if (project.status !== 404) {
      return this.#toCandidates(project.links, "index", key);
    }
    // No project page: read the index root once, as buildout does, and follow
    // only the root's links to this project's page.
    noPage();
    const root = (await page(index, "page")).links;
    const found = this.#toCandidates(root, "index", key);
    for (const link of root) {
      if (!link.url.startsWith(index) || link.url === pageUrl) continue;
      const rest = link.url.slice(index.length).replace(/\/$/, "");
      if (
        rest.includes("/") || normalizeName(decodeURIComponent(rest)) !== key
      ) continue;
      const other = await page(
        link.url.endsWith("/") ? link.url : link.url + "/",
        "project",
      );
      found.push(...this.#toCandidates(other.links, "index", key));
    }
    return found;
  }
}
