/**
 * Reading one find-links or index page over HTTP: through the page cache when
 * there is one (a `304` reuses the stored copy), HTML scanned as it arrives,
 * PEP 691 JSON parsed whole. Failures become a warning held in the result.
 *
 * @module
 */

import {
  DownloadError,
  getText,
  type HttpOptions,
  statusLine,
} from "../fetch/http.ts";
import { noStore, PageCache, storable } from "../fetch/pages.ts";
import {
  HtmlLinkStream,
  type PageLink,
  parsePage,
  SIMPLE_JSON,
} from "./links.ts";

/** What an index project page is asked for: JSON preferred, HTML accepted. */
export const INDEX_ACCEPT = `${SIMPLE_JSON}, text/html;q=0.5`;

/** A page read: its status (0 when unreachable), its links, what went wrong. */
export interface Page {
  status: number;
  links: PageLink[];
  /** A warning about reading it, for the finder to log in order. */
  warning?: string;
}

/**
 * Read a page. `project` pages ask for PEP 691 JSON or HTML and answer 404
 * quietly; other pages (find-links, the index root) count only when HTML.
 *
 * @example
 * ```ts
 * const page = await readPage("http://127.0.0.1:8080/simple/demo/", "project", { pageCache });
 * page.links.map((l) => l.filename); // ["demo-0.2-py3-none-any.whl", ...]
 * ```
 */
export async function readPage(
  url: string,
  mode: "page" | "project",
  o: HttpOptions & { maxBytes?: number; pageCache?: PageCache },
): Promise<Page> {
  try {
    const cache = o.pageCache;
    const old = await cache?.read(url);
    // HTML pages are scanned as they arrive; JSON ones are parsed whole.
    let html: HtmlLinkStream | undefined;
    const page = await getText(url, {
      headers: old ? PageCache.conditional(old) : undefined,
      save: cache &&
        ((finalUrl, headers) =>
          storable(headers)
            ? cache.writer(url, finalUrl, headers).catch(() => undefined)
            : cache.remove(url).then(() => undefined)),
      allowUrl: o.allowUrl,
      timeoutSeconds: o.timeoutSeconds,
      maxBytes: o.maxBytes,
      log: o.log,
      accept: mode === "project" ? INDEX_ACCEPT : "text/html",
      stream: (type, finalUrl) => {
        const t = type.toLowerCase();
        if (!t.includes("html") || t.includes("json")) return undefined;
        const stream = html = new HtmlLinkStream(finalUrl);
        return (text) => stream.push(text);
      },
    });
    if (page.status === 304 && old) {
      if (noStore(page.headers)) await cache!.remove(url);
      const type = old.contentType.toLowerCase();
      if (mode === "page" && !type.includes("html")) {
        return { status: 200, links: [] };
      }
      const body = new TextDecoder().decode(old.body);
      return { status: 200, links: parsePage(body, type, page.url) };
    }
    if (page.status === 404 && mode === "project") {
      return { status: 404, links: [] };
    }
    if (page.status >= 400) {
      return {
        status: page.status,
        links: [],
        warning: downloadError(url, statusLine(page.status, "")),
      };
    }
    const type = page.contentType.toLowerCase();
    if (mode === "page" && !type.includes("html")) {
      return { status: page.status, links: [] };
    }
    return {
      status: page.status,
      links: html ? html.end() : parsePage(page.body, type, page.url),
    };
  } catch (err) {
    const reason = err instanceof DownloadError
      ? err.reason
      : err instanceof Error
      ? err.message
      : String(err);
    return { status: 0, links: [], warning: downloadError(url, reason) };
  }
}

function downloadError(url: string, reason: string): string {
  return `Download error on ${url}: ${reason} -- Some packages may not be found!`;
}
