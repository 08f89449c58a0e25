/**
 * The shared download cache as a tier under the local one: ask it before
 * going upstream, check every byte it sends, push what came from upstream,
 * and warn once when it is down.
 *
 * @module
 */
import { basename, dirname } from "../path.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { DownloadError } from "./attempts.ts";
import { fileDigest, HASH_ALGORITHMS } from "./http.ts";
import { tempNameFor } from "./part_files.ts";
import {
  BadRecord,
  recordKey,
  type SharedCacheBackend,
} from "./shared_backend.ts";
import { HttpSharedCache } from "./shared_http.ts";
import { OciSharedCache } from "./shared_oci.ts";

/** What {@link openSharedTier} needs. */
export interface SharedTierOptions {
  /** `shared-cache-push`: upload what was fetched upstream. */
  push: boolean;
  log: Logger;
  timeoutSeconds?: number;
}

/**
 * The tier for a `shared-cache` URL: `http://` and `https://` are the
 * content-addressed HTTP store, `oci://HOST[:PORT]/REPO` a registry
 * repository (blobs and tagged record manifests).
 *
 * @example
 * ```ts
 * const tier = openSharedTier("http://127.0.0.1:9090/", { push: true, log });
 * ```
 */
export function openSharedTier(url: string, o: SharedTierOptions): SharedTier {
  if (/^https?:\/\/[^/]+/i.test(url)) {
    return new SharedTier(
      new HttpSharedCache(url, { timeoutSeconds: o.timeoutSeconds }),
      o,
    );
  }
  if (url.startsWith("oci://")) {
    return new SharedTier(
      new OciSharedCache(url, Deno.env.toObject(), o.push, o.timeoutSeconds),
      o,
    );
  }
  throw new UserError(
    `Invalid value for 'shared-cache' option: '${url}' (an http:// or https:// URL, or oci://HOST[:PORT]/REPO)`,
  );
}

/**
 * One run's use of a shared cache.
 *
 * @example
 * ```ts
 * await tier.fetch("/cache/dist/demo-0.2.zip", { sha256: "0f3a..." }, () =>
 *   downloadTo(url, "/cache/dist/demo-0.2.zip"));
 * ```
 */
export class SharedTier {
  #down = false;
  #noPush = false;
  /** Objects found corrupt in the store this run: pushed again over the bad copy. */
  #bad = new Set<string>();

  constructor(
    readonly backend: SharedCacheBackend,
    readonly o: SharedTierOptions,
  ) {}

  /**
   * Bring the file named by `target`'s basename to `target`: from the shared
   * cache when it has it with the right sha256, else through `upstream()`
   * (which writes `target`), then pushed when pushing is on.
   */
  async fetch(
    target: string,
    hashes: Record<string, string>,
    upstream: () => Promise<void>,
  ): Promise<void> {
    const filename = basename(target);
    const known = hashOf(hashes, "sha256");
    const found = await this.#get(target, filename, hashes, known);
    if (found.hit) return;
    await upstream();
    if (this.o.push) await this.#push(target, filename, found.recorded);
  }

  async #get(
    target: string,
    filename: string,
    hashes: Record<string, string>,
    known?: string,
  ): Promise<{ hit: boolean; recorded?: string }> {
    if (this.#down) return { hit: false };
    let sha = known;
    let recorded: string | undefined;
    const temp = tempNameFor(target);
    try {
      if (!sha) {
        const record = await this.backend.lookup(recordKey(filename));
        if (!record || record.filename !== filename) return { hit: false };
        sha = recorded = record.sha256;
      }
      await Deno.mkdir(dirname(target), { recursive: true });
      if (!(await this.backend.get(sha, temp))) return { hit: false, recorded };
      const bad = await this.#mismatch(temp, hashes, sha);
      if (bad) {
        this.#bad.add(sha);
        this.o.log.warn(
          `The shared cache sent ${filename} with a wrong ${bad}; discarded, downloading it from upstream.`,
        );
        return { hit: false, recorded };
      }
      await Deno.rename(temp, target);
      this.o.log.debug(`Got ${filename} from the shared cache.`);
      return { hit: true };
    } catch (err) {
      if (err instanceof BadRecord) {
        this.o.log.warn(
          `The shared cache's record for ${filename} is unreadable (${err.message}); ignored.`,
        );
        return { hit: false };
      }
      this.#fault(err);
      return { hit: false };
    } finally {
      await Deno.remove(temp).catch(() => {});
    }
  }

  /** The first hash the file fails (`sha256 ...`), or undefined. */
  async #mismatch(
    file: string,
    hashes: Record<string, string>,
    sha256: string,
  ): Promise<string | undefined> {
    const want: [string, string][] = [["sha256", sha256]];
    for (const algo of HASH_ALGORITHMS) {
      const h = hashOf(hashes, algo);
      if (h && algo !== "sha256") want.push([algo, h]);
    }
    for (const [algo, hex] of want) {
      const got = await fileDigest(file, algo);
      if (got !== hex) return `${algo} (expected ${hex}, got ${got})`;
    }
    return undefined;
  }

  async #push(target: string, filename: string, recorded?: string) {
    if (this.#down || this.#noPush) return;
    try {
      const sha = await fileDigest(target, "sha256");
      if (this.#bad.has(sha) || !(await this.backend.has("cas", sha))) {
        await this.backend.put(sha, target);
        this.#bad.delete(sha);
        this.o.log.debug(`Pushed ${filename} to the shared cache.`);
      }
      const key = recordKey(filename);
      if (recorded === sha) return;
      if (recorded === undefined && await this.backend.has("ac", key)) return;
      const size = (await Deno.stat(target)).size;
      await this.backend.putRecord(key, { sha256: sha, filename, size });
    } catch (err) {
      if (
        err instanceof DownloadError && err.fault === "status" &&
        err.status !== undefined && err.status < 500
      ) {
        this.#noPush = true;
        this.o.log.warn(
          `The shared cache ${this.backend.location} refuses uploads (${err.reason}); not pushing to it in this run.`,
        );
        return;
      }
      this.#fault(err);
    }
  }

  /** A store fault: one warning per run, then the store is left alone. */
  #fault(err: unknown): void {
    if (!(err instanceof DownloadError)) throw err;
    if (this.#down) return;
    this.#down = true;
    this.o.log.warn(
      `The shared cache ${this.backend.location} is unavailable (${err.reason}); downloading from upstream for the rest of this run.`,
    );
  }
}

function hashOf(
  hashes: Record<string, string>,
  algo: string,
): string | undefined {
  for (const [k, v] of Object.entries(hashes)) {
    if (k.toLowerCase() === algo) return v.toLowerCase();
  }
  return undefined;
}
