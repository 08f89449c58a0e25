/**
 * Sdist builds of one run through the built cache: each sdist is built at
 * most once (and not at all when the cache holds a verified build for the
 * target), builds can start early and run in parallel, bounded by the number
 * of cores, and their messages are held until the installer reaches the
 * distribution, so the output keeps resolution order.
 *
 * @module
 */

import { basename } from "node:path";
import type { ExtractLimits } from "../extract/limits.ts";
import { limiter } from "../fetch/pool.ts";
import { removeTree } from "../fsutil.ts";
import type { Logger } from "../log.ts";
import { type BuildTarget, BuiltCache, sha256File } from "./built_cache.ts";
import type { TargetPython } from "./metadata.ts";
import { buildSdistFile } from "./sdist.ts";
import { onSettle } from "../background.ts";

/** One message held for the installer. */
interface Held {
  level: "debug" | "warn";
  text: string;
}

interface Outcome {
  file?: string;
  error?: unknown;
  messages: Held[];
}

/** What {@link SdistBuilds} needs. */
export interface SdistBuildsOptions {
  /** `<download-cache>/built`. */
  dir: string;
  /** The target interpreter (builds with it, keys the cache with it). */
  target: TargetPython & BuildTarget;
  limits?: ExtractLimits;
  /** Builds at once (default: the number of cores). */
  parallel?: number;
}

/**
 * How many builds run at once by default: the number of cores.
 *
 * @example
 * ```ts
 * defaultParallelBuilds(); // 8 on an eight-core machine
 * ```
 */
export function defaultParallelBuilds(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/**
 * The sdist builds of one run for one target interpreter.
 *
 * @example
 * ```ts
 * const builds = new SdistBuilds({ dir: "/cache/built", target: interp });
 * builds.start("/cache/dist/demo-1.0.zip"); // in the background
 * await builds.built("/cache/dist/demo-1.0.zip", log); // "/cache/built/<sha>/<target>/demo-1.0-py3.11.egg"
 * ```
 */
export class SdistBuilds {
  readonly cache: BuiltCache;
  #run: <R>(fn: () => Promise<R>) => Promise<R>;
  #memo = new Map<string, Promise<Outcome>>();
  #stop = new AbortController();

  constructor(readonly o: SdistBuildsOptions) {
    this.cache = new BuiltCache(o.dir);
    this.#run = limiter(o.parallel ?? defaultParallelBuilds());
    onSettle(() => this.close());
  }

  /** Start obtaining the built file of the sdist `file` (cached or built). */
  start(file: string): void {
    if (!this.#stop.signal.aborted) this.#outcome(file);
  }

  /**
   * Stop: builds not started are dropped, running ones are killed; resolves
   * once every build has ended and removed its work folder.
   */
  async close(): Promise<void> {
    this.#stop.abort(new Error("The run ended before this build."));
    await Promise.allSettled([...this.#memo.values()]);
  }

  /**
   * The built (wheel or egg) file of the sdist `file`, from the cache or
   * built now; the held messages are logged first, a failed build throws.
   */
  async built(file: string, log: Logger): Promise<string> {
    const outcome = await this.#outcome(file);
    for (const m of outcome.messages) log[m.level](m.text);
    if (outcome.error !== undefined) throw outcome.error;
    return outcome.file!;
  }

  #outcome(file: string): Promise<Outcome> {
    let p = this.#memo.get(file);
    if (!p) {
      p = this.#run(() => this.#obtain(file));
      this.#memo.set(file, p);
    }
    return p;
  }

  async #obtain(sdist: string): Promise<Outcome> {
    const messages: Held[] = [];
    const note = (text: string) => messages.push({ level: "debug", text });
    const signal = this.#stop.signal;
    try {
      signal.throwIfAborted();
      const sha = await sha256File(sdist);
      const found = await this.cache.lookup(sha, this.o.target);
      if (found.kind === "hit") {
        note(`Using the build of ${basename(sdist)} in ${found.file}.`);
        return { file: found.file, messages };
      }
      if (found.kind === "damaged") {
        messages.push({
          level: "warn",
          text:
            `The cached build ${found.entry} is damaged (${found.reason}); ` +
            `building ${basename(sdist)} again.`,
        });
        await this.cache.drop(found.entry);
      }
      await Deno.mkdir(this.o.dir, { recursive: true });
      const work = await Deno.makeTempDir({ dir: this.o.dir, prefix: ".tmp-" });
      try {
        const built = await buildSdistFile(
          sdist,
          work,
          this.o.target,
          note,
          this.o.limits,
          { signal },
        );
        const file = await this.cache.store(sha, this.o.target, built);
        return { file, messages };
      } finally {
        await removeTree(work).catch(() => {});
      }
    } catch (error) {
      return { error, messages };
    }
  }
}
