/**
 * Wheels of one resolution unpacked ahead of the installer: as soon as the
 * resolver knows a level's files, each wheel is unpacked (on the
 * {@link WheelPool}: the main thread and, for many wheels, workers) into its
 * own private `.tmp-*` folder in the eggs directory; the installer then takes
 * the result in resolution order and only renames it into place. Messages and
 * the order of installs do not change.
 *
 * @module
 */

import { removeTree } from "../fsutil.ts";
import type { ExtractLimits } from "../extract/limits.ts";
import type { TargetPython } from "./metadata.ts";
import type { Built } from "./wheel.ts";
import { WheelPool } from "./wheel_pool.ts";

/** An unpacked wheel: its private folder (the caller removes it) and the result. */
export interface Unpacked {
  work: string;
  built: Built;
}

/**
 * The wheels of one resolution, unpacked early.
 *
 * @example
 * ```ts
 * const wheels = new EarlyWheels("/b/eggs", interp, limits);
 * try {
 *   wheels.start("/cache/dist/demo-1.0-py3-none-any.whl"); // in the background
 *   const { work, built } = await wheels.take("/cache/dist/demo-1.0-py3-none-any.whl");
 * } finally {
 *   await wheels.close(); // nothing writes after this; unclaimed folders are removed
 * }
 * ```
 */
export class EarlyWheels {
  #memo = new Map<string, Promise<Unpacked>>();
  #all = new Set<Promise<Unpacked>>();
  #claimed = new WeakSet<Promise<Unpacked>>();
  /** Files already taken: a late start() for them does nothing. */
  #taken = new Set<string>();
  /** The eggs directory was made. */
  #made = false;

  constructor(
    readonly eggsDir: string,
    readonly interp: Pick<TargetPython, "pyVersion" | "platform">,
    readonly limits?: ExtractLimits,
    readonly pool: WheelPool = new WheelPool(),
  ) {}

  /** Start unpacking `file` (once per file). */
  start(file: string): void {
    if (this.#memo.has(file) || this.#taken.has(file)) return;
    const p = this.#unpack(file);
    p.catch(() => {}); // reported by take()
    this.#memo.set(file, p);
    this.#all.add(p);
  }

  /**
   * The unpacked `file`, started now if it was not; the caller owns (and
   * removes) its folder. A damaged wheel rejects, its folder already gone.
   */
  take(file: string): Promise<Unpacked> {
    this.#taken.delete(file);
    this.start(file);
    this.#taken.add(file);
    const p = this.#memo.get(file)!;
    this.#memo.delete(file);
    this.#claimed.add(p);
    this.pool.first(file);
    return p;
  }

  /**
   * Stop: queued wheels are dropped, running ones finish, the workers stop,
   * and folders nobody took are removed.
   */
  async close(): Promise<void> {
    await this.pool.close();
    const left = [...this.#all].filter((p) => !this.#claimed.has(p));
    this.#all.clear();
    this.#memo.clear();
    for (const r of await Promise.allSettled(left)) {
      if (r.status === "fulfilled") {
        await removeTree(r.value.work).catch(() => {});
      }
    }
  }

  async #unpack(file: string): Promise<Unpacked> {
    // Synchronous: an async round trip per wheel leaves the main thread idle.
    if (!this.#made) Deno.mkdirSync(this.eggsDir, { recursive: true });
    this.#made = true;
    const work = Deno.makeTempDirSync({ dir: this.eggsDir, prefix: ".tmp-" });
    try {
      const built = await this.pool.run({
        file,
        work,
        interp: {
          pyVersion: this.interp.pyVersion,
          platform: this.interp.platform,
        },
        limits: this.limits,
      });
      return { work, built };
    } catch (err) {
      await removeTree(work).catch(() => {});
      throw err;
    }
  }
}
