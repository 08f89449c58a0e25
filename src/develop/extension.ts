/**
 * The mr.developer extension, built in: at the start of `install`, check
 * out the `auto-checkout` sources that are missing (and update existing ones
 * per `always-checkout`), then add the checked-out, activated egg sources to
 * `[buildout] develop` (and drop their version pins), so the develop
 * machinery makes them develop eggs. `bin/develop` is written after the run.
 *
 * @module
 */
import { existsSync } from "../fsutil.ts";
import { Logger } from "../log.ts";
import type { Buildout } from "../config/buildout.ts";
import type { RawConfig } from "../config/types.ts";
import { normalizeName } from "../pypa/name.ts";
import type { OpenBuildout } from "../parts/open.ts";
import { checkoutSources } from "./checkout.ts";
import { gitRunner } from "./gitcmd.ts";
import { developInfo } from "./info.ts";
import { writeDevelopScript } from "./script.ts";
import { type DevelopConfig, parseBool, readDevelopConfig } from "./sources.ts";
import { readState, saveState } from "./state.ts";
import type { NoNetwork } from "./workingcopy.ts";

/** Source label of what the extension adds (shown by `annotate`). */
export const MR_DEVELOPER_VALUE = "mr.developer";

/**
 * mr.developer's log: `mr.developer: <message>` on buildout's output (or
 * buildout's `log-format` when one is set).
 *
 * @example
 * ```ts
 * extensionLogger(settings.log).info("Queued 'pkg' for checkout.");
 * // mr.developer: Queued 'pkg' for checkout.
 * ```
 */
export function extensionLogger(log: Logger): Logger {
  const sink = log.format
    ? log.sink
    : (line: string) => log.sink(`mr.developer: ${line}`);
  return new Logger(log.level, sink, log.format);
}

/**
 * Read the extension's configuration from an opened (or plain) buildout.
 *
 * @example
 * ```ts
 * developConfig(open.buildout, log).sources.size; // 2
 * ```
 */
export function developConfig(buildout: Buildout, log: Logger): DevelopConfig {
  const b = buildout.section("buildout");
  return readDevelopConfig({
    buildout: (k) => b.get(k),
    section: (name) => {
      if (!buildout.has(name)) return undefined;
      const s = buildout.section(name);
      return s.keys().map((k) => [k, s.get(k) ?? ""]);
    },
    directory: b.require("directory"),
    log,
  });
}

/**
 * Add `entries` to the raw `[buildout] develop` as an `ADD` by `mr.developer`.
 *
 * @example
 * ```ts
 * recordDevelop(raw, ["src/pkg"]); // annotate: develop= ...\n+=  mr.developer
 * ```
 */
export function recordDevelop(raw: RawConfig, entries: string[]): void {
  if (!entries.length) return;
  let section = raw.get("buildout");
  if (!section) raw.set("buildout", section = new Map());
  const value = entries.join("\n");
  const old = section.get("develop");
  const entry = { op: "ADD" as const, value, source: MR_DEVELOPER_VALUE };
  section.set(
    "develop",
    old
      ? {
        value: old.value ? `${old.value}\n${value}` : value,
        source: MR_DEVELOPER_VALUE,
        history: [...old.history, entry],
      }
      : { value, source: MR_DEVELOPER_VALUE, history: [entry] },
  );
}

/** How the run was started (for `bin/develop`) and its surroundings. */
export interface ExtensionRun {
  /** `-c` and `-U` as given, repeated by `bin/develop`. */
  buildoutArgs: string[];
  /** Environment for `git` on top of the process's. */
  env: Record<string, string | undefined>;
}

/**
 * Run the extension on an opened buildout; returns what to do after the
 * parts are installed (write `bin/develop`).
 *
 * @example
 * ```ts
 * const after = await runMrDeveloper(open, { buildoutArgs: [], env: {} });
 * await runInstall(open, []);
 * await after();
 * ```
 */
export async function runMrDeveloper(
  open: OpenBuildout,
  run: ExtensionRun,
): Promise<() => Promise<void>> {
  const { settings, buildout } = open;
  const log = extensionLogger(settings.log);
  const cfg = developConfig(buildout, log);
  if (existsSync(cfg.directory) && !existsSync(cfg.sourcesDir)) {
    log.info(`Creating missing sources dir ${cfg.sourcesDir}.`);
    await Deno.mkdir(cfg.sourcesDir);
  }
  const state = await readState(cfg.directory);
  const b = buildout.section("buildout");
  const develop = b.get("develop") ?? "";
  let info = developInfo(cfg, state.develop, develop, existsSync);
  const packages = new Set(cfg.autoCheckout);
  for (const name of info.develeggs.keys()) {
    const s = cfg.sources.get(name);
    if (s && (cfg.alwaysCheckout || parseBool(s.options.update ?? "false"))) {
      packages.add(name);
    }
  }
  const noNetwork: NoNetwork = settings.installFromCache
    ? "install-from-cache"
    : settings.offline
    ? "offline"
    : undefined;
  const verbose = settings.log.level <= 10 ||
    parseBool(b.get("mr.developer-verbose") ?? "") === true;
  await checkoutSources([...packages].sort(), cfg.sources, {
    log,
    git: gitRunner(run.env),
    noNetwork,
    submodules: cfg.updateGitSubmodules,
    verbose,
    print: (l) => settings.log.print(l),
  }, {
    update: cfg.alwaysCheckout !== false,
    force: cfg.alwaysCheckout === "force",
  });
  info = developInfo(cfg, state.develop, develop, existsSync);
  for (const name of info.unpinned) {
    settings.versions.delete(normalizeName(name));
  }
  if (info.added.length) {
    b.set("develop", [develop, ...info.added].filter(Boolean).join("\n"));
    recordDevelop(buildout.rawConfig, info.added);
  }
  b.set("sources-dir", cfg.sourcesDir);
  await saveState(state);
  return async () => {
    await writeDevelopScript(settings.binDirectory, {
      directory: cfg.directory,
      buildoutArgs: run.buildoutArgs,
    }, settings.log);
  };
}

/**
 * For `annotate`: what the extension would add to `develop`, recorded in the
 * raw configuration (nothing is checked out or written).
 *
 * @example
 * ```ts
 * await annotateMrDeveloper(raw, new Buildout(raw), log);
 * ```
 */
export async function annotateMrDeveloper(
  raw: RawConfig,
  buildout: Buildout,
  log: Logger,
): Promise<void> {
  const cfg = developConfig(buildout, log);
  const state = await readState(cfg.directory);
  const develop = buildout.section("buildout").get("develop") ?? "";
  const info = developInfo(cfg, state.develop, develop, existsSync);
  recordDevelop(raw, info.added);
}
