/**
 * Obtaining one distribution: use an installed one when buildout would, else
 * choose the best candidate, bring it into the download cache and install it.
 *
 * @module
 */

import { join } from "node:path";
import { addContext, doing, UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { formatRequirement, type Requirement } from "../dist/requirement.ts";
import {
  compareVersions,
  isPrerelease,
  matchesSpecifier,
} from "../dist/version.ts";
import type { Interpreter } from "../python/interpreter.ts";
import type { DistCache } from "../fetch/cache.ts";
import { downloadTo } from "../fetch/http.ts";
import type { Candidate, Finder } from "../find/finder.ts";
import { InvalidArchiveError } from "../extract/archive.ts";
import { chooseBest, isExactPin, KEEP_INSTALLED } from "../find/choose.ts";
import type { InstalledDist } from "../install/metadata.ts";
import type { Obtain } from "./resolver.ts";

/** What {@link makeObtain} needs. */
export interface ObtainOptions {
  interpreter: Interpreter;
  /** Installed distributions by normalised name (the eggs directory, scanned once). */
  installed: Map<string, InstalledDist[]>;
  /** Absent in offline mode. */
  finder?: Finder;
  distCache?: DistCache;
  preferFinal: boolean;
  newest: boolean;
  offline: boolean;
  installFromCache: boolean;
  timeoutSeconds?: number;
  /** Installs a local artefact into the eggs directory. */
  install: (file: string) => Promise<InstalledDist>;
  log: Logger;
}

/** The best installed distribution satisfying `req` (finals first under prefer-final). */
export function bestInstalled(
  req: Requirement,
  dists: InstalledDist[],
  preferFinal: boolean,
): InstalledDist | undefined {
  const ok = dists.filter((d) => matchesSpecifier(d.version, req.specifier));
  const finals = ok.filter((d) => !isPrerelease(d.version));
  const pool = preferFinal && finals.length ? finals : ok;
  return pool.sort((a, b) => compareVersions(b.version, a.version))[0];
}

/**
 * Build the {@link Obtain} function for one resolution.
 *
 * @example
 * ```ts
 * const obtain = makeObtain({ interpreter, installed, finder, distCache, ...flags, install, log });
 * const dist = await obtain(parseRequirement("demo==0.2")); // "Getting distribution for 'demo==0.2'." ...
 * ```
 */
export function makeObtain(o: ObtainOptions): Obtain {
  return async (req) => {
    const display = formatRequirement(req);
    const have = bestInstalled(
      req,
      o.installed.get(req.key) ?? [],
      o.preferFinal,
    );
    if (have && (o.offline || !o.newest || isExactPin(req.specifier))) {
      o.log.debug(`We have the distribution that satisfies '${display}'.`);
      return have;
    }
    if (!o.finder) {
      if (have) return have;
      throw new UserError(
        `We don't have a distribution for ${display}\nand can't install one in offline (no-install) mode.`,
      );
    }
    const finder = o.finder;
    const label = `Getting distribution for '${display}'.`;
    let announced = false;
    let cands = await finder.candidates(req.key);
    for (;;) {
      const choice = chooseBest(req, cands, {
        preferFinal: o.preferFinal,
        installed: have?.version,
        interpreter: o.interpreter,
      });
      if (choice === KEEP_INSTALLED) {
        o.log.debug(
          `We have the best distribution that satisfies '${display}'.`,
        );
        return have!;
      }
      if (!announced) o.log.info(label);
      announced = true;
      if (!choice) {
        if (have) return have;
        const err = new UserError(
          `Couldn't find a distribution for '${display}'.`,
        );
        addContext(err, label);
        throw err;
      }
      try {
        const dist = await doing(label, () => fetchAndInstall(choice, o));
        o.log.info(`Got ${dist.name} ${dist.version}.`);
        const list = o.installed.get(req.key) ?? [];
        o.installed.set(req.key, [...list, dist]);
        return dist;
      } catch (err) {
        if (
          choice.origin !== "cache" || !(err instanceof InvalidArchiveError)
        ) {
          throw err;
        }
        await dropUnreadable(choice.url, o);
        cands = cands.filter((c) => c !== choice);
      }
    }
  };
}

/**
 * A cached file that turns out unreadable (e.g. truncated by a disk full) is
 * reported and removed so that it is fetched again; install-from-cache cannot
 * fetch, so there it is an error naming the file.
 */
async function dropUnreadable(path: string, o: ObtainOptions): Promise<void> {
  if (o.installFromCache) {
    throw new UserError(
      `The cached file ${path} is unreadable (truncated or corrupt) and install-from-cache forbids fetching it again.`,
    );
  }
  o.log.warn(
    `The cached file ${path} is unreadable (truncated or corrupt); fetching it again.`,
  );
  await Deno.remove(path).catch(() => {});
}

async function fetchAndInstall(
  c: Candidate,
  o: ObtainOptions,
): Promise<InstalledDist> {
  const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(c.url);
  if (c.origin === "cache" || (local && !o.distCache)) {
    return await o.install(
      local ? c.url : o.distCache!.pathOf(c.file.filename),
    );
  }
  if (o.distCache) {
    const path = local
      ? await o.distCache.addLocal(c.url)
      : await o.distCache.fetchInto(c.url, c.file.filename, c.hashes, {
        timeoutSeconds: o.timeoutSeconds,
      });
    return await o.install(path);
  }
  const tmp = await Deno.makeTempDir({ prefix: "buildout-" });
  try {
    const path = join(tmp, c.file.filename);
    await downloadTo(c.url, path, {
      hashes: c.hashes,
      timeoutSeconds: o.timeoutSeconds,
      rejectHtml: true,
    });
    return await o.install(path);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
