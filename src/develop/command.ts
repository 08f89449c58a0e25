/**
 * `buildout develop <subcommand> [flags] [package-regexps]`: mr.developer's
 * `bin/develop` on an opened buildout. Messages are logged as
 * `INFO: ...`/`WARNING: ...` on stderr, listings printed on stdout.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import { Logger, type Sink } from "../log.ts";
import type { OpenBuildout } from "../parts/open.ts";
import { existsSync } from "../fsutil.ts";
import { developConfig } from "./extension.ts";
import { gitRunner } from "./gitcmd.ts";
import { developInfo } from "./info.ts";
import { readState } from "./state.ts";
import * as sub from "./subcommands.ts";

interface Spec {
  run: sub.Subcommand;
  /** Allowed single-letter flags. */
  flags: string;
  /** At least one regexp required. */
  needsArgs?: boolean;
}

const SPECS: Record<string, Spec> = {
  activate: { run: sub.activate, flags: "acd", needsArgs: true },
  checkout: { run: sub.checkout, flags: "av", needsArgs: true },
  deactivate: { run: sub.deactivate, flags: "acd", needsArgs: true },
  info: { run: sub.info, flags: "acdp" },
  list: { run: sub.list, flags: "acdls" },
  reset: { run: sub.reset, flags: "acd" },
  status: { run: sub.status, flags: "acdv" },
  update: { run: sub.update, flags: "adfv" },
};

const ALIASES: Record<string, string> = {
  a: "activate",
  co: "checkout",
  d: "deactivate",
  ls: "list",
  st: "status",
  stat: "status",
  up: "update",
};

const LONG: Record<string, string> = {
  "--auto-checkout": "a",
  "--checked-out": "c",
  "--develop": "d",
  "--verbose": "v",
  "--force": "f",
  "--long": "l",
  "--status": "s",
  "--path": "p",
};

const FIELDS: Record<string, string> = {
  "--name": "name",
  "-p": "path",
  "--path": "path",
  "--type": "type",
  "--url": "url",
};

/**
 * Parse a subcommand's arguments.
 *
 * @example
 * ```ts
 * parseSubArgs("status", ["-av", "pkg"]);
 * // { command: "status", args: { flags: Set{"a","v"}, fields: [], regexps: ["pkg"] } }
 * ```
 */
export function parseSubArgs(
  name: string | undefined,
  argv: string[],
): { command: string; args: sub.SubArgs } {
  const choices = Object.keys(SPECS).map((s) => `'${s}'`).join(", ");
  if (!name) {
    throw new UsageError(
      `develop: a command is required (choose from ${choices})`,
    );
  }
  const command = ALIASES[name] ?? name;
  const spec = SPECS[command];
  if (!spec) {
    throw new UsageError(
      `develop: invalid choice: '${name}' (choose from ${choices})`,
    );
  }
  const args: sub.SubArgs = { flags: new Set(), fields: [], regexps: [] };
  for (const arg of argv) {
    if (command === "info" && arg in FIELDS) args.fields.push(FIELDS[arg]);
    else if (
      arg.startsWith("--") && LONG[arg] && spec.flags.includes(LONG[arg])
    ) {
      args.flags.add(LONG[arg]);
    } else if (/^-[a-z]+$/.test(arg)) {
      for (const f of arg.slice(1)) {
        if (!spec.flags.includes(f)) {
          throw new UsageError(
            `develop ${command}: unrecognized arguments: ${arg}`,
          );
        }
        args.flags.add(f);
      }
    } else if (arg.startsWith("-")) {
      throw new UsageError(
        `develop ${command}: unrecognized arguments: ${arg}`,
      );
    } else args.regexps.push(arg);
  }
  if (spec.needsArgs && !args.regexps.length) {
    throw new UsageError(
      `develop ${command}: the following arguments are required: package-regexp`,
    );
  }
  return { command, args };
}

/** The surroundings of {@link runDevelopCommand}. */
export interface DevelopIO {
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string | undefined>;
}

/**
 * Run `develop <argv>` on an opened buildout.
 *
 * @example
 * ```ts
 * await runDevelopCommand(open, ["status"], { stdout, stderr, env });
 * // "      pkg"
 * ```
 */
export async function runDevelopCommand(
  open: OpenBuildout,
  argv: string[],
  io: DevelopIO,
): Promise<void> {
  const { command, args } = parseSubArgs(argv[0], argv.slice(1));
  const { settings } = open;
  const log = new Logger(
    settings.log.level,
    io.stderr,
    "%(levelname)s: %(message)s",
  );
  const cfg = developConfig(open.buildout, log);
  const state = await readState(cfg.directory);
  // As the next buildout run would see them, without touching the state.
  const develop = open.buildout.section("buildout").get("develop") ?? "";
  const { develeggs } = developInfo(
    cfg,
    new Map(state.develop),
    develop,
    existsSync,
  );
  await SPECS[command].run({
    cfg,
    state,
    develeggs,
    log,
    out: io.stdout,
    wc: {
      log,
      git: gitRunner(io.env),
      noNetwork: settings.installFromCache
        ? "install-from-cache"
        : settings.offline
        ? "offline"
        : undefined,
      submodules: cfg.updateGitSubmodules,
      verbose: args.flags.has("v"),
      print: io.stdout,
    },
  }, args);
}
