/**
 * Typed `[buildout]` settings: booleans validated, paths made absolute, the
 * log level computed, cache folders created.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "../path.ts";
import { UserError } from "../errors.ts";
import { LEVELS, Logger, type Sink, stdoutSink } from "../log.ts";
import { normalizeName } from "../pypa/name.ts";
import type { Buildout, Options } from "../config/buildout.ts";
import { BUILDOUT_DEFAULTS } from "../config/load.ts";
import { readHashes } from "../config/hashes.ts";
import { abiTag } from "../python/abi.ts";
import { DEFAULT_LIMITS } from "../extract/limits.ts";

/**
 * `[buildout]` options that are not defaults yet never draw the unused-option
 * warning: read elsewhere (`parts`, `develop`, `relative-paths` by egg parts),
 * or zc.buildout options that mean nothing here (README, "[buildout]
 * options").
 *
 * @example
 * ```ts
 * ACCEPTED_OPTIONS.includes("unzip"); // true
 * ```
 */
export const ACCEPTED_OPTIONS: readonly string[] = [
  "parts",
  "develop",
  "extensions",
  "python",
  "unzip",
  "zc.buildout-version",
  "distribute-version",
  "setuptools-version",
  "accept-buildout-test-releases",
  "check-picked-versions",
];

export type { Settings } from "../config/settings.ts";
import type { Settings } from "../config/settings.ts";

export { extractLimits } from "../extract/limits.ts";

function count(name: string, value: string | undefined, d: number): number {
  if (value === undefined || value.trim() === "") return d;
  if (!/^\d+$/.test(value.trim())) {
    throw new UserError(`Invalid value for '${name}' option: '${value}'`);
  }
  return Number(value.trim());
}

/** What {@link readSettings} needs besides the configuration. */
export interface SettingsOptions {
  /** Where log lines go (default: stdout). */
  sink?: Sink;
  /** `-q` was given: print nothing but errors. */
  quiet?: boolean;
  /** The user's cache folder for this tool (see {@link Settings.userCacheDir}). */
  userCacheDir?: string;
}

/**
 * Parse a buildout boolean: exactly `true` or `false`.
 *
 * @example
 * ```ts
 * parseBool("newest", "true"); // true
 * parseBool("newest", "yes"); // throws "Invalid value for 'newest' option: 'yes'"
 * ```
 */
export function parseBool(name: string, value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new UserError(`Invalid value for '${name}' option: '${value}'`);
}

/**
 * The effective log level: `log-level` (a name or a number) minus `verbosity`;
 * `quiet` raises it to at least ERROR.
 *
 * @example
 * ```ts
 * effectiveLevel("INFO", "10", false); // 10 (DEBUG)
 * effectiveLevel("25", "5", false); // 20
 * effectiveLevel("INFO", "-10", true); // 40
 * ```
 */
export function effectiveLevel(
  logLevel: string,
  verbosity: string,
  quiet: boolean,
): number {
  const name = logLevel.trim().toUpperCase();
  let level: number;
  if (name in LEVELS) level = LEVELS[name as keyof typeof LEVELS];
  else if (/^-?\d+$/.test(name)) level = Number(name);
  else if (name === "WARN") level = LEVELS.WARNING;
  else if (name === "FATAL") level = LEVELS.CRITICAL;
  else throw new UserError(`Invalid logging level ${logLevel}`);
  const v = verbosity.trim() === "" ? "0" : verbosity.trim();
  if (!/^-?\d+$/.test(v)) throw new UserError(`Invalid verbosity ${verbosity}`);
  level -= Number(v);
  return quiet ? Math.max(level, LEVELS.ERROR) : level;
}

/**
 * The `[versions]` pins: normalised name -> the value as written (`0.2`,
 * `==0.2`, `>=1`), so that messages quote the user's own text; empty values
 * do not pin.
 *
 * @example
 * ```ts
 * parseVersions(new Map([["Demo", "0.2"], ["x", ">=1"]]));
 * // Map { "demo" => "0.2", "x" => ">=1" }
 * ```
 */
export function parseVersions(pins: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of pins) {
    const v = value.trim();
    if (!v) continue;
    out.set(normalizeName(name), v);
  }
  return out;
}

function lines(value: string | undefined): string[] {
  return (value ?? "").split(/\s+/).filter((s) => s);
}

/**
 * Read and validate the `[buildout]` settings.
 *
 * @example
 * ```ts
 * const s = readSettings(buildout, { quiet: false });
 * s.binDirectory; // "/abs/bin"
 * ```
 */
export function readSettings(
  buildout: Buildout,
  o: SettingsOptions = {},
): Settings {
  const b = buildout.section("buildout");
  const get = (k: string, d = "") => b.get(k) ?? d;
  const bool = (k: string, d: boolean) => {
    const v = b.get(k);
    return v === undefined ? d : parseBool(k, v);
  };
  const directory = resolve(b.require("directory"));
  const path = (k: string, d: string) => resolve(directory, get(k, d));
  const optionalPath = (k: string) => {
    const v = get(k).trim();
    return v ? resolve(directory, v) : undefined;
  };
  const offline = bool("offline", false);
  const installFromCache = bool("install-from-cache", false);
  const downloadCache = optionalPath("download-cache");
  if (installFromCache && offline) {
    throw new UserError(
      "install-from-cache can't be used with offline mode.\n" +
        "Nothing is installed, even from cache, in offline\n" +
        "mode, which might better be called 'no-install mode'.",
    );
  }
  if (installFromCache && !downloadCache) {
    throw new UserError(
      "install-from-cache = true needs a download-cache: set buildout:download-cache to the folder holding the cached distributions.",
    );
  }
  const logLevel = effectiveLevel(
    get("log-level", "INFO"),
    get("verbosity", "0"),
    o.quiet ?? false,
  );
  const logFormat = get("log-format");
  const log = new Logger(logLevel, o.sink ?? stdoutSink, logFormat);
  const newest = offline ? false : bool("newest", true);
  const versionsSection = get("versions", "versions").trim();
  const pins = new Map<string, string>();
  if (versionsSection && buildout.has(versionsSection)) {
    const sec: Options = buildout.section(versionsSection);
    for (const k of sec.keys()) pins.set(k, sec.get(k) ?? "");
  }
  const updateVersionsFile = optionalPath("update-versions-file");
  const timeout = get("socket-timeout").trim();
  let timeoutSeconds: number | undefined;
  if (/^\d+$/.test(timeout)) {
    timeoutSeconds = Number(timeout);
    log.info(`Setting socket time out to ${timeout} seconds.`);
  } else if (timeout) {
    log.warn(
      `Default socket timeout is used !\nValue in configuration is not numeric: [${timeout}].\n`,
    );
  }
  // Defaults and the options of ACCEPTED_OPTIONS never count as unused.
  for (const k of Object.keys(BUILDOUT_DEFAULTS)) b.get(k);
  for (const k of ACCEPTED_OPTIONS) b.get(k);
  const executable = get("executable").trim() || "python3";
  let eggsDirectory = path("eggs-directory", "eggs");
  const eggsVersion = get("eggs-directory-version").trim();
  if (eggsVersion) eggsDirectory = join(eggsDirectory, eggsVersion);
  if (bool("abi-tag-eggs", false)) {
    eggsDirectory = join(eggsDirectory, abiTag(executable, directory));
  }
  if (eggsDirectory !== path("eggs-directory", "eggs")) {
    b.set("eggs-directory", eggsDirectory);
  }
  return {
    userCacheDir: o.userCacheDir,
    directory,
    installed: get("installed").trim() ? path("installed", "") : "",
    binDirectory: path("bin-directory", "bin"),
    partsDirectory: path("parts-directory", "parts"),
    developEggsDirectory: path("develop-eggs-directory", "develop-eggs"),
    eggsDirectory,
    downloadCache,
    extendsCache: optionalPath("extends-cache"),
    installFromCache,
    offline,
    newest,
    findLinks: lines(get("find-links")),
    index: get("index").trim() || "https://pypi.org/simple/",
    allowHosts: lines(get("allow-hosts", "*")),
    preferFinal: bool("prefer-final", true),
    useDependencyLinks: bool("use-dependency-links", true),
    allowUnknownExtras: bool("allow-unknown-extras", false),
    versions: parseVersions(pins),
    allowPickedVersions: bool("allow-picked-versions", true),
    showPickedVersions: bool("show-picked-versions", false),
    updateVersionsFile,
    updateVersionsFileName: get("update-versions-file").trim() || undefined,
    executable,
    timeoutSeconds,
    logLevel,
    log,
    maxExtractSize: count(
      "max-extract-size",
      b.get("max-extract-size"),
      DEFAULT_LIMITS.maxExtractSize,
    ),
    maxCompressionRatio: count(
      "max-compression-ratio",
      b.get("max-compression-ratio"),
      DEFAULT_LIMITS.maxCompressionRatio,
    ),
    // Unset: the fetch code's own limit (64 MiB), not loaded just for this.
    maxPageSize: (b.get("max-page-size") ?? "").trim()
      ? count("max-page-size", b.get("max-page-size"), 0)
      : undefined,
    cacheBuilds: bool("cache-builds", false),
    requireHashes: bool("require-hashes", false),
    hashes: readHashes(buildout),
    sharedCache: get("shared-cache").trim() || undefined,
    sharedCachePush: bool("shared-cache-push", false),
  };
}

/**
 * Create download-cache (with `dist/`), extends-cache and eggs-directory when
 * missing, logging `Creating directory '<abs>'.` for each one created.
 *
 * @example
 * ```ts
 * await ensureCacheDirectories(settings);
 * ```
 */
export async function ensureCacheDirectories(s: Settings): Promise<void> {
  const dirs = [s.downloadCache, s.extendsCache, s.eggsDirectory];
  for (const dir of dirs) {
    if (dir && await makeDirectory(dir, true)) {
      s.log.info(`Creating directory '${dir}'.`);
    }
  }
  if (s.downloadCache) {
    await makeDirectory(resolve(s.downloadCache, "dist"), true);
  }
}

/**
 * Create a directory; true when it was created, false when it existed.
 *
 * @example
 * ```ts
 * await makeDirectory("/abs/bin"); // true the first time
 * ```
 */
export async function makeDirectory(
  dir: string,
  recursive = false,
): Promise<boolean> {
  if (!isAbsolute(dir)) throw new Error(`not an absolute path: ${dir}`);
  try {
    await Deno.mkdir(dir, { recursive: false });
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.AlreadyExists) return false;
    if (recursive && err instanceof Deno.errors.NotFound) {
      await Deno.mkdir(dir, { recursive: true }).catch((e) => {
        throw cannotCreate(dir, e);
      });
      return true;
    }
    throw cannotCreate(dir, err);
  }
}

function cannotCreate(dir: string, err: unknown): UserError {
  const why = (err as Error).message.replace(/ \(os error \d+\).*$/, "");
  return new UserError(`Cannot create directory '${dir}': ${why}.`);
}
