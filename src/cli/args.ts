/**
 * The command line: `buildout [options] [assignments] [command [args]]`.
 *
 * Pure: turns argv into a {@link ParsedArgs}; bad usage throws `UsageError`.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { Assignment } from "../config/types.ts";

/** Flags that change how the tool runs (not configuration values). */
export interface CliOptions {
  /** `-c FILE`; undefined means `buildout.cfg` in the working directory. */
  configFile?: string;
  /** Net `-v` count minus `-q` count. */
  verbosity: number;
  /** True when any `-q` was given. */
  quiet: boolean;
  /** False with `-U`. */
  userDefaults: boolean;
  /** `-h` / `--help`. */
  help: boolean;
  /** `--version`. */
  version: boolean;
  /** `-D`: show the stack of internal errors. */
  debug: boolean;
}

/** The result of {@link parseArgs}. */
export interface ParsedArgs {
  options: CliOptions;
  /** Flag-implied and explicit assignments, in command-line order. */
  assignments: Assignment[];
  command: string;
  args: string[];
}

const FLAG_ASSIGNMENTS: Record<string, [string, string]> = {
  o: ["offline", "true"],
  O: ["offline", "false"],
  n: ["newest", "true"],
  N: ["newest", "false"],
};

/**
 * Parse one assignment argument, `[section:]option[+|-]=value`.
 *
 * @example
 * ```ts
 * parseAssignment("p1:foo+=bar");
 * // { section: "p1", option: "foo", op: "+=", value: "bar" }
 * ```
 */
export function parseAssignment(arg: string): Assignment {
  const eq = arg.indexOf("=");
  let left = arg.slice(0, eq).trim();
  const value = arg.slice(eq + 1).trim();
  let op: Assignment["op"] = "=";
  if (left.endsWith("+") || left.endsWith("-")) {
    op = left.endsWith("+") ? "+=" : "-=";
    left = left.slice(0, -1).trim();
  }
  const parts = left.split(":");
  if (parts.length > 2) {
    throw new UsageError(
      `Invalid assignment '${arg}': expected [section:]option=value`,
    );
  }
  const [section, option] = parts.length === 2
    ? [parts[0].trim(), parts[1].trim()]
    : ["buildout", parts[0]];
  if (!option || !section || /\s/.test(option) || /\s/.test(section)) {
    throw new UsageError(
      `Invalid assignment '${arg}': expected [section:]option=value`,
    );
  }
  return { section, option, op, value };
}

/**
 * Parse the command line.
 *
 * @example
 * ```ts
 * const a = parseArgs(["-vvN", "-t5", "parts=a", "install", "a"]);
 * // a.options.verbosity == 2, a.command == "install", a.args == ["a"]
 * // a.assignments: newest=false, socket-timeout=5, parts=a, verbosity=20
 * ```
 */
export function parseArgs(argv: string[]): ParsedArgs {
  const options: CliOptions = {
    verbosity: 0,
    quiet: false,
    userDefaults: true,
    help: false,
    version: false,
    debug: false,
  };
  const assignments: Assignment[] = [];
  const set = (option: string, value: string) =>
    assignments.push({ section: "buildout", option, op: "=", value });
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help") {
      options.help = true;
    } else if (arg === "--version") {
      options.version = true;
    } else if (arg.startsWith("--")) {
      throw new UsageError(`Invalid option ${arg}`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      i = parseCluster(argv, i, options, set);
    } else if (arg.includes("=")) {
      assignments.push(parseAssignment(arg));
    } else {
      break;
    }
  }
  const command = i < argv.length ? argv[i] : "install";
  const args = argv.slice(i + 1);
  if (options.verbosity !== 0) set("verbosity", String(options.verbosity * 10));
  return { options, assignments, command, args };
}

/** Parse one `-xyz` cluster starting at argv[i]; returns the index of the last argument used. */
function parseCluster(
  argv: string[],
  i: number,
  options: CliOptions,
  set: (option: string, value: string) => void,
): number {
  const arg = argv[i];
  for (let j = 1; j < arg.length; j++) {
    const letter = arg[j];
    if (letter === "c" || letter === "t") {
      let value = arg.slice(j + 1);
      if (!value) {
        if (i + 1 >= argv.length) {
          throw new UsageError(
            letter === "c"
              ? "No file name specified for option -c"
              : "No timeout value specified for option -t",
          );
        }
        value = argv[++i];
      }
      if (letter === "c") {
        options.configFile = value;
      } else {
        if (!/^\d+$/.test(value.trim())) {
          throw new UsageError(`Timeout value must be numeric: '${value}'`);
        }
        set("socket-timeout", value.trim());
      }
      return i;
    }
    if (letter === "v") options.verbosity += 1;
    else if (letter === "q") {
      options.verbosity -= 1;
      options.quiet = true;
    } else if (letter === "U") options.userDefaults = false;
    else if (letter === "D") options.debug = true;
    else if (letter === "h" || letter === "W" || letter === "A") {
      options.help = true;
    } else if (letter in FLAG_ASSIGNMENTS) {
      set(...FLAG_ASSIGNMENTS[letter]);
    } else throw new UsageError(`Invalid option -${letter}`);
  }
  return i;
}

/**
 * The text printed by `buildout -h`.
 *
 * @example
 * ```ts
 * console.log(USAGE);
 * ```
 */
export const USAGE =
  `Usage: buildout [options] [assignments] [command [command arguments]]

Options:
  -c FILE      Use FILE as the configuration file (default: buildout.cfg).
  -v           Increase the level of verbosity (repeatable).
  -q           Quiet: print nothing but errors (repeatable).
  -U           Don't read user defaults (~/.buildout/default.cfg).
  -o           Offline mode: buildout:offline=true.
  -O           Online mode: buildout:offline=false.
  -n           Newest mode: buildout:newest=true.
  -N           Non-newest mode: buildout:newest=false.
  -t SECONDS   Socket timeout in seconds (also -tSECONDS).
  -D           Show the stack of internal errors.
  -h, --help   Print this message and exit.
  --version    Print the buildout and Deno versions and exit.

Assignments:
  section:option=value   Set an option (section defaults to buildout).
  section:option+=value  Add lines to an option; -= removes lines.

Commands:
  install [parts]        Install parts (default: all parts in buildout:parts).
  init [requirements]    Create a buildout.cfg (with a [py] interpreter part
                         for the given requirements) and install it.
  annotate [sections] [--json]
                         Show every resolved value and where it came from.
  query [section:]option [--json]
                         Print one value with \${...} substitutions resolved.
  bundle [-o FILE]       Write an offline bundle (configs, download cache,
                         MANIFEST) to FILE (default bundle.tar.gz); FILE may be
                         oci://HOST/REPO:TAG (push) or oci-layout:DIR.
  install-bundle FILE [-d DIR]
                         Unpack (or pull) a bundle and install it without network.
  lock [-o FILE] [--json]
                         Write [versions] and [hashes] (sha256) pinning every
                         distribution the parts use (stdout without -o).
  verify [PATH]          Check a bundle (file, oci://, oci-layout:) or a cache
                         folder against its MANIFEST.

Exit codes: 0 ok, 1 user error, 2 usage error, 3 internal error.`;
