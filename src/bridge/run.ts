/**
 * One run's bridge state: the Python process (started on first use, never
 * when nothing needs it), the recipe distributions installed so far and the
 * distributions `easy_install` callbacks handed to Python, by location.
 *
 * @module
 */
import type { Settings } from "../config/settings.ts";
import type { InstalledDist } from "../install/metadata.ts";
import { parseRequirement } from "../pypa/requirement.ts";
import { session } from "../resolve/session.ts";
import { bridgeFolder } from "./files.ts";
import { installWorkingSet } from "./dists.ts";
import { isolation } from "./isolate.ts";
import { BridgeProcess } from "./process.ts";

/** The state of one run. */
export class BridgeRun {
  #process?: Promise<BridgeProcess>;
  #folder?: Promise<string>;
  #recipes = new Map<string, Promise<InstalledDist[]>>();
  /** Distributions given to Python, by location (for `scripts`). */
  readonly dists = new Map<string, InstalledDist>();
  /** What to run at the end of a successful run (extensions' unload). */
  atEnd?: () => Promise<void>;

  constructor(readonly settings: Settings) {}

  /** The compatibility layer's folder. */
  folder(): Promise<string> {
    return this.#folder ??= bridgeFolder(this.settings.eggsDirectory);
  }

  /** The working set of a recipe distribution (`name` as in `recipe =`). */
  recipeWorkingSet(requirement: string): Promise<InstalledDist[]> {
    let ws = this.#recipes.get(requirement);
    if (!ws) {
      ws = (async () =>
        await installWorkingSet(
          this.settings,
          [parseRequirement(requirement)],
          await this.folder(),
        ))();
      this.#recipes.set(requirement, ws);
    }
    return ws;
  }

  /** Whether Python was started in this run. */
  get started(): boolean {
    return this.#process !== undefined;
  }

  /** The process, started on first use. */
  process(): Promise<BridgeProcess> {
    return this.#process ??= (async () => {
      const { settings } = this;
      const python = (await session(settings).interpreter()).executable;
      const iso = await isolation(
        settings.offline || settings.installFromCache,
      );
      settings.log.debug(
        `Starting the Python recipe bridge (${
          [...iso.prefix, python].join(" ")
        }).`,
      );
      return BridgeProcess.start({
        python,
        folder: await this.folder(),
        prefix: iso.prefix,
        env: iso.env,
        logLevel: settings.logLevel,
      });
    })();
  }

  /** End the process, if one was started. */
  async close(): Promise<void> {
    this.atEnd = undefined;
    if (this.#process) await (await this.#process).close();
    this.#process = undefined;
  }
}

const runs = new WeakMap<Settings, BridgeRun>();

/**
 * The bridge state of the run `settings` belong to.
 *
 * @example
 * ```ts
 * const p = await bridgeRun(settings).process();
 * ```
 */
export function bridgeRun(settings: Settings): BridgeRun {
  let r = runs.get(settings);
  if (!r) runs.set(settings, r = new BridgeRun(settings));
  return r;
}

/** The run state if there is one (nothing is created). */
export function existingRun(settings: Settings): BridgeRun | undefined {
  return runs.get(settings);
}
