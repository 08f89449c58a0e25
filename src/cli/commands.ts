/**
 * The commands: `install` (default), `init`, `annotate`, `query`.
 * Each takes the parsed command line and the IO; errors are thrown.
 *
 * @module
 */
import { resolve, sep } from "../path.ts";
import { doing, UsageError, UserError } from "../errors.ts";
import { LEVELS, Logger } from "../log.ts";
import { annotateJson, formatAnnotate } from "../config/annotate.ts";
import { openBuildout } from "../parts/open.ts";
import { ensureCacheDirectories } from "../parts/settings.ts";
import { runInstall } from "../parts/lifecycle.ts";
import { acquireRunLock, parseLockTimeout } from "../parts/runlock.ts";
import { reportPickedVersions } from "../resolve/report.ts";
import { annotateExtensions, loadExtensions } from "./extensions.ts";
import { configPath, load } from "./load.ts";

export { configPath, load };
import "../recipes/builtin.ts";
import { registerPartHooksProvider } from "../parts/hooks.ts";
import { settleBackground } from "../background.ts";

// The Python recipe bridge: loaded only by runs that need it.
registerPartHooksProvider(() => import("../bridge/mod.ts"));

import type { Command } from "./registry.ts";
export type { Command };

/**
 * `install [parts]`: the part lifecycle on the loaded configuration.
 *
 * @example
 * ```ts
 * await install(parseArgs(["-N"]), processIO());
 * ```
 */
export const install: Command = async (a, io) => {
  const open = await doing("Initializing.", async () => {
    const raw = await load(a, io);
    const open = await openBuildout(raw, {
      sink: io.stdout,
      quiet: a.options.quiet,
      userCacheDir: userCacheDir(io.env),
    });
    // No network from here on: the runtime itself refuses every attempt.
    if (open.settings.installFromCache) io.revokeNetwork?.();
    await ensureCacheDirectories(open.settings);
    return open;
  });
  const afterInstall = await doing(
    "Installing.",
    () =>
      doing("Loading extensions.", () =>
        loadExtensions(open, {
          buildoutArgs: [
            "-c",
            configPath(a.options, io.cwd),
            ...(a.options.userDefaults ? [] : ["-U"]),
          ],
          env: io.env,
        })),
  );
  const release = await acquireRunLock(
    open.settings.directory,
    parseLockTimeout(
      open.buildout.section("buildout").get("lock-timeout") ?? "",
    ),
    open.settings.log,
  );
  try {
    await runInstall(open, a.args);
    for (const after of afterInstall) await after();
    await reportPickedVersions(open.settings);
  } finally {
    // Nothing the run started keeps running or writing after it.
    await settleBackground();
    release();
  }
};

/**
 * The `buildout.cfg` that `init` writes: an empty `parts`, or a `[py]`
 * interpreter part for the given requirements and paths.
 *
 * @example
 * ```ts
 * initConfig([]); // "[buildout]\nparts =\n"
 * initConfig(["demo"]); // "[buildout]\nparts = py\n\n[py]\nrecipe = zc.recipe.egg\ninterpreter = py\neggs =\n    demo\n"
 * ```
 */
export function initConfig(args: string[]): string {
  if (!args.length) return "[buildout]\nparts =\n";
  const isPath = (s: string) => s.includes(sep) || s.includes("/");
  const eggs = args.filter((s) => !isPath(s));
  const paths = args.filter(isPath);
  const list = (xs: string[]) => xs.map((x) => `\n    ${x}`).join("");
  let text = "[buildout]\nparts = py\n\n[py]\nrecipe = zc.recipe.egg\n" +
    "interpreter = py\neggs =" + list(eggs) + "\n";
  if (paths.length) text += "extra-paths =" + list(paths) + "\n";
  return text;
}

/**
 * `init [requirements]`: write buildout.cfg (an error when it exists), then
 * install it.
 *
 * @example
 * ```ts
 * await init(parseArgs(["init", "demo"]), processIO());
 * // Creating '/w/buildout.cfg'.
 * ```
 */
export const init: Command = async (a, io) => {
  const file = configPath(a.options, io.cwd);
  const exists = await Deno.lstat(file).then(() => true, () => false);
  if (exists) {
    await doing("Initializing.", () => {
      throw new UserError(`'${file}' already exists.`);
    });
  }
  new Logger(a.options.quiet ? LEVELS.ERROR : LEVELS.INFO, io.stdout)
    .print(`Creating '${file}'.`);
  await Deno.writeTextFile(file, initConfig(a.args));
  for (const p of a.args.filter((s) => s.includes("/"))) {
    await Deno.mkdir(resolve(io.cwd, p), { recursive: true });
  }
  await install({ ...a, args: [] }, io);
};

/**
 * `query [section:]option [--json]`: one value with `${}` resolved, on stdout (log lines and
 * warnings go to stderr). With `buildout:verbosity` non-zero (`-v`), the `${section:option}`
 * header line comes first, as in buildout.
 *
 * @example
 * ```ts
 * await query(parseArgs(["query", "buildout:directory"]), processIO());
 * // /w
 * ```
 */
export const query: Command = async (a, io) => {
  const json = a.args.includes("--json");
  const rest = a.args.filter((s) => s !== "--json");
  if (rest.length !== 1) {
    throw new UsageError("The query command requires a single argument.");
  }
  const parts = rest[0].split(":");
  if (parts.length > 2) throw new UsageError(`Invalid option: ${rest[0]}`);
  const [section, option] = parts.length === 2
    ? [parts[0] || "buildout", parts[1]]
    : ["buildout", parts[0]];
  const open = await doing("Initializing.", async () => {
    const raw = await load(a, io, io.stderr);
    return await openBuildout(raw, { sink: io.stderr, quiet: a.options.quiet });
  });
  // The header comes before the lookup, so a lookup error follows it.
  const verbosity = open.buildout.section("buildout").get("verbosity");
  if (!json && Number(verbosity ?? 0)) io.stdout(`\${${section}:${option}}`);
  if (!open.buildout.has(section)) {
    throw new UserError(`Section not found: ${section}`);
  }
  const value = open.buildout.section(section).get(option);
  if (value === undefined) throw new UserError(`Key not found: ${option}`);
  if (json) {
    io.stdout(JSON.stringify({ section, option, value }));
    return;
  }
  io.stdout(value);
};

/**
 * `annotate [sections] [--json]`: every value and where it came from, on stdout (log lines
 * and warnings go to stderr).
 *
 * @example
 * ```ts
 * await annotate(parseArgs(["annotate", "buildout"]), processIO());
 * ```
 */
export const annotate: Command = async (a, io) => {
  const json = a.args.includes("--json");
  const sections = a.args.filter((s) => s !== "--json");
  const raw = await doing("Initializing.", async () => {
    const raw = await load(a, io, io.stderr);
    await annotateExtensions(raw, io.stderr);
    return raw;
  });
  const directory = raw.get("buildout")?.get("directory")?.value;
  const o = { directory, sections, verbose: a.options.verbosity > 0 };
  if (json) {
    io.stdout(JSON.stringify(annotateJson(raw, o), null, 2));
    return;
  }
  const text = formatAnnotate(raw, o);
  for (const line of text.split("\n")) io.stdout(line);
};

/**
 * `develop <subcommand> ...`: mr.developer's commands (src/develop/command.ts).
 *
 * @example
 * ```ts
 * await develop(parseArgs(["develop", "status"]), processIO());
 * ```
 */
export const develop: Command = async (a, io) => {
  const open = await doing("Initializing.", async () => {
    const raw = await load(a, io, io.stderr);
    const open = await openBuildout(raw, {
      sink: io.stderr,
      quiet: a.options.quiet,
    });
    if (open.settings.installFromCache) io.revokeNetwork?.();
    return open;
  });
  const { runDevelopCommand } = await import("../develop/command.ts");
  await runDevelopCommand(open, a.args, io);
};

/**
 * The core commands by name (`main` also dispatches the bundle commands).
 *
 * @example
 * ```ts
 * await COMMANDS.query(parseArgs(["query", "parts"]), processIO());
 * ```
 */
export const COMMANDS: Record<string, Command> = {
  install,
  init,
  query,
  annotate,
  develop,
};

/**
 * This tool's folder in the user's cache: `$XDG_CACHE_HOME/buildout`, else
 * `~/.cache/buildout`; none without a home.
 *
 * @example
 * ```ts
 * userCacheDir({ HOME: "/home/me" }); // "/home/me/.cache/buildout"
 * ```
 */
export function userCacheDir(
  env: Record<string, string | undefined>,
): string | undefined {
  const base = env.XDG_CACHE_HOME ||
    (env.HOME ? `${env.HOME.replace(/\/+$/, "")}/.cache` : undefined);
  return base ? `${base}/buildout` : undefined;
}
