/**
 * Top-level name clashes in a working set, settled as one flat site-packages
 * would settle them. In one folder a package (`py/__init__.py`) wins over a
 * module of the same name (`py.py`); across `sys.path` entries the first one
 * wins. So a distribution whose package clashes with another's module is moved
 * just ahead of it, and nothing else moves. Namespace portions (folders
 * without `__init__`) need nothing: Python passes over them to any package or
 * module later on the path.
 *
 * @module
 */

import type { NameKind } from "./toplevel.ts";

/** A distribution of the working set, as far as clashes are concerned. */
export interface ClashDist {
  name: string;
  version: string;
}

const label = (d: ClashDist) => `${d.name} ${d.version}`;

/** The `sys.path` order for the working set and the warnings to print. */
export interface ImportOrder<D> {
  dists: D[];
  warnings: string[];
}

interface Clash {
  name: string;
  packages: number[];
  modules: number[];
}

function findClashes(names: Map<string, NameKind>[]): Clash[] {
  const byName = new Map<string, Clash>();
  names.forEach((m, i) => {
    for (const [name, kind] of m) {
      if (kind === "namespace") continue;
      let c = byName.get(name);
      if (!c) byName.set(name, c = { name, packages: [], modules: [] });
      (kind === "package" ? c.packages : c.modules).push(i);
    }
  });
  return [...byName.values()].filter((c) =>
    c.packages.length && c.modules.length
  ).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * Indexes `0..n-1` reordered so every `before[i]` precedes `i`, filled from
 * the back with the latest item nothing still has to follow: items keep their
 * order except that an item required earlier moves just ahead of the first
 * item it must precede. A cycle is broken by taking the latest item anyway.
 */
function promote(n: number, before: Set<number>[]): number[] {
  const placed = new Set<number>();
  const back: number[] = [];
  const mustFollow = (i: number) =>
    [...Array(n).keys()].some((j) => !placed.has(j) && before[j].has(i));
  while (back.length < n) {
    let pick = -1;
    for (let i = n - 1; i >= 0 && pick < 0; i--) {
      if (!placed.has(i) && !mustFollow(i)) pick = i;
    }
    if (pick < 0) {
      for (let i = n - 1; i >= 0 && pick < 0; i--) if (!placed.has(i)) pick = i;
    }
    placed.add(pick);
    back.push(pick);
  }
  return back.reverse();
}

function listLabels(labels: string[]): string {
  const sorted = [...labels].sort((a, b) =>
    a.toLowerCase() < b.toLowerCase() ? -1 : 1
  );
  if (sorted.length === 2) return `Both ${sorted[0]} and ${sorted[1]}`;
  return `${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)} all`;
}

/**
 * Order `dists` (already in buildout's `sys.path` order) so that a package
 * wins over a same-named module of another distribution, with one warning per
 * clashing name. `namesOf` gives a distribution's top-level names.
 *
 * @example
 * ```ts
 * const { dists, warnings } = importOrder([pytest, py], topLevelNames);
 * dists; // [py, pytest]
 * warnings; // ["Both py 1.11 and pytest 7.0 provide the top-level name 'py'; the package from py 1.11 is used."]
 * ```
 */
export function importOrder<D extends ClashDist>(
  dists: D[],
  namesOf: (d: D) => Map<string, NameKind>,
): ImportOrder<D> {
  const clashes = findClashes(dists.map(namesOf));
  if (!clashes.length) return { dists, warnings: [] };
  const before = dists.map(() => new Set<number>());
  for (const c of clashes) {
    for (const m of c.modules) for (const p of c.packages) before[m].add(p);
  }
  const order = promote(dists.length, before);
  const rank = new Map(order.map((i, r) => [i, r]));
  const warnings = clashes.map((c) => {
    const all = [...c.packages, ...c.modules];
    const labels = [...new Set(all.map((i) => label(dists[i])))];
    const first = all.sort((a, b) => rank.get(a)! - rank.get(b)!)[0];
    const kind = c.packages.includes(first) ? "package" : "module";
    return `${listLabels(labels)} provide the top-level name '${c.name}'; ` +
      `the ${kind} from ${label(dists[first])} is used.`;
  });
  return { dists: order.map((i) => dists[i]), warnings };
}
