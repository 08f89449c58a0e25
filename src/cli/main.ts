/**
 * `buildout [options] [assignments] [command [args]]`: parse the command
 * line, run the command, print errors, return the exit code
 * (0 ok, 1 user error, 2 usage error, 3 internal error).
 *
 * @module
 */
import { formatError, isUserCaused, UsageError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { parseArgs, USAGE } from "./args.ts";
import { type CliIO, processIO, red } from "./io.ts";
import { COMMAND_TABLE } from "./registry.ts";

/**
 * Exit codes.
 *
 * @example
 * ```ts
 * if (code === EXIT.USAGE) console.error("see buildout -h");
 * ```
 */
export const EXIT = { OK: 0, USER: 1, USAGE: 2, INTERNAL: 3 } as const;

/**
 * Run the tool; returns the exit code.
 *
 * @example
 * ```ts
 * const code = await main(["-N", "install"]);
 * Deno.exit(code);
 * ```
 */
export async function main(
  argv: string[],
  io: CliIO = processIO(),
): Promise<number> {
  let verbose = false;
  try {
    const parsed = parseArgs(argv);
    verbose = parsed.options.verbosity > 0 || parsed.options.debug;
    if (parsed.options.help) {
      io.stdout(USAGE);
      return EXIT.OK;
    }
    if (parsed.options.version) {
      io.stdout(`buildout version ${VERSION} (Deno ${Deno.version.deno})`);
      return EXIT.OK;
    }
    const entry = Object.hasOwn(COMMAND_TABLE, parsed.command)
      ? COMMAND_TABLE[parsed.command]
      : undefined;
    if (!entry) throw new UsageError(`invalid command: ${parsed.command}`);
    const command = await entry.load();
    await command(parsed, io);
    return EXIT.OK;
  } catch (err) {
    const text = formatError(err, verbose);
    for (const line of text.split("\n")) {
      io.stderr(
        line.startsWith("Error:") ? red(line, io.stderrIsTTY, io.env) : line,
      );
    }
    if (err instanceof UsageError) return EXIT.USAGE;
    if (isUserCaused(err)) return EXIT.USER;
    return EXIT.INTERNAL;
  }
}
