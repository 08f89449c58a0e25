/**
 * Obtaining one distribution: use an installed one when buildout would, else
 * choose the best candidate, bring it into the download cache and install it.
 *
 * @module
 */

import { join } from "../path.ts";
import { addContext, doing, UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { formatRequirement, type Requirement } from "../pypa/requirement.ts";
import {
  compareVersions,
  isPrerelease,
  matchesSpecifier,
} from "../pypa/version.ts";
import type { Interpreter } from "../python/interpreter.ts";
import type { DistCache } from "../fetch/cache.ts";
import type { SharedTier } from "../fetch/shared_tier.ts";
import { limiter } from "../fetch/pool.ts";
import type { Candidate, Finder } from "../find/finder.ts";
import { chooseBest, isExactPin, KEEP_INSTALLED } from "../find/choose.ts";
import type { InstalledDist } from "../install/metadata.ts";
import type { Obtain } from "./resolver.ts";

/** Finders and caches of one resolution (see `network.ts`). */
export interface ObtainNetwork {
  /** Absent in offline mode. */
  finder?: Finder;
  /** The finder for other find-links (use-dependency-links). */
  linksFinder?: (links: string[]) => Finder | undefined;
  distCache?: DistCache;
  /** The shared download cache, for downloads without a download cache. */
  shared?: SharedTier;
}

/** What {@link makeObtain} needs. */
export interface ObtainOptions {
  interpreter: Interpreter;
  /** Installed distributions by normalised name (the eggs directory, scanned once). */
  installed: Map<string, InstalledDist[]>;
  /** Develop eggs by normalised name: used whenever they satisfy the requirement. */
  develop?: Map<string, InstalledDist>;
  /**
   * Where to look beyond the eggs directory, loaded on first need (a
   * requirement nothing installed satisfies); absent: nowhere.
   */
  network?: () => Promise<ObtainNetwork>;
  /**
   * use-dependency-links: the URLs in `dependency_links.txt` of every
   * distribution obtained are added to these find-links, and later lookups
   * use the network's `linksFinder(all links)`.
   */
  dependencyLinks?: string[];
  preferFinal: boolean;
  newest: boolean;
  offline: boolean;
  installFromCache: boolean;
  timeoutSeconds?: number;
  /** Only candidates it accepts are considered (default: all). */
  accept?: (c: Candidate) => boolean;
  /** What is looked for, in the not-found error (default `distribution`). */
  what?: string;
  /**
   * Starts building a cached sdist in the background (the built cache), so
   * that independent sdists build in parallel; the install reuses the result.
   */
  prebuild?: (file: string) => void;
  /**
   * Starts unpacking a wheel in the background (on every core), so that the
   * install only renames it into place.
   */
  preinstall?: (file: string) => void;
  /** Installs a local artefact into the eggs directory. */
  install: (file: string) => Promise<InstalledDist>;
  log: Logger;
}

/**
 * The best installed distribution satisfying `req` (finals first under prefer-final).
 *
 * @example
 * ```ts
 * bestInstalled(parseRequirement("demo"), installed.get("demo") ?? [], true)?.version; // "0.3"
 * ```
 */
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

/** Obtains distributions; `prefetch` starts a download early, in the background. */
export interface Obtainer {
  obtain: Obtain;
  /**
   * Start fetching what `obtain(req)` would download, so that independent
   * files download in parallel (at most {@link PARALLEL_DOWNLOADS} at once)
   * while messages and installs stay in resolution order.
   */
  prefetch(req: Requirement): void;
  /** What the resolver may read ahead (see `ResolveOptions.lookAhead`). */
  lookAhead: {
    /** The distribution `obtain(req)` would keep if nothing newer is found. */
    installed: (req: Requirement) => InstalledDist | undefined;
    /** Start reading the pages `obtain(req)` would read (none when it reads none). */
    page: (req: Requirement) => void;
  };
}

/** How many files download at once. */
export const PARALLEL_DOWNLOADS = 4;

const all = () => true;

const isRemote = (url: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(url);

/**
 * Build the obtain function for one resolution.
 *
 * @example
 * ```ts
 * const { obtain, prefetch } = makeObtain({ interpreter, installed, network, ...flags, install, log });
 * const dist = await obtain(parseRequirement("demo==0.2")); // "Getting distribution for 'demo==0.2'." ...
 * ```
 */
export function makeObtain(o: ObtainOptions): Obtainer {
  let loaded: Promise<ObtainNetwork> | undefined;
  const network = (): Promise<ObtainNetwork> =>
    loaded ??= o.network?.() ?? Promise.resolve({});
  const run = limiter(PARALLEL_DOWNLOADS);
  const downloads = new Map<string, Promise<string>>();
  /** The cache path of a remote candidate, downloaded once (shared by prefetch and obtain). */
  const download = (c: Candidate): Promise<string> => {
    let p = downloads.get(c.url);
    if (!p) {
      p = run(async () =>
        (await network()).distCache!.fetchInto(
          c.url,
          c.file.filename,
          c.hashes,
          { timeoutSeconds: o.timeoutSeconds },
        )
      );
      // A failed prefetch is reported when obtain() reaches it, not as an unhandled rejection.
      p.catch(() => {});
      downloads.set(c.url, p);
    }
    return p;
  };
  /** A local candidate copied into the download cache once. */
  const local = (c: Candidate): Promise<string> => {
    let p = downloads.get(c.url);
    if (!p) {
      p = network().then((n) => n.distCache!.addLocal(c.url));
      p.catch(() => {});
      downloads.set(c.url, p);
    }
    return p;
  };
  const installedFor = (req: Requirement) =>
    bestInstalled(req, o.installed.get(req.key) ?? [], o.preferFinal);
  const satisfiedLocally = (req: Requirement, have?: InstalledDist) =>
    have && (o.offline || !o.newest || isExactPin(req.specifier));

  const developed = (req: Requirement) => {
    const d = o.develop?.get(req.key);
    return d && matchesSpecifier(d.version, req.specifier) ? d : undefined;
  };

  const links = [...(o.dependencyLinks ?? [])];
  let moreLinks = false;
  /** The finder of this lookup: with the dependency links found so far. */
  const finder = async (): Promise<Finder | undefined> => {
    const n = await network();
    return moreLinks ? n.linksFinder?.(links) : n.finder;
  };
  /** Add a distribution's dependency links as find-links, as buildout does. */
  const noteLinks = (dist: InstalledDist) => {
    if (!o.dependencyLinks || !dist.dependencyLinks) return;
    let added = false;
    for (const link of dist.dependencyLinks()) {
      if (links.includes(link)) continue;
      o.log.debug(
        `Adding find link '${link}' from ${dist.name} ${dist.version}`,
      );
      links.push(link);
      added = true;
    }
    if (added) moreLinks = true;
  };

  const obtain: Obtain = async (req) => {
    const dist = await obtainOne(req);
    noteLinks(dist);
    return dist;
  };

  const obtainOne: Obtain = async (req) => {
    const display = formatRequirement(req);
    const dev = developed(req);
    if (dev) {
      o.log.debug(`We have a develop egg: ${dev.name} ${dev.version}`);
      return dev;
    }
    const have = installedFor(req);
    if (satisfiedLocally(req, have)) {
      o.log.debug(`We have the distribution that satisfies '${display}'.`);
      return have!;
    }
    const f = await finder();
    if (!f) {
      if (have) return have;
      throw new UserError(
        `We don't have a distribution for ${display}\nand can't install one in offline (no-install) mode.`,
      );
    }
    const label = `Getting distribution for '${display}'.`;
    let announced = false;
    let cands = (await f.candidates(req.key)).filter(o.accept ?? all);
    f.report(req.name);
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
      if (!choice && have) return have;
      if (!announced) o.log.info(label);
      announced = true;
      if (!choice) {
        const err = new UserError(
          `Couldn't find a ${o.what ?? "distribution"} for '${display}'.`,
        );
        addContext(err, label);
        throw err;
      }
      try {
        const dist = await doing(label, () => fetchAndInstall(choice));
        o.log.info(`Got ${dist.name} ${dist.version}.`);
        const list = o.installed.get(req.key) ?? [];
        o.installed.set(req.key, [...list, dist]);
        return dist;
      } catch (err) {
        if (choice.origin !== "cache") throw err;
        // Loaded here: the archive code is not needed by runs that install nothing.
        const { InvalidArchiveError } = await import("../extract/archive.ts");
        if (!(err instanceof InvalidArchiveError)) throw err;
        await dropUnreadable(choice.url, o);
        cands = cands.filter((c) => c !== choice);
      }
    }
  };

  const fetchAndInstall = async (c: Candidate): Promise<InstalledDist> => {
    const n = await network();
    if (!isRemote(c.url)) {
      return await o.install(
        c.origin !== "cache" && n.distCache ? await local(c) : c.url,
      );
    }
    if (n.distCache) return await o.install(await download(c));
    const tmp = await Deno.makeTempDir({ prefix: "buildout-" });
    try {
      const path = join(tmp, c.file.filename);
      // Loaded here: runs with a download cache (most) never need it.
      const { downloadTo } = await import("../fetch/http.ts");
      const upstream = () =>
        downloadTo(c.url, path, {
          allowUrl: n.finder ? (u) => n.finder!.allows(u) : undefined,
          hashes: c.hashes,
          timeoutSeconds: o.timeoutSeconds,
          rejectHtml: true,
          log: o.log,
        });
      if (n.shared) await n.shared.fetch(path, c.hashes, upstream);
      else await upstream();
      return await o.install(path);
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  };

  const prefetch = (req: Requirement): void => {
    if (developed(req) || satisfiedLocally(req, installedFor(req))) return;
    network().then(async (n) => {
      const f = await finder();
      if (!f || !n.distCache) return;
      const cands = await f.candidates(req.key);
      const choice = chooseBest(req, cands.filter(o.accept ?? all), {
        preferFinal: o.preferFinal,
        installed: installedFor(req)?.version,
        interpreter: o.interpreter,
      });
      if (!choice || choice === KEEP_INSTALLED) return;
      const early = choice.file.kind === "sdist"
        ? o.prebuild
        : choice.file.kind === "wheel"
        ? o.preinstall
        : undefined;
      if (isRemote(choice.url)) {
        const p = download(choice);
        if (early) p.then((file) => early(file), () => {});
      } else if (early) {
        const file = choice.origin === "cache"
          ? Promise.resolve(choice.url)
          : local(choice);
        file.then((f) => early(f), () => {});
      }
    }).catch(() => {});
  };

  const lookAhead = {
    installed: (req: Requirement) => developed(req) ?? installedFor(req),
    page(req: Requirement) {
      if (developed(req) || satisfiedLocally(req, installedFor(req))) return;
      finder().then((f) => f?.candidates(req.key)).catch(() => {});
    },
  };

  return { obtain, prefetch, lookAhead };
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
