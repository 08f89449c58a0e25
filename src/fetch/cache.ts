/**
 * The distribution cache `<download-cache>/dist/`: original artefacts under
 * their basenames, listed once per run and indexed by normalised name.
 *
 * @module
 */

import { basename, join } from "../path.ts";
import { type DistFile, parseDistFilename } from "../pypa/filename.ts";
import { normalizeName } from "../pypa/name.ts";
import {
  type DownloadOptions,
  downloadTo,
  fileDigest,
  HASH_ALGORITHMS,
} from "./http.ts";
import { isTempName } from "./part_files.ts";
import { copyAtomic } from "./files.ts";
import { exists } from "../fsutil.ts";
import { isPlainName } from "../paths.ts";
import { UserError } from "../errors.ts";
import { archiveIsReadable } from "./readable.ts";
import type { SharedTier } from "./shared_tier.ts";

/**
 * The `dist/` folder of a download cache.
 *
 * @example
 * ```ts
 * const cache = new DistCache("/home/me/.cache/buildout/dist");
 * const demos = await cache.byKey("demo");
 * const path = cache.pathOf(demos[0].filename);
 * ```
 */
export class DistCache {
  #listing?: Promise<Map<string, DistFile>>;

  /**
   * `dir` is `<download-cache>/dist`; it need not exist yet. `shared` is the
   * shared cache asked before, and pushed to after, each download.
   */
  constructor(
    readonly dir: string,
    readonly http: DownloadOptions = {},
    readonly shared?: SharedTier,
  ) {}

  #index(): Promise<Map<string, DistFile>> {
    this.#listing ??= this.#scan();
    return this.#listing;
  }

  async #scan(): Promise<Map<string, DistFile>> {
    const files = new Map<string, DistFile>();
    try {
      for await (const e of Deno.readDir(this.dir)) {
        if (!e.isFile || isTempName(e.name)) continue;
        const parsed = parseDistFilename(e.name);
        if (parsed) files.set(e.name, parsed);
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    return files;
  }

  /**
   * Every distribution file in the cache (read from disk on the first call
   * only; files added through this object are included). Unparsable names and
   * unfinished downloads (`.<name>.part-*`) are left out.
   *
   * @example
   * ```ts
   * (await cache.list()).map((f) => f.filename); // ["demo-0.2-py3-none-any.whl", ...]
   * ```
   */
  async list(): Promise<DistFile[]> {
    return [...(await this.#index()).values()].sort((a, b) =>
      a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0
    );
  }

  /**
   * The cached files of one project, by any spelling of its name.
   *
   * @example
   * ```ts
   * await cache.byKey("Demo_Needed"); // files of demo-needed / demo_needed / ...
   * ```
   */
  async byKey(name: string): Promise<DistFile[]> {
    const key = normalizeName(name);
    return (await this.list()).filter((f) => f.key === key);
  }

  /**
   * Absolute path of `filename` inside the cache (whether or not it exists).
   *
   * @example
   * ```ts
   * cache.pathOf("demo-0.2.zip"); // "/cache/dist/demo-0.2.zip"
   * ```
   */
  pathOf(filename: string): string {
    const name = basename(filename);
    if (!isPlainName(name)) {
      throw new UserError(`Not a distribution file name: '${filename}'`);
    }
    return join(this.dir, name);
  }

  /**
   * Whether the cache holds `filename` (per the listing).
   *
   * @example
   * ```ts
   * if (await cache.has("demo-0.2.zip")) useIt();
   * ```
   */
  async has(filename: string): Promise<boolean> {
    return (await this.#index()).has(basename(filename));
  }

  async #remember(filename: string): Promise<void> {
    const parsed = parseDistFilename(filename);
    if (parsed) (await this.#index()).set(filename, parsed);
  }

  /**
   * Copy a local find-links file (or unzipped egg folder) into the cache
   * under its basename, atomically; an entry already there is kept. Returns
   * the cache path.
   *
   * @example
   * ```ts
   * const cached = await cache.addLocal("/srv/wheelhouse/demo-0.2-py3-none-any.whl");
   * ```
   */
  async addLocal(path: string): Promise<string> {
    const name = basename(path);
    const target = this.pathOf(name);
    await this.#index();
    if (!(await exists(target))) {
      await Deno.mkdir(this.dir, { recursive: true });
      await copyAtomic(path, target);
    }
    await this.#remember(name);
    return target;
  }

  /**
   * Download `url` into the cache as `filename`, checking `hashes`; an HTML
   * page instead of an archive is refused. With a shared cache, it is asked
   * first and given what came from `url`. Replaces an existing entry only
   * once the new file is complete and verified. Returns the cache path.
   *
   * @example
   * ```ts
   * await cache.fetchInto(
   *   "https://files.example/demo-0.2-py3-none-any.whl",
   *   "demo-0.2-py3-none-any.whl",
   *   { sha256: "0f3a..." },
   * );
   * ```
   */
  async fetchInto(
    url: string,
    filename: string,
    hashes: Record<string, string> = {},
    o: DownloadOptions = {},
  ): Promise<string> {
    const target = this.pathOf(filename);
    await this.#index();
    const upstream = () =>
      downloadTo(url, target, {
        ...this.http,
        ...o,
        hashes,
        rejectHtml: true,
      });
    if (this.shared) await this.shared.fetch(target, hashes, upstream);
    else await upstream();
    await this.#remember(basename(filename));
    return target;
  }

  /**
   * Remove a (for instance unreadable) entry from disk and from the listing.
   *
   * @example
   * ```ts
   * if (!(await cache.isReadable(name))) await cache.remove(name);
   * ```
   */
  async remove(filename: string): Promise<void> {
    const name = basename(filename);
    (await this.#index()).delete(name);
    await Deno.remove(this.pathOf(name)).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }

  /**
   * Whether a cached archive is complete (a truncated zip or gzip is not), so
   * the caller can report it and fetch it again.
   *
   * @example
   * ```ts
   * if (!(await cache.isReadable(f.filename))) await cache.fetchInto(url, f.filename);
   * ```
   */
  isReadable(filename: string): Promise<boolean> {
    return archiveIsReadable(this.pathOf(filename));
  }

  /**
   * Whether the cached file matches every given hash (`{ sha256: hex }`);
   * unknown algorithms are skipped.
   *
   * @example
   * ```ts
   * await cache.matchesHashes("demo-0.2.zip", { md5: "8c3a..." }); // false when tampered
   * ```
   */
  async matchesHashes(
    filename: string,
    hashes: Record<string, string>,
  ): Promise<boolean> {
    for (const [algo, want] of Object.entries(hashes)) {
      const a = algo.toLowerCase();
      if (!(HASH_ALGORITHMS as readonly string[]).includes(a)) continue;
      if (await fileDigest(this.pathOf(filename), a) !== want.toLowerCase()) {
        return false;
      }
    }
    return true;
  }
}
