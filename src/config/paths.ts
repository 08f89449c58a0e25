/**
 * Where remote configuration may be fetched from, and buildout's path rules for
 * `eggs-directory`, `download-cache` and `extends-cache`. Pure.
 *
 * @module
 */

import { dirname, isAbsolute, resolve } from "node:path";
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
 * Resolve `eggs-directory`, `download-cache` and `extends-cache` in a merged `[buildout]`:
 * relative values (without `${`) against the directory of the file that last set them, or
 * against `directory` when they come from defaults or the command line; `~` expanded.
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
  for (const name of FILE_RELATIVE_OPTIONS) {
    const opt = buildout.get(name);
    if (!opt || !opt.value || opt.value.includes("${")) continue;
    const dir = buildout.get("directory")?.value;
    const abs = resolvePathOption(name, opt, dir, cwd, home);
    if (abs === opt.value) continue;
    opt.value = abs;
    opt.history.push({ op: "DIRECTORY", value: abs, source: opt.source });
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
