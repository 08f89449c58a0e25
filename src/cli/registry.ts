/**
 * Every command in one place, each loaded only when it is run: `--version`,
 * `-h` and a usage error import none of them, `query` does not load the
 * bundle code, `install` does not load the bundle commands.
 *
 * @module
 */
import type { ParsedArgs } from "./args.ts";
import type { CliIO } from "./io.ts";

/** A command: runs, prints through `io`, throws on failure. */
export type Command = (args: ParsedArgs, io: CliIO) => Promise<void>;

/** A command's one-line purpose and how to load it. */
export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

const core = () => import("./commands.ts");
const bundles = () => import("./bundle.ts");

/**
 * The commands by name.
 *
 * @example
 * ```ts
 * const run = await COMMAND_TABLE.query.load();
 * await run(parseArgs(["query", "parts"]), processIO());
 * ```
 */
export const COMMAND_TABLE: Record<string, CommandEntry> = {
  install: {
    summary: "install or update the parts",
    load: async () => (await core()).install,
  },
  init: {
    summary: "write a buildout.cfg, then install it",
    load: async () => (await core()).init,
  },
  query: {
    summary: "print one value with ${...} resolved",
    load: async () => (await core()).query,
  },
  annotate: {
    summary: "every value and the files it came from",
    load: async () => (await core()).annotate,
  },
  develop: {
    summary: "mr.developer's sources: status, checkout, update, ...",
    load: async () => (await core()).develop,
  },
  bundle: {
    summary: "write an offline bundle",
    load: async () => (await bundles()).BUNDLE_COMMANDS.bundle,
  },
  "install-bundle": {
    summary: "unpack a bundle and install it with no network",
    load: async () => (await bundles()).BUNDLE_COMMANDS["install-bundle"],
  },
  lock: {
    summary: "write [versions] and [hashes] pinning every distribution used",
    load: async () => (await import("./lock.ts")).lock,
  },
  verify: {
    summary: "check a bundle or a folder against its MANIFEST",
    load: async () => (await bundles()).BUNDLE_COMMANDS.verify,
  },
};
