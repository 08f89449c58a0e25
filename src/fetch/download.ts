/**
 * Buildout's generic download utility (used for `extends` URLs and by
 * recipes): an optional cache folder with namespaces, URL-basename or
 * hashed cache names, fallback mode, MD5/SHA-256 checks and offline mode.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { basename, join, resolve, sep } from "node:path";
import { fileUrlToPath } from "../file_url.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { copyAtomic, linkOrCopy } from "./files.ts";
import { exists } from "../fsutil.ts";
import { isPlainName } from "../paths.ts";
import { pyRepr } from "../pyrepr.ts";
import {
  DownloadError,
  downloadTo,
  fileDigest,
  type HttpOptions,
} from "./http.ts";

/** A content check failed (buildout's `ChecksumError`). */
export class ChecksumError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "ChecksumError";
  }
}

/** Options of {@link Download}. */
export interface DownloadUtilityOptions {
  /** Absolute download-cache root; no cache when absent. */
  cacheRoot?: string;
  /** Subfolder of the cache root (created on demand), e.g. `extends`. */
  namespace?: string;
  /** Remote URLs fail with `Couldn't download '<url>' in offline mode.` */
  offline: boolean;
  /** Cache entries named by the MD5 of the whole URL instead of its basename. */
  hashName?: boolean;
  /** Try a fresh download over a cache hit; keep the cached copy when that fails. */
  fallback?: boolean;
  log: Logger;
  timeoutSeconds?: number;
  /** Further HTTP options (retries, backoff). */
  http?: HttpOptions;
}

/** Expected content of a download (hex digests). */
export interface Checks {
  md5?: string;
  sha256?: string;
}

/**
 * The local path for `url` when it is a plain path (relative ones against the
 * working directory), a Windows drive path or a `file:` URL.
 *
 * @example
 * ```ts
 * localPathOf("file:///srv/base.cfg"); // "/srv/base.cfg"
 * localPathOf("https://example.com/base.cfg"); // undefined
 * ```
 */
export function localPathOf(url: string): string | undefined {
  if (/^[A-Za-z]:\\/.test(url)) return url;
  if (url.startsWith("file:")) return fileUrlToPath(url);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return undefined;
  return resolve(url);
}

/**
 * The cache file name for `url`: the last non-empty path segment (query and
 * fragment ignored, as buildout), or with `hashName` the MD5 of the whole
 * URL. A URL without a path segment also gets the MD5 name (buildout: `:`).
 *
 * @example
 * ```ts
 * cacheName("http://h/a/foo.txt?x=1", false); // "foo.txt"
 * cacheName("http://h/a/foo.txt", true); // 32 hex digits
 * ```
 */
export function cacheName(url: string, hashName: boolean): string {
  const md5 = () => createHash("md5").update(url).digest("hex");
  if (hashName) return md5();
  const local = localPathOf(url);
  if (local !== undefined) {
    return basename(local.replace(/[\\/]+$/, "")) || md5();
  }
  const path = new URL(url).pathname.split("/").filter((s) => s);
  const last = path.length ? decodeSegment(path[path.length - 1]) : "";
  return isPlainName(last) ? last : md5();
}

/** A path segment percent-decoded; undecodable text is kept as it is. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const ALGOS = ["md5", "sha256"] as const;

/**
 * The download utility.
 *
 * @example
 * ```ts
 * const dl = new Download({ cacheRoot: "/cache", namespace: "extends", hashName: true, offline: false, log });
 * const { path, isTemp } = await dl.download("http://example.com/base.cfg");
 * ```
 */
export class Download {
  constructor(readonly o: DownloadUtilityOptions) {}

  /**
   * Fetch `url` (http(s), `file:` or a local path). With a cache the result is
   * the cache entry (or `path`, hard-linked to it); without one it is `path`,
   * the local file itself, or a temporary file the caller must delete
   * (`isTemp`).
   *
   * @example
   * ```ts
   * await dl.download("http://example.com/tool.tgz", { md5: "1a79a4d60de6718e8e5b326e338ae533" });
   * ```
   */
  async download(
    url: string,
    o: Checks & { path?: string } = {},
  ): Promise<{ path: string; isTemp: boolean }> {
    if (this.o.cacheRoot === undefined) {
      return await this.#transfer(url, o, o.path);
    }
    const cached = await this.#cached(url, o);
    if (o.path && resolve(o.path) !== cached) {
      await linkOrCopy(cached, o.path);
      return { path: o.path, isTemp: false };
    }
    return { path: cached, isTemp: false };
  }

  async #cacheDir(): Promise<string> {
    const root = this.o.cacheRoot!;
    let real: string;
    try {
      real = await Deno.realPath(root);
    } catch {
      throw new UserError(
        `The directory:\n${
          pyRepr(root)
        }\nto be used as a download cache doesn't exist.`,
      );
    }
    if (!this.o.namespace) return real + sep;
    const dir = join(real, this.o.namespace);
    if (!(await exists(dir))) await Deno.mkdir(dir);
    return dir;
  }

  async #cached(url: string, checks: Checks): Promise<string> {
    const dir = await this.#cacheDir();
    const cached = join(dir, cacheName(url, this.o.hashName ?? false));
    const log = this.o.log;
    log.debug(`Searching cache at ${dir}`);
    if (!(await exists(cached))) {
      log.debug(`Cache miss; will cache ${url} as ${cached}`);
      await this.#transfer(url, checks, cached);
      return cached;
    }
    if (this.o.fallback) {
      try {
        await this.#transfer(url, checks, cached);
      } catch (err) {
        if (err instanceof ChecksumError) throw err;
        log.debug(`Using the cached copy of ${url}: ${describe(err)}`);
      }
    }
    const bad = await firstMismatch(cached, checks);
    if (bad) {
      throw new ChecksumError(
        `${bad.toUpperCase()} checksum mismatch for cached download from ${
          pyRepr(url)
        } at ${pyRepr(cached)}`,
      );
    }
    log.debug(`Using cache file ${cached}`);
    return cached;
  }

  /** Bring `url` to `target` (or a temp file); no cache involved. */
  async #transfer(
    url: string,
    checks: Checks,
    target?: string,
  ): Promise<{ path: string; isTemp: boolean }> {
    const local = localPathOf(url);
    if (local !== undefined) {
      this.o.log.debug(`Using local resource ${url}`);
      if (!(await exists(local))) {
        throw new UserError(
          `Error downloading ${url}: No such file or directory: ${
            pyRepr(local)
          }`,
        );
      }
      const bad = await firstMismatch(local, checks);
      if (bad) {
        throw new ChecksumError(
          `${bad.toUpperCase()} checksum mismatch for local resource at ${
            pyRepr(local)
          }.`,
        );
      }
      if (target && resolve(target) !== local) {
        await copyAtomic(local, target);
        return { path: target, isTemp: false };
      }
      return { path: local, isTemp: false };
    }
    if (this.o.offline) {
      throw new UserError(`Couldn't download ${pyRepr(url)} in offline mode.`);
    }
    this.o.log.info(`Downloading ${url}`);
    const dest = target ?? await Deno.makeTempFile({ prefix: "buildout-" });
    try {
      await downloadTo(url, dest, {
        timeoutSeconds: this.o.timeoutSeconds,
        log: this.o.log,
        ...this.o.http,
        hashes: hashesOf(checks),
      });
    } catch (err) {
      if (!target) await Deno.remove(dest).catch(() => {});
      throw translate(url, err);
    }
    return { path: dest, isTemp: !target };
  }
}

function hashesOf(checks: Checks): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of ALGOS) if (checks[a]) out[a] = checks[a]!;
  return out;
}

async function firstMismatch(
  path: string,
  checks: Checks,
): Promise<string | undefined> {
  for (const a of ALGOS) {
    const want = checks[a];
    if (want && (await fileDigest(path, a)) !== want.toLowerCase()) return a;
  }
  return undefined;
}

function translate(url: string, err: unknown): unknown {
  if (!(err instanceof DownloadError) || err.fault === "no-network") {
    return err;
  }
  if (err.fault === "hash") {
    const algo = err.reason.split(" ")[0].toUpperCase();
    return new ChecksumError(
      `${algo} checksum mismatch downloading ${pyRepr(url)}`,
    );
  }
  const e = new UserError(`Error downloading ${url}: ${err.reason}`);
  e.cause = err;
  return e;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
