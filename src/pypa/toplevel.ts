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
 * Pure: the folder is seen through a {@link FolderView} (the disk, or the list
 * of files a wheel was just unpacked into).
 *
 * @module
 */

import { normalizeName } from "./name.ts";
import { parseRecord } from "./record.ts";

/** What a top-level name is in one `sys.path` entry. */
export type NameKind = "package" | "namespace" | "module";

/** One entry of a folder listing. */
export interface ViewEntry {
  name: string;
  isDirectory: boolean;
  isFile: boolean;
}

/** A distribution's folder, as far as its top-level names are concerned. */
export interface FolderView {
  /** The entries of `sub` (a `/`-separated path below the folder, `""` for itself); none when absent. */
  list(sub: string): ViewEntry[];
  /** The text of file `path` below the folder, or `undefined`. */
  read(path: string): string | undefined;
}

const META = /^(EGG-INFO|.+\.(dist-info|egg-info))$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The distribution's metadata folder: the one named after it, else the first. */
function metadataDir(key: string, entries: string[]): string | undefined {
  const meta = entries.filter((n) => META.test(n)).sort();
  const own = meta.find((n) => normalizeName(n.split("-")[0]) === key);
  return own ?? meta[0];
}

function candidates(paths: string[]): string[] {
  return paths.map((p) => p.split("/")[0]).filter((first) =>
    !META.test(first) && !first.endsWith(".data") && first !== "__pycache__"
  ).map((first) => first.replace(/\..*$/, ""));
}

/** Candidate names from the installed files: the folder listing, or a develop egg's RECORD. */
function namesFromFiles(
  develop: boolean,
  view: FolderView,
  meta: string | undefined,
  entries: string[],
): string[] {
  // An installed egg folder holds only its distribution: its listing is what
  // the RECORD would say, for one directory read instead of parsing a RECORD
  // of thousands of lines on every run.
  if (!develop) return candidates(entries);
  const record = meta?.endsWith(".dist-info")
    ? view.read(`${meta}/RECORD`)
    : undefined;
  if (record === undefined) return [];
  return candidates(
    parseRecord(record).map((e) =>
      e.path.replace(/^[^/]+\.data\/(purelib|platlib)\//, "")
    ),
  );
}

/** A module file for `name`: `name.py`, `name.pyc`, `name[.<tag>].so|pyd`. */
function isModuleFile(file: string, name: string): boolean {
  return file === `${name}.py` || file === `${name}.pyc` ||
    (file.startsWith(`${name}.`) && /\.(so|pyd)$/.test(file));
}

/** What `name` is in the folder, if anything (a package beats a module there). */
function kindOf(
  view: FolderView,
  name: string,
  entries: ViewEntry[],
): NameKind | undefined {
  const folder = entries.some((e) => e.isDirectory && e.name === name);
  if (
    folder &&
    view.list(name).some((e) => e.isFile && isModuleFile(e.name, "__init__"))
  ) return "package";
  if (entries.some((e) => e.isFile && isModuleFile(e.name, name))) {
    return "module";
  }
  return folder ? "namespace" : undefined;
}

/**
 * The top-level names of distribution `key` seen through `view`, and what
 * each one is. Names listed but not found in the folder are left out.
 *
 * @example
 * ```ts
 * topLevelNamesIn("pytest", false, view);
 * // Map { "_pytest" => "package", "py" => "module", "pytest" => "package" }
 * ```
 */
export function topLevelNamesIn(
  key: string,
  develop: boolean,
  view: FolderView,
): Map<string, NameKind> {
  const entries = view.list("");
  const names = entries.map((e) => e.name);
  const meta = metadataDir(key, names);
  // Listing the metadata folder first: reading a file that is not there costs
  // several times a listing (many wheels have no top_level.txt).
  const listed = meta === undefined ||
      !view.list(meta).some((e) => e.name === "top_level.txt")
    ? undefined
    : view.read(`${meta}/top_level.txt`);
  const found = listed === undefined
    ? namesFromFiles(develop, view, meta, names)
    : listed.split(/\r?\n/).map((l) => l.trim());
  const out = new Map<string, NameKind>();
  for (const name of [...new Set(found)].sort()) {
    if (!IDENTIFIER.test(name)) continue;
    const kind = kindOf(view, name, entries);
    if (kind) out.set(name, kind);
  }
  return out;
}

/**
 * A {@link FolderView} of a list of files (`/`-separated paths; their folders
 * are implied) and the texts known of some of them.
 *
 * @example
 * ```ts
 * const view = filesView(["demo/__init__.py", "demo-1.0.dist-info/METADATA"], new Map());
 * view.list("demo"); // [{ name: "__init__.py", isDirectory: false, isFile: true }]
 * ```
 */
export function filesView(
  files: Iterable<string>,
  texts: ReadonlyMap<string, string>,
): FolderView {
  const children = new Map<string, Map<string, boolean>>();
  const add = (dir: string, name: string, isDir: boolean) => {
    let c = children.get(dir);
    if (!c) children.set(dir, c = new Map());
    if (!c.get(name)) c.set(name, isDir);
  };
  for (const file of files) {
    const parts = file.split("/");
    for (let i = 0; i < parts.length; i++) {
      add(parts.slice(0, i).join("/"), parts[i], i < parts.length - 1);
    }
  }
  return {
    list: (sub) =>
      [...children.get(sub) ?? []].map(([name, isDirectory]) => ({
        name,
        isDirectory,
        isFile: !isDirectory,
      })),
    read: (path) => texts.get(path),
  };
}
