/**
 * Where remote configuration may be fetched from, and buildout's path rules for
 * `eggs-directory`, `download-cache` and `extends-cache`. Pure.
 *
 * @module
 */

import { dirname, isAbsolute, resolve } from "../path.ts";
import { UserError } from "../errors.ts";
import { type Layer, resolveStack, stackLayers } from "./merge.ts";
import { pyRepr } from "../pyrepr.ts";
import {
  COMMAND_LINE_VALUE,
  COMPUTED_VALUE,
  DEFAULT_VALUE,
  type RawOption,
} from "./types.ts";

/** How remote configuration files may be fetched (decided by defaults, user defaults, root files, CLI). */
export interface FetchSettings {
  /** True with `offline = true` or `install-from-cache = true`. */
  offline: boolean;
  /** Absolute path of the extends cache, when set. */
  extendsCache?: string;
  newest: boolean;
}

/** The options resolved against the file that set them. */
export const FILE_RELATIVE_OPTIONS = [
  "download-cache",
  "eggs-directory",
  "extends-cache",
];

/** The options resolved against `directory`. */
export const DIRECTORY_RELATIVE_OPTIONS = [
  "bin-directory",
  "develop-eggs-directory",
  "installed",
  "parts-directory",
];

/**
 * Every `[buildout]` option holding a path: absolute once read (in `${buildout:...}`, `query`,
 * `annotate`, what recipes get). An empty value stays empty (`installed =` means no
 * installation database).
 */
export const BUILDOUT_PATH_OPTIONS: readonly string[] = [
  "directory",
  ...FILE_RELATIVE_OPTIONS,
  ...DIRECTORY_RELATIVE_OPTIONS,
];

/**
 * A `[buildout]` path option's value made absolute against `directory` (for values that held
 * `${...}`, once substituted). Empty values and values without a usable directory are kept.
 *
 * @example
 * ```ts
 * absolutePath("bin", "/w"); // "/w/bin"
 * absolutePath("", "/w"); // ""
 * absolutePath("/opt/eggs", "/w"); // "/opt/eggs"
 * ```
 */
export function absolutePath(value: string, directory?: string): string {
  if (!value.trim() || value.includes("${")) return value;
  if (isAbsolute(value)) return resolve(value);
  return directory && isAbsolute(directory) ? resolve(directory, value) : value;
}

const NON_FILE_SOURCES = [DEFAULT_VALUE, COMPUTED_VALUE, COMMAND_LINE_VALUE];
/**
 * True for `scheme://...` references (buildout's test).
 *
 * @example
 * ```ts
 * isUrl("https://example.com/base.cfg"); // true
 * isUrl("/w/base.cfg"); // false
 * ```
 */
export function isUrl(ref: string): boolean {
  return /^[a-zA-Z0-9+.-]+:\/\//.test(ref);
}

/**
 * The fetch settings from the given layers' `[buildout]` (booleans must be `true`/`false`).
 *
 * @example
 * ```ts
 * fetchSettings([defaults, cli], "/w", "/home/me"); // { offline: false, newest: true }
 * ```
 */
export function fetchSettings(
  layers: Layer[],
  cwd: string,
  home?: string,
): FetchSettings {
  const buildout = resolveStack(
    stackLayers(
      layers.map((l) =>
        new Map([["buildout", l.get("buildout") ?? new Map()]])
      ),
    ),
  ).get("buildout")!;
  const bool = (name: string, dflt: boolean) => {
    const v = buildout.get(name)?.value;
    if (v === undefined) return dflt;
    if (v === "true" || v === "false") return v === "true";
    throw new UserError(
      `Invalid value for ${pyRepr(name)} option: ${pyRepr(v)}`,
    );
  };
  const offline = bool("offline", false) || bool("install-from-cache", false);
  const settings: FetchSettings = {
    offline,
    newest: !offline && bool("newest", true),
  };
  const cache = buildout.get("extends-cache");
  if (cache?.value) {
    if (cache.value.includes("${")) {
      throw new UserError(
        `extends-cache '${cache.value}' may not contain \${section:variable} to expand.`,
      );
    }
    settings.extendsCache = resolvePathOption(
      "extends-cache",
      cache,
      buildout.get("directory")?.value,
      cwd,
      home,
    );
  }
  return settings;
}

/**
 * Make the path options of a merged `[buildout]` absolute (values holding `${` are left for
 * after substitution): `directory` against the folder of the file that set it (the working
 * directory for the command line); `eggs-directory`, `download-cache` and `extends-cache`
 * against the directory of the file that last set them, or against `directory` when they come
 * from defaults or the command line, `~` expanded; `bin-directory`, `parts-directory`,
 * `develop-eggs-directory` and `installed` against `directory`. Each change is a `DIRECTORY`
 * history entry (shown by `annotate -v`).
 *
 * @example
 * ```ts
 * applyPathRules(raw.get("buildout")!, "/w", "/home/me");
 * ```
 */
export function applyPathRules(
  buildout: Map<string, RawOption>,
  cwd: string,
  home?: string,
): void {
  const set = (opt: RawOption, abs: string) => {
    if (abs === opt.value) return;
    opt.value = abs;
    opt.history.push({ op: "DIRECTORY", value: abs, source: opt.source });
  };
  const directory = buildout.get("directory");
  if (directory?.value && !directory.value.includes("${")) {
    const value = directory.value;
    const fromFile = !NON_FILE_SOURCES.includes(directory.source) &&
      !!directory.source && !isUrl(directory.source);
    set(directory, resolve(fromFile ? dirname(directory.source) : cwd, value));
  }
  const dir = directory?.value;
  for (const name of FILE_RELATIVE_OPTIONS) {
    const opt = buildout.get(name);
    if (!opt || !opt.value || opt.value.includes("${")) continue;
    set(opt, resolvePathOption(name, opt, dir, cwd, home));
  }
  for (const name of DIRECTORY_RELATIVE_OPTIONS) {
    const opt = buildout.get(name);
    if (opt) set(opt, absolutePath(opt.value, dir));
  }
}

function resolvePathOption(
  name: string,
  opt: RawOption,
  directory: string | undefined,
  cwd: string,
  home?: string,
): string {
  const value = opt.value;
  if (isAbsolute(value)) return resolve(value);
  let base: string;
  if (NON_FILE_SOURCES.includes(opt.source) || !opt.source) {
    base = directory ? resolve(cwd, directory) : cwd;
  } else if (isUrl(opt.source)) {
    throw new UserError(
      `Setting "${name}" to a non absolute location ("${value}") within a\n` +
        `remote configuration file ("${opt.source}") is ambiguous.`,
    );
  } else base = dirname(opt.source);
  const expanded = home && (value === "~" || value.startsWith("~/"))
    ? home + value.slice(1)
    : value;
  return resolve(base, expanded);
}
