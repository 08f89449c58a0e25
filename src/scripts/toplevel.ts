/**
 * The top-level import names a distribution puts on `sys.path`, and what each
 * one is there: a package (a folder with `__init__`), a namespace portion (a
 * folder without one) or a module (a `.py` file or an extension module).
 *
 * The names come from `top_level.txt` in the distribution's metadata when it
 * has one, else from its installed files: the wheel's `RECORD`, or the egg
 * folder's listing (a develop egg's source folder is not listed: it holds
 * `setup.py` and more that are not part of the distribution). What each name
 * is comes from the files found under the distribution's `sys.path` entry.
 *
 * @module
 */

import { join } from "../path.ts";
import { normalizeName } from "../pypa/name.ts";
import { parseRecord } from "../pypa/record.ts";

/** What a top-level name is in one `sys.path` entry. */
export type NameKind = "package" | "namespace" | "module";

/** The part of a distribution this module reads. */
export interface DistFiles {
  key: string;
  location: string;
  develop?: boolean;
}

const META = /^(EGG-INFO|.+\.(dist-info|egg-info))$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readText(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

function listDir(path: string): Deno.DirEntry[] {
  try {
    return [...Deno.readDirSync(path)];
  } catch {
    return [];
  }
}

/** The distribution's metadata folder: the one named after it, else the first. */
function metadataDir(d: DistFiles, entries: string[]): string | undefined {
  const meta = entries.filter((n) => META.test(n)).sort();
  const own = meta.find((n) => normalizeName(n.split("-")[0]) === d.key);
  return own ?? meta[0];
}

/** Candidate names from the installed files: the folder listing, or a develop egg's RECORD. */
function namesFromFiles(
  d: DistFiles,
  meta: string | undefined,
  entries: string[],
): string[] {
  // An installed egg folder holds only its distribution: its listing is what
  // the RECORD would say, for one directory read instead of parsing a RECORD
  // of thousands of lines on every run.
  if (!d.develop) return candidates(entries);
  const record = meta?.endsWith(".dist-info")
    ? readText(join(d.location, meta, "RECORD"))
    : undefined;
  if (record === undefined) return [];
  return candidates(
    parseRecord(record).map((e) =>
      e.path.replace(/^[^/]+\.data\/(purelib|platlib)\//, "")
    ),
  );
}

function candidates(paths: string[]): string[] {
  return paths.map((p) => p.split("/")[0]).filter((first) =>
    !META.test(first) && !first.endsWith(".data") && first !== "__pycache__"
  ).map((first) => first.replace(/\..*$/, ""));
}

/** A module file for `name`: `name.py`, `name.pyc`, `name[.<tag>].so|pyd`. */
function isModuleFile(file: string, name: string): boolean {
  return file === `${name}.py` || file === `${name}.pyc` ||
    (file.startsWith(`${name}.`) && /\.(so|pyd)$/.test(file));
}

/** What `name` is in `location`, if anything (a package beats a module there). */
function kindOf(
  location: string,
  name: string,
  entries: Deno.DirEntry[],
): NameKind | undefined {
  const folder = entries.some((e) => e.isDirectory && e.name === name);
  if (
    folder &&
    listDir(join(location, name)).some((e) =>
      e.isFile && isModuleFile(e.name, "__init__")
    )
  ) return "package";
  if (entries.some((e) => e.isFile && isModuleFile(e.name, name))) {
    return "module";
  }
  return folder ? "namespace" : undefined;
}

/**
 * The top-level names of an installed distribution and what each one is.
 * Names listed but not found under its `sys.path` entry are left out.
 *
 * @example
 * ```ts
 * topLevelNames({ key: "pytest", location: "/b/eggs/pytest-7.0.0-py3.11.egg" });
 * // Map { "_pytest" => "package", "py" => "module", "pytest" => "package" }
 * ```
 */
export function topLevelNames(d: DistFiles): Map<string, NameKind> {
  const entries = listDir(d.location);
  const names = entries.map((e) => e.name);
  const meta = metadataDir(d, names);
  // Listing the metadata folder first: reading a file that is not there costs
  // several times a listing (many wheels have no top_level.txt).
  const listed = meta === undefined ||
      !listDir(join(d.location, meta)).some((e) => e.name === "top_level.txt")
    ? undefined
    : readText(join(d.location, meta, "top_level.txt"));
  const candidates = listed === undefined
    ? namesFromFiles(d, meta, names)
    : listed.split(/\r?\n/).map((l) => l.trim());
  const out = new Map<string, NameKind>();
  for (const name of [...new Set(candidates)].sort()) {
    if (!IDENTIFIER.test(name)) continue;
    const kind = kindOf(d.location, name, entries);
    if (kind) out.set(name, kind);
  }
  return out;
}
