/**
 * Loading the configuration for a command: remote `extends` through the
 * download utility (with `extends-cache`), and `[section:condition]` evaluated
 * against the target Python when a configuration uses conditions
 * (src/cli/conditions.ts).
 *
 * @module
 */
import { readConfigFile } from "../config/read.ts";
import { isAbsolute, resolve } from "../path.ts";
import { LEVELS, Logger, type Sink } from "../log.ts";
import { loadConfig } from "../config/load.ts";
import type { FetchSettings } from "../config/paths.ts";
import type { RawConfig } from "../config/types.ts";
import { loadWithConditions } from "./conditions.ts";
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
  // Loaded for remote configurations only.
  const { Download } = await import("../fetch/download.ts");
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
    return await readConfigFile(path);
  } finally {
    if (isTemp) await Deno.remove(path).catch(() => {});
  }
}

/**
 * Load the configuration named on the command line (`-c`, `-U`, assignments).
 * Conditions are decided as in {@link loadWithConditions}: no Python without
 * conditions, else one run of the target Python for all of them. Log lines
 * go to `sink` (default stdout).
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
  const level = a.options.quiet
    ? LEVELS.ERROR
    : LEVELS.INFO - 10 * a.options.verbosity;
  const log = new Logger(level, sink);
  // Each remote file is fetched once, however many passes the conditions take.
  const fetched = new Map<string, Promise<string>>();
  const fetchText = (url: string, s: FetchSettings) => {
    const key = JSON.stringify([url, s]);
    let text = fetched.get(key);
    if (!text) fetched.set(key, text = fetchConfigText(url, s, log));
    return text;
  };
  const configFile = configPath(a.options, io.cwd);
  return await loadWithConditions(
    (judge, passSink) =>
      loadConfig({
        configFile,
        cwd: io.cwd,
        userDefaults: a.options.userDefaults,
        env: { BUILDOUT_HOME: io.env.BUILDOUT_HOME, HOME: io.env.HOME },
        assignments: a.assignments,
        fetchText,
        judge,
        log: new Logger(level, passSink),
      }),
    { configFile, cwd: io.cwd, sink },
  );
}
