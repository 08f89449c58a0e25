/**
 * Loading a buildout configuration: built-in defaults, user defaults, the main file and its
 * `extends` tree (local paths and URLs), command-line assignments, `<=` macros and the path
 * rules of `eggs-directory`, `download-cache` and `extends-cache`. The only I/O is reading
 * files (and URLs through `fetchText`).
 *
 * Priority, lowest first: defaults, user defaults, the extends tree (depth-first, each file
 * once, at its first position), files from `buildout:extends=...` on the command line, other
 * command-line assignments.
 *
 * @module
 */

import { readConfigFile } from "./read.ts";
import { dirname, isAbsolute, join, resolve } from "../path.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { defaultMarkerEnv, evaluateCondition, type MarkerEnv } from "./expr.ts";
import {
  addToLayer,
  foldEntries,
  type Layer,
  type LayerEntry,
  layerFromParsed,
  layerFromRecord,
  resolveStack,
  stackLayers,
} from "./merge.ts";
import { parseConfig } from "./parse.ts";
import {
  applyPathRules,
  type FetchSettings,
  fetchSettings,
  isUrl,
} from "./paths.ts";
import { pyListRepr, pyRepr } from "../pyrepr.ts";
import {
  type Assignment,
  COMMAND_LINE_VALUE,
  COMPUTED_VALUE,
  DEFAULT_VALUE,
  type RawConfig,
  type RawOption,
} from "./types.ts";

export {
  applyPathRules,
  type FetchSettings,
  fetchSettings,
  FILE_RELATIVE_OPTIONS,
  isUrl,
} from "./paths.ts";
export type {
  Assignment,
  HistoryEntry,
  RawConfig,
  RawOption,
  RawSection,
} from "./types.ts";

/** Inputs of {@link loadConfig}. */
export interface LoadOptions {
  /** Absolute path (relative ones are taken from `cwd`) or http(s) URL. */
  configFile: string;
  cwd: string;
  /** False with `-U`. */
  userDefaults: boolean;
  env: { BUILDOUT_HOME?: string; HOME?: string };
  assignments: Assignment[];
  fetchText?: (url: string, settings: FetchSettings) => Promise<string>;
  /** Marker variables for `[name:expr]` conditions (default: {@link defaultMarkerEnv}). */
  markerEnv?: MarkerEnv;
  /**
   * Decides `[name:expr]` conditions, throwing `UserError` for a bad one (default: the
   * native evaluator against `markerEnv`; src/cli/conditions.ts adds the target Python).
   */
  judge?: (condition: string) => boolean;
  /** Debug lines (`Ignoring section ...`) and `optional-extends file not found: x`. */
  log?: Logger;
}

/** Buildout's built-in `[buildout]` defaults (source `DEFAULT_VALUE`). */
export const BUILDOUT_DEFAULTS: Readonly<Record<string, string>> = {
  "allow-hosts": "*",
  "allow-picked-versions": "true",
  "allow-unknown-extras": "false",
  "bin-directory": "bin",
  "develop": "",
  "develop-eggs-directory": "develop-eggs",
  "eggs-directory": "eggs",
  "executable": "python3",
  "find-links": "",
  "install-from-cache": "false",
  "installed": ".installed.cfg",
  "log-format": "",
  "log-level": "INFO",
  "newest": "true",
  "offline": "false",
  "parts-directory": "parts",
  "prefer-final": "true",
  "show-picked-versions": "false",
  "socket-timeout": "",
  "update-versions-file": "",
  "use-dependency-links": "true",
};

/**
 * Load and merge the whole configuration.
 *
 * @example
 * ```ts
 * const raw = await loadConfig({
 *   configFile: "/w/buildout.cfg", cwd: "/w", userDefaults: true,
 *   env: { HOME: Deno.env.get("HOME") }, assignments: [],
 * });
 * raw.get("buildout")?.get("parts")?.value;
 * ```
 */
export async function loadConfig(opts: LoadOptions): Promise<RawConfig> {
  const cwd = resolve(opts.cwd);
  const url = isUrl(opts.configFile);
  const main = url ? opts.configFile : resolve(cwd, opts.configFile);
  if (!url && !(await exists(main))) {
    throw new UserError(`Couldn't open ${main}`);
  }
  const defaults = layerFromRecord(
    { buildout: { ...BUILDOUT_DEFAULTS } },
    DEFAULT_VALUE,
  );
  if (!url) {
    addToLayer(
      defaults,
      "buildout",
      "directory",
      "=",
      dirname(main),
      COMPUTED_VALUE,
    );
  }

  const cliExtends: string[] = [];
  const cli: Layer = new Map();
  for (const a of opts.assignments) {
    if (a.section === "buildout" && a.option === "extends" && a.op === "=") {
      cliExtends.push(...a.value.split(/\s+/).filter(Boolean));
    } else {
      addToLayer(cli, a.section, a.option, a.op, a.value, COMMAND_LINE_VALUE);
    }
  }

  const loader = new TreeLoader(opts, cwd, [defaults], cli);
  const userFile = userDefaultsFile(opts, cwd);
  const userLayers = userFile && (await exists(userFile))
    ? await loader.load(userFile)
    : [];
  loader.settingsBase = [defaults, ...userLayers];
  const mainLayers = await loader.load(main);
  const extraLayers: Layer[] = [];
  for (const ref of cliExtends) {
    extraLayers.push(
      ...(await loader.load(isUrl(ref) ? ref : resolve(cwd, ref))),
    );
  }

  const raw = resolveStack(
    stackLayers([defaults, ...userLayers, ...mainLayers, ...extraLayers, cli]),
  );
  const buildout = raw.get("buildout")!;
  if (!buildout.has("versions")) {
    buildout.set("versions", setOption("versions", DEFAULT_VALUE));
    if (!raw.has("versions")) raw.set("versions", new Map());
  }
  applyPathRules(buildout, cwd, opts.env.HOME);
  return raw;
}

/** Reads one tree of files (the user defaults or the main config) into layers. */
class TreeLoader {
  /** Layers below the root file that decide the fetch settings. */
  settingsBase: Layer[];
  /** Each URL is fetched at most once per run. */
  private fetched = new Map<string, Promise<string>>();
  constructor(
    private opts: LoadOptions,
    private cwd: string,
    settingsBase: Layer[],
    private cli: Layer,
  ) {
    this.settingsBase = settingsBase;
  }

  /** The layers of `root` and everything it extends, lowest priority first. */
  load(root: string): Promise<Layer[]> {
    return this.loadFile(root, [], new Set(), undefined);
  }

  private async loadFile(
    ref: string,
    stack: string[],
    done: Set<string>,
    rootLayers: Layer[] | undefined,
    extendedBy?: string,
  ): Promise<Layer[]> {
    if (stack.includes(ref)) {
      throw new UserError(`Recursive file include ${pyListRepr(stack)} ${ref}`);
    }
    const text = await this.read(ref, extendedBy, rootLayers);
    const parsed = parseConfig(text, ref);
    const layer = layerFromParsed(
      parsed,
      ref,
      (block) => this.keep(block, ref),
    );
    const own = layer.get("buildout");
    const extendsRefs = takeList(own, "extends");
    const optional = takeList(own, "optional-extends");
    if (own?.has("extended-by")) {
      throw new UserError(
        `No-longer supported "extended-by" option found in ${ref}.`,
      );
    }
    const settingsLayers = rootLayers ?? [layer];
    const inner = [...stack, ref];
    const layers: Layer[] = [];
    for (const name of extendsRefs) {
      const next = resolveRef(ref, name);
      if (done.has(next)) continue;
      layers.push(
        ...(await this.loadFile(next, inner, done, settingsLayers, ref)),
      );
    }
    for (const name of optional) {
      if (isUrl(name) || isUrl(ref)) {
        throw new UserError(
          `optional-extends must name a local file: ${name} (in ${ref})`,
        );
      }
      const next = resolveRef(ref, name);
      if (!(await exists(next))) {
        this.opts.log?.print(`optional-extends file not found: ${name}`);
        continue;
      }
      if (done.has(next)) continue;
      layers.push(
        ...(await this.loadFile(next, inner, done, settingsLayers, ref)),
      );
    }
    layers.push(layer);
    done.add(ref);
    return layers;
  }

  private keep(
    block: { name: string; condition?: string; line: number },
    file: string,
  ): boolean {
    if (block.condition === undefined) return true;
    let ok: boolean;
    try {
      ok = this.opts.judge
        ? this.opts.judge(block.condition)
        : evaluateCondition(
          block.condition,
          this.opts.markerEnv ?? defaultMarkerEnv(),
        );
    } catch (err) {
      if (err instanceof UserError) {
        throw new UserError(`${file}, line ${block.line}: ${err.message}`);
      }
      throw err;
    }
    if (!ok) {
      this.opts.log?.debug(
        `Ignoring section ${pyRepr(block.name)} with [expression]: ${
          pyRepr(block.condition)
        }`,
      );
    }
    return ok;
  }

  private async read(
    ref: string,
    extendedBy: string | undefined,
    rootLayers: Layer[] | undefined,
  ): Promise<string> {
    if (isUrl(ref)) {
      if (!this.opts.fetchText) {
        throw new UserError(
          `Couldn't download '${ref}': no downloader available.`,
        );
      }
      const fetchText = this.opts.fetchText;
      let text = this.fetched.get(ref);
      if (!text) {
        const settings = fetchSettings(
          [...this.settingsBase, ...(rootLayers ?? []), this.cli],
          this.cwd,
          this.opts.env.HOME,
        );
        text = fetchText(ref, settings);
        this.fetched.set(ref, text);
      }
      return await text;
    }
    try {
      return await readConfigFile(ref);
    } catch (err) {
      const by = extendedBy ? ` (extended by ${extendedBy})` : "";
      if (err instanceof Deno.errors.NotFound) {
        throw new UserError(`Couldn't open ${ref}${by}`);
      }
      throw new UserError(
        `Couldn't open ${ref}${by}: ${
          err instanceof Error ? err.message : err
        }`,
      );
    }
  }
}

/** Remove a list-valued key (`extends`) from a layer's `[buildout]` and return its items. */
function takeList(
  section: Map<string, LayerEntry> | undefined,
  key: string,
): string[] {
  const entry = section?.get(key);
  if (!entry) return [];
  section!.delete(key);
  return foldEntries(undefined, [entry]).value.split(/\s+/).filter(Boolean);
}

/** Resolve an `extends` item against the file that names it. */
function resolveRef(from: string, name: string): string {
  if (isUrl(name)) return name;
  if (isUrl(from)) return isAbsolute(name) ? name : new URL(name, from).href;
  return resolve(dirname(from), name);
}

function userDefaultsFile(opts: LoadOptions, cwd: string): string | undefined {
  if (!opts.userDefaults) return undefined;
  const home = opts.env.BUILDOUT_HOME;
  if (home) return resolve(cwd, home, "default.cfg");
  if (opts.env.HOME) return join(opts.env.HOME, ".buildout", "default.cfg");
  return undefined;
}

function setOption(value: string, source: string): RawOption {
  return { value, source, history: [{ op: "SET", value, source }] };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
