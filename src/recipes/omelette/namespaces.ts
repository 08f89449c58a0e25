/**
 * The namespace packages of an installed distribution, as a tree of name
 * levels (`{ plone: { app: {} } }`), found the way collective.recipe.omelette
 * finds them, plus the kinds it misses:
 *
 * - the lines of `namespace_packages.txt` in its metadata (pkg_resources and
 *   pkgutil style namespaces declared by setuptools);
 * - otherwise, for a dotted project name (`plone.app.foo`), the levels before
 *   the last dot that exist as folders (implicit namespaces);
 * - and in any case, a top-level folder without `__init__.py` (PEP 420) or
 *   whose `__init__.py` declares a namespace (`declare_namespace`,
 *   `extend_path`), and, below it, sub-folders of the same kinds.
 *
 * @module
 */

import { join } from "node:path";
import { normalizeName } from "../../pypa/name.ts";
import { topLevelNames } from "../../scripts/toplevel.ts";

/** Namespace levels: each name maps to the levels below it. */
export type NamespaceTree = Map<string, NamespaceTree>;

/** The part of a distribution this module reads. */
export interface NamespaceDist {
  key: string;
  name: string;
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

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function listDir(path: string): string[] {
  try {
    return [...Deno.readDirSync(path)].map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/**
 * A metadata file of the distribution (`EGG-INFO/`, `.dist-info/` or
 * `.egg-info/`, its own first), or undefined.
 *
 * @example
 * ```ts
 * metadataText(dist, "namespace_packages.txt"); // "ns\n"
 * ```
 */
export function metadataText(
  d: NamespaceDist,
  file: string,
): string | undefined {
  const meta = listDir(d.location).filter((n) => META.test(n));
  const own = meta.filter((n) => normalizeName(n.split("-")[0]) === d.key);
  for (const dir of [...own, ...meta]) {
    const text = readText(join(d.location, dir, file));
    if (text !== undefined) return text;
  }
  return undefined;
}

function add(tree: NamespaceTree, levels: string[]): void {
  let t = tree;
  for (const level of levels) {
    if (!t.has(level)) t.set(level, new Map());
    t = t.get(level)!;
  }
}

/** Whether folder `dir` is a namespace level: no `__init__.py`, or one declaring a namespace. */
function isNamespaceFolder(dir: string): boolean {
  if (!isDir(dir)) return false;
  const init = readText(join(dir, "__init__.py"));
  if (init === undefined) {
    return !listDir(dir).some((n) => /^__init__\..*(pyc|so|pyd)$/.test(n));
  }
  return /declare_namespace|extend_path/.test(init);
}

/** Namespace sub-levels found under `levels` (a namespace folder). */
function detectBelow(
  location: string,
  levels: string[],
  tree: NamespaceTree,
): void {
  for (const name of listDir(join(location, ...levels))) {
    if (!IDENTIFIER.test(name) || name === "__pycache__") continue;
    const below = [...levels, name];
    if (!isNamespaceFolder(join(location, ...below))) continue;
    add(tree, below);
    detectBelow(location, below, tree);
  }
}

/**
 * The namespace tree of a distribution.
 *
 * @example
 * ```ts
 * namespaceTree({ key: "ns-a", name: "ns.a", location: "/b/eggs/ns.a-1.0-py3.11.egg" });
 * // Map { "ns" => Map {} }
 * ```
 */
export function namespaceTree(d: NamespaceDist): NamespaceTree {
  const tree: NamespaceTree = new Map();
  const declared = metadataText(d, "namespace_packages.txt");
  for (const line of (declared ?? "").split(/\r?\n/)) {
    if (line.trim()) add(tree, line.trim().split("."));
  }
  if (!tree.size && d.name.includes(".")) {
    const levels = d.name.split(".").slice(0, -1);
    const present: string[] = [];
    for (const level of levels) {
      if (!isDir(join(d.location, ...present, level))) break;
      present.push(level);
    }
    if (present.length) add(tree, present);
  }
  for (const name of topLevelNames(d).keys()) {
    if (!isNamespaceFolder(join(d.location, name))) continue;
    add(tree, [name]);
    detectBelow(d.location, [name], tree);
  }
  return tree;
}
