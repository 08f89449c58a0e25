/**
 * What `buildout lock` writes: for every distribution the run's resolutions
 * used, the sha256 of each file the finders offer for that exact version
 * (already filtered for the target interpreter and platform).
 *
 * @module
 */
import { join } from "node:path";
import { UserError } from "../errors.ts";
import type { DistCache } from "../fetch/cache.ts";
import type { DigestMemo } from "../fetch/digest.ts";
import { downloadTo } from "../fetch/http.ts";
import type { Candidate, Finder } from "../find/finder.ts";
import { normalizeName } from "../pypa/name.ts";
import { compareVersions } from "../pypa/version.ts";

/** One pin of the lock file. */
export interface LockEntry {
  /** The project name as its metadata spells it. */
  name: string;
  version: string;
  /** `sha256:<hex>` of every file that may be installed for the pin, sorted. */
  hashes: string[];
}

/** What {@link collectLock} needs. */
export interface CollectOptions {
  /** The finders of the run (none offline: the download cache is used). */
  finders: Finder[];
  distCache?: DistCache;
  digests: DigestMemo;
  timeoutSeconds?: number;
}

const isRemote = (url: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(url);

/** Of two sightings of one file: a link hash first, then a local copy. */
function better(a: Candidate, b: Candidate): Candidate {
  const score = (c: Candidate) =>
    (c.hashes.sha256 ? 2 : 0) + (isRemote(c.url) ? 0 : 1);
  return score(b) > score(a) ? b : a;
}

/**
 * The lock entries of `used` (`[name, version]` pairs), in the given order.
 * A file without a `#sha256=` (or PEP 691) hash is fetched into the download
 * cache (or a temporary folder) and hashed; a pin no source offers a file for
 * is an error.
 *
 * @example
 * ```ts
 * await collectLock([["demo", "0.3"]], { finders, distCache, digests });
 * // [{ name: "demo", version: "0.3", hashes: ["sha256:..."] }]
 * ```
 */
export async function collectLock(
  used: [string, string][],
  o: CollectOptions,
): Promise<LockEntry[]> {
  const out: LockEntry[] = [];
  for (const [name, version] of used) {
    const files = new Map<string, Candidate>();
    for (const c of await candidatesOf(name, o)) {
      if (compareVersions(c.file.version, version) !== 0) continue;
      const seen = files.get(c.file.filename);
      files.set(c.file.filename, seen ? better(seen, c) : c);
    }
    if (!files.size) {
      throw new UserError(
        `No distribution file of ${name} ${version} is offered by the find-links, the index or the download cache: cannot lock its hashes.`,
      );
    }
    const hashes = new Set<string>();
    for (const c of files.values()) hashes.add(`sha256:${await digest(c, o)}`);
    out.push({ name, version, hashes: [...hashes].sort() });
  }
  return out;
}

async function candidatesOf(
  name: string,
  o: CollectOptions,
): Promise<Candidate[]> {
  if (o.finders.length) {
    const all: Candidate[] = [];
    for (const f of o.finders) all.push(...await f.candidates(name));
    return all;
  }
  if (!o.distCache) return [];
  return (await o.distCache.byKey(normalizeName(name))).map((file) => ({
    file,
    url: o.distCache!.pathOf(file.filename),
    hashes: {},
    origin: "cache",
  }));
}

async function digest(c: Candidate, o: CollectOptions): Promise<string> {
  const given = c.hashes.sha256?.toLowerCase();
  if (given) return given;
  if (!isRemote(c.url)) return await o.digests.sha256(c.url);
  if (o.distCache) {
    const path = await o.distCache.fetchInto(c.url, c.file.filename, c.hashes, {
      timeoutSeconds: o.timeoutSeconds,
    });
    return await o.digests.sha256(path);
  }
  const tmp = await Deno.makeTempDir({ prefix: "buildout-lock-" });
  try {
    const path = join(tmp, c.file.filename);
    await downloadTo(c.url, path, {
      hashes: c.hashes,
      timeoutSeconds: o.timeoutSeconds,
      rejectHtml: true,
    });
    return await o.digests.sha256(path);
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}
