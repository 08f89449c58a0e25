/**
 * Loading the configuration for a command: remote `extends` through the
 * download utility (with `extends-cache`), and `[section:condition]` evaluated
 * against the target Python when a configuration uses conditions.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { LEVELS, Logger, type Sink } from "../log.ts";
import { loadConfig } from "../config/load.ts";
import type { FetchSettings } from "../config/paths.ts";
import type { MarkerEnv } from "../config/expr.ts";
import type { RawConfig } from "../config/types.ts";
import { Download } from "../fetch/download.ts";
import { getInterpreter } from "../python/interpreter.ts";
import type { ParsedArgs } from "./args.ts";
import type { CliIO } from "./io.ts";

/**
 * The absolute configuration file (or URL) for `-c` (default `buildout.cfg`).
 *
 * @example
 * ```ts
 * configPath({ configFile: "b.cfg" }, "/w"); // "/w/b.cfg"
 * ```
 */
export function configPath(
  options: { configFile?: string },
  cwd: string,
): string {
  const file = options.configFile ?? "buildout.cfg";
  if (/^https?:\/\//.test(file)) return file;
  return isAbsolute(file) ? file : resolve(cwd, file);
}

/**
 * Fetch a remote configuration file as buildout does: into the extends cache
 * under the MD5 of its URL; in newest mode fetched again with the cached copy
 * as fallback; offline (or install-from-cache) only from the cache.
 *
 * @example
 * ```ts
 * const text = await fetchConfigText("http://h/base.cfg", { offline: false, newest: true }, log);
 * ```
 */
export async function fetchConfigText(
  url: string,
  s: FetchSettings,
  log: Logger,
): Promise<string> {
  const dl = new Download({
    cacheRoot: s.extendsCache,
    offline: s.offline,
    hashName: true,
    fallback: s.newest,
    // As in buildout, `Downloading <url>` of a configuration shows only with -v.
    log: new Logger(log.level + 10, log.sink),
  });
  const { path, isTemp } = await dl.download(url);
  try {
    return await Deno.readTextFile(path);
  } finally {
    if (isTemp) await Deno.remove(path).catch(() => {});
  }
}

/** Thrown by the first load when a condition needs the target Python's markers. */
class NeedsInterpreter extends Error {}

/**
 * Load the configuration named on the command line (`-c`, `-U`, assignments).
 * Python is asked for its marker variables only when a condition needs them.
 * Log lines go to `sink` (default stdout).
 *
 * @example
 * ```ts
 * const raw = await load(parseArgs(["-U", "parts=a"]), processIO());
 * ```
 */
export async function load(
  a: ParsedArgs,
  io: CliIO,
  sink: Sink = io.stdout,
): Promise<RawConfig> {
  const log = new Logger(
    a.options.quiet ? LEVELS.ERROR : LEVELS.INFO - 10 * a.options.verbosity,
    sink,
  );
  const once = (markerEnv: MarkerEnv) =>
    loadConfig({
      configFile: configPath(a.options, io.cwd),
      cwd: io.cwd,
      userDefaults: a.options.userDefaults,
      env: { BUILDOUT_HOME: io.env.BUILDOUT_HOME, HOME: io.env.HOME },
      assignments: a.assignments,
      fetchText: (url, s) => fetchConfigText(url, s, log),
      markerEnv,
      log,
    });
  const lazy = new Proxy({} as MarkerEnv, {
    get() {
      throw new NeedsInterpreter();
    },
  });
  try {
    return await once(lazy);
  } catch (err) {
    if (!(err instanceof NeedsInterpreter)) throw err;
    const python = await getInterpreter("python3", { cwd: io.cwd });
    return await once(python.markerEnv);
  }
}
