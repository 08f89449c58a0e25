/**
 * Distribution file names: eggs, wheels (PEP 427) and sdists. Names that do
 * not parse, or whose version is not valid PEP 440, give `undefined`: callers
 * skip them silently.
 *
 * @module
 */

import { normalizeName } from "./name.ts";
import { compareVersions, isValidVersion } from "./version.ts";

/** What kind of artefact a file is. */
export type DistKind = "wheel" | "egg" | "sdist";

/** A parsed distribution file name. */
export interface DistFile {
  /** The basename, as given. */
  filename: string;
  /** The project name as spelled in the file name. */
  name: string;
  /** The PEP 503 normalised name. */
  key: string;
  /** The version as spelled in the file name (`_` read as `-`). */
  version: string;
  kind: DistKind;
  /** Eggs: `3.11` from `-py3.11`. */
  pyVersion?: string;
  /** Eggs: `linux-x86_64`. */
  platform?: string;
  /** Wheels: every supported `python-abi-platform` triple, lowercase. */
  tags?: string[];
  /** Wheels: the optional build tag. */
  build?: string;
}

/** sdist extensions, longest first so `.tar.gz` wins over `.gz`. */
export const SDIST_EXTENSIONS = [
  ".tar.bz2",
  ".tar.gz",
  ".tar.xz",
  ".tgz",
  ".tar",
  ".zip",
];

function make(
  filename: string,
  name: string,
  version: string,
  kind: DistKind,
  extra: Partial<DistFile> = {},
): DistFile | undefined {
  if (!name || !isValidVersion(version)) return undefined;
  return { filename, name, key: normalizeName(name), version, kind, ...extra };
}

function parseEgg(filename: string, stem: string): DistFile | undefined {
  const m = /^([^-]+)-([^-]+)(?:-py([^-]+)(?:-(.+))?)?$/.exec(stem);
  if (!m) return undefined;
  const extra: Partial<DistFile> = {};
  if (m[3]) extra.pyVersion = m[3];
  if (m[4]) extra.platform = m[4];
  return make(filename, m[1], m[2].replace(/_/g, "-"), "egg", extra);
}

/**
 * Every tag triple of a (possibly compressed) wheel tag set:
 * `py2.py3-none-any` gives `py2-none-any` and `py3-none-any`.
 *
 * @example
 * ```ts
 * expandTags("py2.py3", "none", "any"); // ["py2-none-any", "py3-none-any"]
 * ```
 */
export function expandTags(py: string, abi: string, plat: string): string[] {
  const out: string[] = [];
  for (const p of py.toLowerCase().split(".")) {
    for (const a of abi.toLowerCase().split(".")) {
      for (const pl of plat.toLowerCase().split(".")) {
        out.push(`${p}-${a}-${pl}`);
      }
    }
  }
  return out;
}

function parseWheel(filename: string, stem: string): DistFile | undefined {
  const parts = stem.split("-");
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  if (parts.some((p) => p === "")) return undefined;
  const [name, version] = parts;
  const build = parts.length === 6 ? parts[2] : undefined;
  if (build !== undefined && !/^\d/.test(build)) return undefined;
  const [py, abi, plat] = parts.slice(-3);
  const extra: Partial<DistFile> = { tags: expandTags(py, abi, plat) };
  if (build) extra.build = build;
  return make(filename, name, version.replace(/_/g, "-"), "wheel", extra);
}

function parseSdist(filename: string, stem: string): DistFile | undefined {
  const parts = stem.split("-");
  // A later `pyX.Y` part means a bdist_dumb archive, not an sdist.
  if (parts.slice(2).some((p) => /^py\d+\.\d+$/.test(p))) return undefined;
  // The version starts at the first part beginning with a digit; should that
  // not give a valid version (`foo-2-bar-1.0`), a later such part may.
  for (let at = 1; at < parts.length; at++) {
    if (!/^\d/.test(parts[at])) continue;
    const name = parts.slice(0, at).join("-");
    const file = make(filename, name, parts.slice(at).join("-"), "sdist");
    if (file) return file;
  }
  return undefined;
}

/**
 * Parse a distribution file name (a basename; anything up to the last `/` is
 * dropped). Returns undefined for anything that is not a recognisable egg
 * (`name-version[-pyX.Y[-platform]].egg`, also `.egg.zip`), wheel
 * (`name-ver[-build]-py-abi-plat.whl`) or sdist (`.tar.gz .tgz .tar.bz2
 * .tar.xz .tar .zip`) with a valid PEP 440 version. Never throws.
 *
 * @example
 * ```ts
 * parseDistFilename("demo-0.4c1-py2.4.egg");
 * // { filename, name: "demo", key: "demo", version: "0.4c1", kind: "egg", pyVersion: "2.4" }
 * parseDistFilename("demoneeded-1.2c1.zip")?.version; // "1.2c1"
 * parseDistFilename("index.html"); // undefined
 * ```
 */
export function parseDistFilename(filename: string): DistFile | undefined {
  const base = filename.slice(filename.lastIndexOf("/") + 1);
  const lower = base.toLowerCase();
  const strip = (ext: string) => base.slice(0, base.length - ext.length);
  if (lower.endsWith(".whl")) return parseWheel(base, strip(".whl"));
  if (lower.endsWith(".egg.zip")) return parseEgg(base, strip(".egg.zip"));
  if (lower.endsWith(".egg")) return parseEgg(base, strip(".egg"));
  const ext = SDIST_EXTENSIONS.find((e) => lower.endsWith(e));
  return ext ? parseSdist(base, strip(ext)) : undefined;
}

/**
 * Precedence of a kind at equal versions: wheel (3) > egg (2) > sdist (1).
 *
 * @example
 * ```ts
 * kindRank("wheel") > kindRank("sdist"); // true
 * ```
 */
export function kindRank(kind: DistKind): number {
  return kind === "wheel" ? 3 : kind === "egg" ? 2 : 1;
}

/**
 * Order distribution files by version, then by kind precedence; the best sorts
 * last.
 *
 * @example
 * ```ts
 * files.sort(compareDistFiles).at(-1); // highest version, wheel before egg before sdist
 * ```
 */
export function compareDistFiles(a: DistFile, b: DistFile): number {
  return compareVersions(a.version, b.version) ||
    kindRank(a.kind) - kindRank(b.kind);
}
