/**
 * HTTP on the global `fetch`: timeouts, retries with backoff for transient
 * faults, and downloads that only ever rename a complete, verified file into
 * place.
 *
 * @module
 */

import type { Hash } from "node:crypto";
import { basename, dirname } from "../path.ts";
import { fetchFollowing } from "./redirects.ts";
import { tempNameFor } from "./part_files.ts";
import { bodyChunks, fileHash } from "./chunks.ts";
import { passed } from "../memory.ts";
import { LEVELS, type Logger } from "../log.ts";
import { Progress } from "./progress.ts";
import {
  DownloadError,
  type HttpOptions,
  statusError,
  withRetries,
} from "./attempts.ts";

export {
  DownloadError,
  type DownloadFault,
  type HttpOptions,
  isTransient,
  statusLine,
} from "./attempts.ts";

/** The largest page (find-links or index page) read: 64 MiB. */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** Hash algorithms checked by {@link downloadTo}; others are skipped. */
export const HASH_ALGORITHMS = [
  "md5",
  "sha1",
  "sha224",
  "sha256",
  "sha384",
  "sha512",
] as const;

/** Where {@link getText} copies the raw bytes of a 200 answer (the page cache). */
export interface BodySink {
  write(chunk: Uint8Array): Promise<void>;
  /** The whole body arrived. */
  commit(): Promise<void>;
  /** The attempt failed (it may be retried with a new sink). */
  abort(): Promise<void>;
}

/**
 * GET a page as text. Never throws for an HTTP status (a 404 project page is
 * an ordinary answer): check `status`. 5xx answers are retried first. With
 * conditional `headers` (`if-none-match`, `if-modified-since`) a `304` comes
 * back as `status: 304` with an empty body.
 * Network faults and timeouts throw {@link DownloadError}.
 *
 * @example
 * ```ts
 * const page = await getText("https://pypi.org/simple/demo/", {
 *   accept: "application/vnd.pypi.simple.v1+json, text/html;q=0.1",
 * });
 * if (page.status === 200) console.log(page.contentType, page.body.length);
 * ```
 */
export async function getText(
  url: string,
  o: HttpOptions & {
    accept?: string;
    maxBytes?: number;
    /**
     * Called once the headers are in: a function given back receives the
     * body as decoded text piece by piece (and `body` stays empty), so the
     * page is never held whole.
     */
    stream?: (
      contentType: string,
      finalUrl: string,
    ) => ((text: string) => void) | undefined;
    /** Extra request headers (conditional ones). */
    headers?: Record<string, string>;
    /** Called for a 200 answer: a sink given back receives the raw body. */
    save?: (
      finalUrl: string,
      headers: Headers,
    ) => Promise<BodySink | undefined> | undefined;
  } = {},
): Promise<
  {
    url: string;
    status: number;
    contentType: string;
    body: string;
    /** The answer's headers (empty for an error status). */
    headers: Headers;
  }
> {
  const maxBytes = o.maxBytes ?? MAX_PAGE_BYTES;
  try {
    return await withRetries(url, o, async (timer) => {
      const { res, url: finalUrl } = await fetchFollowing(url, {
        signal: timer.controller.signal,
        headers: {
          ...(o.accept ? { accept: o.accept } : {}),
          ...o.headers,
        },
      }, o.allowUrl);
      timer.touch();
      if (res.status >= 500 || res.status === 429) {
        await res.body?.cancel();
        throw statusError(url, res);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const contentType = res.headers.get("content-type") ?? "";
      const sink = res.ok ? o.stream?.(contentType, finalUrl) : undefined;
      const decoder = new TextDecoder();
      const copy = res.status === 200
        ? await o.save?.(finalUrl, res.headers)
        : undefined;
      try {
        for await (const chunk of res.body ?? []) {
          timer.touch();
          size += chunk.length;
          if (size > maxBytes) {
            throw new DownloadError(
              `Page ${url} is larger than ${maxBytes} bytes; refused.`,
              url,
              "too-large",
              `larger than ${maxBytes} bytes`,
            );
          }
          await copy?.write(chunk);
          if (sink) sink(decoder.decode(chunk, { stream: true }));
          else chunks.push(chunk);
        }
        if (sink) sink(decoder.decode());
        await copy?.commit();
      } catch (err) {
        await copy?.abort();
        throw err;
      }
      return {
        url: finalUrl,
        status: res.status,
        contentType: res.headers.get("content-type") ?? "",
        body: new TextDecoder().decode(concat(chunks)),
        headers: res.headers,
      };
    });
  } catch (err) {
    if (err instanceof DownloadError && err.fault === "status" && err.status) {
      return {
        url,
        status: err.status,
        contentType: "",
        body: "",
        headers: new Headers(),
      };
    }
    throw err;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Options of {@link downloadTo}. */
export interface DownloadOptions extends HttpOptions {
  /** Expected digests by algorithm (`{ sha256: "ab12..." }`, hex); all are checked. */
  hashes?: Record<string, string>;
  /** Refuse an HTML page served for a distribution file (`Unexpected HTML page found at <url>`). */
  rejectHtml?: boolean;
}

/**
 * Download `url` to `target`: stream into `.<name>.part-<random>` beside it,
 * check every known hash in `hashes`, fsync, then rename. On any failure the
 * temporary file is removed and `target` is untouched. 4xx answers fail at
 * once; 5xx, resets and truncated bodies are retried.
 *
 * @example
 * ```ts
 * await downloadTo(
 *   "http://127.0.0.1:8080/demo-0.2-py3-none-any.whl",
 *   "/cache/dist/demo-0.2-py3-none-any.whl",
 *   { hashes: { sha256: "0f3a..." }, rejectHtml: true },
 * );
 * ```
 */
export async function downloadTo(
  url: string,
  target: string,
  o: DownloadOptions = {},
): Promise<void> {
  const expected = expectedHashes(o.hashes ?? {}, o.log);
  await Deno.mkdir(dirname(target), { recursive: true });
  await withRetries(url, o, async (timer) => {
    const temp = tempNameFor(target);
    try {
      const { res } = await fetchFollowing(url, {
        signal: timer.controller.signal,
        headers: { "accept-encoding": "identity" },
      }, o.allowUrl);
      timer.touch();
      if (!res.ok) {
        await res.body?.cancel();
        throw statusError(url, res);
      }
      const { createHash } = await import("node:crypto"); // not at start-up
      const hashes = expected.map(([algo]) => createHash(algo));
      const size = Number(res.headers.get("content-length") ?? NaN);
      const progress = showProgress(o, size)
        ? new Progress(basename(target), size)
        : undefined;
      const html = o.rejectHtml &&
        /html/i.test(res.headers.get("content-type") ?? "");
      const file = await Deno.open(temp, { write: true, createNew: true });
      let received = 0;
      try {
        for await (const chunk of bodyChunks(res.body)) {
          timer.touch();
          if (html && received === 0 && looksLikeHtml(chunk)) {
            throw new DownloadError(
              `Unexpected HTML page found at ${url}`,
              url,
              "html",
              "unexpected HTML page",
            );
          }
          for (const h of hashes) h.update(chunk);
          await writeAll(file, chunk);
          received += chunk.length;
          passed(chunk.length, true);
          progress?.update(received);
        }
        if (Number.isFinite(size) && received < size) {
          throw new TypeError(`incomplete body: ${received} of ${size} bytes`);
        }
        await file.sync();
      } finally {
        file.close();
        progress?.done();
      }
      checkHashes(expected, hashes, url, target);
      await Deno.rename(temp, target);
    } catch (err) {
      await Deno.remove(temp).catch(() => {});
      throw err;
    }
  });
}

function showProgress(o: HttpOptions, size: number): boolean {
  if (o.progress === false) return false;
  if (o.log && o.log.level > LEVELS.INFO) return false;
  return size > 1024 * 1024 && Deno.stderr.isTerminal();
}

function looksLikeHtml(chunk: Uint8Array): boolean {
  const head = new TextDecoder().decode(chunk.subarray(0, 512)).trimStart()
    .toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") ||
    head.startsWith("<head") || head.startsWith("<body");
}

function expectedHashes(
  given: Record<string, string>,
  log?: Logger,
): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(given)) {
    const algo = k.toLowerCase();
    if ((HASH_ALGORITHMS as readonly string[]).includes(algo)) {
      out.push([algo, v.toLowerCase()]);
    } else {
      log?.debug(`Not checking unsupported hash ${k}`);
    }
  }
  return out;
}

function checkHashes(
  expected: [string, string][],
  hashes: Hash[],
  url: string,
  target: string,
): void {
  expected.forEach(([algo, want], i) => {
    if (hashes[i].digest("hex") !== want) {
      throw new DownloadError(
        `${algo} validation failed for ${
          basename(target)
        }; possible download problem?`,
        url,
        "hash",
        `${algo} mismatch`,
      );
    }
  });
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length;) at += await file.write(data.subarray(at));
}

/**
 * Hex digest of a local file, read in streaming fashion.
 *
 * @example
 * ```ts
 * await fileDigest("/cache/dist/demo-0.2.zip", "sha256"); // "0f3a..."
 * ```
 */
export async function fileDigest(path: string, algo: string): Promise<string> {
  return await fileHash(path, algo);
}
