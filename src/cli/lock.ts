/**
 * `buildout lock [-o FILE] [--json]`: resolve every egg-using part without
 * installing it (no scripts, nothing recorded), then write `[versions]` and
 * `[hashes]` for every distribution used.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { writeFileAtomic } from "../fsutil.ts";
import { doing, UsageError } from "../errors.ts";
import { openBuildout } from "../parts/open.ts";
import { ensureCacheDirectories } from "../parts/settings.ts";
import { selectParts } from "../parts/select.ts";
import { partHooks } from "../parts/hooks.ts";
import { acquireRunLock, parseLockTimeout } from "../parts/runlock.ts";
import { session } from "../resolve/session.ts";
import { collectLock } from "../lock/collect.ts";
import { formatLockConfig, formatLockJson } from "../lock/format.ts";
import { load } from "./load.ts";
import { takeFlag } from "./bundle.ts";
import type { Command } from "./registry.ts";
import "./commands.ts"; // the built-in recipes and the bridge, loaded lazily

/** A recipe `buildout lock` can resolve without installing (egg parts and their kin). */
interface Lockable {
  lockResolve(): Promise<void>;
}

const lockable = (r: unknown): r is Lockable =>
  typeof (r as Partial<Lockable>).lockResolve === "function";

/**
 * The `lock` command.
 *
 * @example
 * ```ts
 * await lock(parseArgs(["lock", "-o", "buildout.lock"]), processIO());
 * ```
 */
export const lock: Command = async (a, io) => {
  const json = a.args.includes("--json");
  const { value, rest } = takeFlag(
    a.args.filter((s) => s !== "--json"),
    ["-o", "--output"],
  );
  if (rest.length) {
    throw new UsageError(`lock takes no arguments: ${rest.join(" ")}`);
  }
  const open = await doing("Initializing.", async () => {
    // Progress goes to stderr: stdout carries the lock itself.
    const open = await openBuildout(await load(a, io), {
      sink: io.stderr,
      quiet: a.options.quiet,
    });
    if (open.settings.installFromCache) io.revokeNetwork?.();
    await ensureCacheDirectories(open.settings);
    return open;
  });
  const { settings } = open;
  // Locking re-resolves: an older lock's hashes must not refuse newer files.
  settings.requireHashes = false;
  const release = await acquireRunLock(
    settings.directory,
    parseLockTimeout(
      open.buildout.section("buildout").get("lock-timeout") ?? "",
    ),
    settings.log,
  );
  // A dry resolution: what a fresh machine would install goes into a
  // temporary eggs folder (eggs/ is neither read nor changed); downloads
  // land in the download cache.
  const eggs = await Deno.makeTempDir({ prefix: "buildout-lock-eggs-" });
  settings.eggsDirectory = eggs;
  let text: string;
  let ok = false;
  try {
    text = await doing("Locking.", async () => {
      // Python recipes: their distributions are installed and constructed here.
      await partHooks.prepare?.(open, []);
      for (const name of selectParts(open)) {
        const recipe = open.parts.get(name)?.recipe;
        if (lockable(recipe)) {
          await doing(`Locking ${name}.`, () => recipe.lockResolve());
        }
      }
      const s = session(settings);
      const net = await s.network();
      const entries = await collectLock(s.picked.used(), {
        finders: net.finders(),
        distCache: net.distCache,
        digests: s.digests,
        timeoutSeconds: settings.timeoutSeconds,
      });
      return json ? formatLockJson(entries) : formatLockConfig(entries);
    });
    ok = true;
  } finally {
    await partHooks.finish?.(open, ok);
    release();
    await Deno.remove(eggs, { recursive: true }).catch(() => {});
  }
  if (value === undefined) {
    for (const line of text.replace(/\n$/, "").split("\n")) io.stdout(line);
    return;
  }
  const file = isAbsolute(value) ? value : resolve(io.cwd, value);
  await writeFileAtomic(file, text);
  settings.log.info(`Wrote ${file}.`);
};
