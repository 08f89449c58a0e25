/**
 * The page cache `<eggs-directory>/.pages/`: index and find-links pages kept
 * with their validators (`ETag`, `Last-Modified`) so that a later run asks
 * with `If-None-Match` / `If-Modified-Since` and a `304 Not Modified` answer
 * reuses the stored body.
 *
 * One file per URL, named by the sha256 of the URL: the body as received,
 * then one line of JSON with the URL, the validators, the content type and
 * the body's size and sha256. A file whose last line does not parse, names
 * another URL or does not match its body is ignored (the page is fetched
 * whole again). Files are written beside their place and renamed into it.
 *
 * @module
 */

import { Sha256, sha256Hex } from "../sha256.ts";
import { join } from "../path.ts";
import { tempNameFor } from "./part_files.ts";

/** A stored page: what the server said about it and its body. */
export interface CachedPage {
  url: string;
  /** The URL after redirects, the base for relative links. */
  finalUrl: string;
  contentType: string;
  etag?: string;
  lastModified?: string;
  body: Uint8Array;
}

/**
 * Where a page being received is written; {@link PageWriter.commit} puts it
 * in place. It never throws: a page that cannot be written is not kept.
 */
export interface PageWriter {
  write(chunk: Uint8Array): Promise<void>;
  /** Finish the file and rename it into place. */
  commit(): Promise<void>;
  /** Drop the unfinished file (a failed or retried attempt). */
  abort(): Promise<void>;
}

type Meta = Omit<CachedPage, "body"> & { v: 1; size: number; sha256: string };

const NL = 0x0a;

/**
 * Whether a response may be kept: it has a validator and no `no-store`.
 *
 * @example
 * ```ts
 * storable(new Headers({ etag: '"1"' })); // true
 * storable(new Headers({ etag: '"1"', "cache-control": "no-store" })); // false
 * ```
 */
export function storable(headers: Headers): boolean {
  if (noStore(headers)) return false;
  return headers.has("etag") || headers.has("last-modified");
}

/**
 * Whether an answer says `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * noStore(new Headers({ "cache-control": "private, no-store" })); // true
 * ```
 */
export function noStore(headers: Headers): boolean {
  const cc = (headers.get("cache-control") ?? "").toLowerCase();
  return /(^|[\s,])no-store($|[\s,;=])/.test(cc);
}

/**
 * The page cache folder.
 *
 * @example
 * ```ts
 * const pages = new PageCache("/home/me/.cache/buildout/pages");
 * const old = await pages.read("https://pypi.org/simple/demo/");
 * const headers = old ? PageCache.conditional(old) : {}; // { "if-none-match": '"abc"' }
 * ```
 */
export class PageCache {
  /** `dir` is `<eggs-directory>/.pages`; it is created on the first write. */
  constructor(readonly dir: string) {}

  /** The file holding `url`. */
  pathOf(url: string): string {
    return join(this.dir, sha256Hex(url));
  }

  /** The stored page for `url`; undefined when there is none or it is unreadable. */
  async read(url: string): Promise<CachedPage | undefined> {
    let data: Uint8Array;
    try {
      data = await Deno.readFile(this.pathOf(url));
    } catch {
      return undefined;
    }
    if (data[data.length - 1] !== NL) return undefined;
    const split = data.lastIndexOf(NL, data.length - 2);
    if (split < 0) return undefined;
    let meta: Meta;
    try {
      meta = JSON.parse(new TextDecoder().decode(data.subarray(split + 1)));
    } catch {
      return undefined;
    }
    const body = data.subarray(0, split);
    if (
      meta?.v !== 1 || meta.url !== url || meta.size !== body.length ||
      typeof meta.finalUrl !== "string" ||
      typeof meta.contentType !== "string" ||
      sha256Hex(body) !== meta.sha256
    ) return undefined;
    const page: CachedPage = {
      url,
      finalUrl: meta.finalUrl,
      contentType: meta.contentType,
      body,
    };
    if (typeof meta.etag === "string") page.etag = meta.etag;
    if (typeof meta.lastModified === "string") {
      page.lastModified = meta.lastModified;
    }
    return page;
  }

  /**
   * The request headers that revalidate a stored page.
   *
   * @example
   * ```ts
   * PageCache.conditional({ etag: '"1"', lastModified: "Mon, 01 Jan 2024 00:00:00 GMT", ... });
   * // { "if-none-match": '"1"', "if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT" }
   * ```
   */
  static conditional(page: CachedPage): Record<string, string> {
    const h: Record<string, string> = {};
    if (page.etag) h["if-none-match"] = page.etag;
    if (page.lastModified) h["if-modified-since"] = page.lastModified;
    return h;
  }

  /** Forget `url` (its answer may no longer be stored). */
  async remove(url: string): Promise<void> {
    await Deno.remove(this.pathOf(url)).catch(() => {});
  }

  /**
   * Start storing the answer for `url` (validators from `headers`); the body
   * streams to a temporary file beside its place.
   */
  async writer(
    url: string,
    finalUrl: string,
    headers: Headers,
  ): Promise<PageWriter> {
    await Deno.mkdir(this.dir, { recursive: true });
    const target = this.pathOf(url);
    const temp = tempNameFor(target);
    const file = await Deno.open(temp, { write: true, createNew: true });
    const hash = new Sha256();
    let size = 0;
    let closed = false;
    /** A full disk or similar: the page is still read, just not kept. */
    let failed = false;
    const close = () => {
      if (!closed) file.close();
      closed = true;
    };
    const meta: Omit<Meta, "size" | "sha256"> = {
      v: 1,
      url,
      finalUrl,
      contentType: headers.get("content-type") ?? "",
    };
    const etag = headers.get("etag");
    const lastModified = headers.get("last-modified");
    if (etag) meta.etag = etag;
    if (lastModified) meta.lastModified = lastModified;
    const abort = async () => {
      close();
      await Deno.remove(temp).catch(() => {});
    };
    return {
      async write(chunk) {
        if (failed) return;
        hash.update(chunk);
        size += chunk.length;
        await writeAll(file, chunk).catch(() => {
          failed = true;
        });
      },
      async commit() {
        if (failed) return await abort();
        try {
          const tail = { ...meta, size, sha256: hash.digest("hex") };
          await writeAll(
            file,
            new TextEncoder().encode(`\n${JSON.stringify(tail)}\n`),
          );
          close();
          await Deno.rename(temp, target);
        } catch {
          await abort();
        }
      },
      abort,
    };
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length;) at += await file.write(data.subarray(at));
}
