/**
 * Building the omelette's symlink farm: the top-level packages and modules of
 * each distribution linked into one folder, namespace packages merged into
 * real folders (one per level) holding links to their leaf packages, then the
 * folders of the `packages` option linked in. Where two things want the same
 * name the first one wins and the others are reported, as
 * collective.recipe.omelette does.
 *
 * @module
 */

import { join } from "node:path";
import { pyListRepr } from "../../pyrepr.ts";
import { topLevelNames } from "../../scripts/toplevel.ts";
import { type NamespaceDist, namespaceTree } from "./namespaces.ts";

/** Where messages go (`info` and `warn` lines, already prefixed by the caller). */
export interface FarmLog {
  info(line: string): void;
  warn(line: string): void;
}

function lstat(path: string): Deno.FileInfo | undefined {
  try {
    return Deno.lstatSync(path);
  } catch {
    return undefined;
  }
}

const isLink = (path: string) => lstat(path)?.isSymlink ?? false;

function isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

const exists = (path: string) => lstat(path) !== undefined;

function listDir(path: string): string[] {
  return [...Deno.readDirSync(path)].map((e) => e.name)
    .filter((n) => !n.startsWith(".")).sort();
}

/**
 * Create the folders from `root` down to `target`; false (nothing more made)
 * when one of them is a link.
 */
function makeDirs(root: string, target: string): boolean {
  let current = root;
  for (const part of target.slice(root.length).split("/").filter(Boolean)) {
    current = join(current, part);
    if (isLink(current)) return false;
    if (!exists(current)) Deno.mkdirSync(current);
  }
  return !isLink(current);
}

/** The file or folder that top-level `name` is in `location`, if any. */
function findTopLevel(location: string, name: string): string | undefined {
  for (const candidate of [name, `${name}.py`, `${name}.so`, `${name}.dll`]) {
    if (exists(join(location, candidate))) return candidate;
  }
  return listDir(location).find((f) =>
    f.startsWith(`${name}.`) && /\.(so|pyd)$/.test(f)
  );
}

/**
 * Link one distribution's namespaces and top-level names into `root`.
 *
 * @example
 * ```ts
 * linkDistribution("/b/parts/omelette", dist, log);
 * // /b/parts/omelette/ns/a -> /b/eggs/ns.a-1.0-py3.11.egg/ns/a
 * ```
 */
export function linkDistribution(
  root: string,
  dist: NamespaceDist,
  log: FarmLog,
): void {
  const tree = namespaceTree(dist);
  const where = `(While processing egg ${dist.name})`;
  const linkNamespaces = (levels: Map<string, unknown>, base: string[]) => {
    for (const [name, below] of levels) {
      const parts = [...base, name];
      const linkDir = join(root, ...parts);
      if (!exists(linkDir) && !makeDirs(root, linkDir)) {
        log.warn(
          `Warning: ${where} Could not create namespace directory (${linkDir}).  Skipping.`,
        );
        continue;
      }
      // Another distribution linked this level as a whole: nothing to merge.
      if (isLink(linkDir)) continue;
      linkNamespaces(below as Map<string, unknown>, parts);
      const eggDir = join(dist.location, ...parts);
      if (!isDir(eggDir)) {
        log.info(`${where} Package '${parts.join("/")}' is zipped.  Skipping.`);
        continue;
      }
      for (const entry of listDir(eggDir)) {
        const dst = join(linkDir, entry);
        if (!exists(dst)) Deno.symlinkSync(join(eggDir, entry), dst);
      }
    }
  };
  linkNamespaces(tree, []);
  for (const name of topLevelNames(dist).keys()) {
    if (tree.has(name)) continue;
    const found = findTopLevel(dist.location, name);
    if (found === undefined) {
      log.warn(
        `Warning: ${where} Package '${name}' not found.  Skipping.`,
      );
      continue;
    }
    const src = join(dist.location, found);
    const dst = join(root, found);
    if (exists(dst)) {
      log.info(`${where} Link already exists (${src} -> ${dst}).  Skipping.`);
      continue;
    }
    Deno.symlinkSync(src, dst);
  }
}

/**
 * Link the sub-folders of `packageDir` into `targetDir` (made when missing);
 * where a real folder already stands, go one level down and merge.
 *
 * @example
 * ```ts
 * linkPackages("/b/parts/omelette", "/b/products", "/b/parts/omelette/Products", log);
 * ```
 */
export function linkPackages(
  root: string,
  packageDir: string,
  targetDir: string,
  log: FarmLog,
): void {
  if (!isDir(packageDir)) {
    log.warn(`Warning: Product directory ${packageDir} not found.  Skipping.`);
    return;
  }
  if (isLink(targetDir) || (!exists(targetDir) && !makeDirs(root, targetDir))) {
    log.warn(
      `Warning: (While processing package directory ${packageDir}) Link already exists at ${targetDir}.  Skipping.`,
    );
    return;
  }
  for (const name of listDir(packageDir)) {
    const src = join(packageDir, name);
    if (!isDir(src)) continue; // plain files are left out
    const dst = join(targetDir, name);
    if (isLink(dst)) {
      log.warn(
        `Warning: (While processing package ${src}) Link already exists.  Skipping.`,
      );
    } else if (isDir(dst)) {
      linkPackages(root, src, dst, log);
    } else {
      Deno.symlinkSync(src, dst);
    }
  }
}

/**
 * The warning for a `packages` line of more than two words.
 *
 * @example
 * ```ts
 * invalidPackage("omelette", ["a", "b", "c"]);
 * // "Warning: Invalid package: omelette ['a', 'b', 'c']"
 * ```
 */
export function invalidPackage(part: string, words: string[]): string {
  return `Warning: Invalid package: ${part} ${pyListRepr(words)}`;
}
