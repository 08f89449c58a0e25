/**
 * Dependency resolution as buildout does it: the requested requirements first,
 * then breadth-first through each distribution's requirements in buildout's
 * queue order (see {@link nextLevel}; the working set, and so `sys.path`, is
 * in the order distributions are reached), `[versions]`
 * applied to every requirement, the first distribution chosen for a project
 * kept (a later incompatible requirement is a version conflict).
 *
 * @module
 */

import { addContext, UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { evaluateMarker } from "../pypa/markers.ts";
import { normalizeName } from "../pypa/name.ts";
import { formatRequirement, type Requirement } from "../pypa/requirement.ts";
import { matchesSpecifier } from "../pypa/version.ts";
import {
  applyPin,
  IncompatibleConstraintError,
  pickedVersionError,
  type PickedVersions,
  versionConflictInformation,
} from "../find/versions.ts";
import { isExactPin } from "../find/choose.ts";
import type { InstalledDist } from "../install/metadata.ts";

/** Obtains the distribution for one (pinned) requirement: installed or fetched. */
export type Obtain = (req: Requirement) => Promise<InstalledDist>;

/** What {@link resolve} needs. */
export interface ResolveOptions {
  /** `[versions]` pins, by project name. */
  pins: Map<string, string>;
  /** The target interpreter's PEP 508 marker environment. */
  markerEnv: Record<string, string>;
  allowUnknownExtras: boolean;
  allowPickedVersions: boolean;
  picked: PickedVersions;
  obtain: Obtain;
  /** Start fetching a requirement's file early (downloads of one level run in parallel). */
  prefetch?: (req: Requirement) => void;
  /**
   * Read ahead: before resolving, every requirement reachable through the
   * distributions already installed (`installed`) is handed to `page`, so
   * that the pages a rerun needs are revalidated together, not one level
   * after another.
   */
  lookAhead?: {
    installed: (req: Requirement) => InstalledDist | undefined;
    page: (req: Requirement) => void;
  };
  log: Logger;
}

interface Pending {
  req: Requirement;
  /** The distribution that required it; none for requested ones. */
  by?: InstalledDist;
}

/**
 * Resolve `requested` into the working set (distributions in resolution order).
 *
 * @example
 * ```ts
 * const ws = await resolve([parseRequirement("demo")], {
 *   pins, markerEnv, allowUnknownExtras: false, allowPickedVersions: true,
 *   picked: new PickedVersions(), obtain, log,
 * });
 * ws.map((d) => `${d.name} ${d.version}`); // ["demo 0.3", "demoneeded 1.1"]
 * ```
 */
export async function resolve(
  requested: Requirement[],
  o: ResolveOptions,
): Promise<InstalledDist[]> {
  const chosen = new Map<string, InstalledDist>();
  const extrasDone = new Map<string, Set<string>>();
  const context: string[] = [];
  const order: InstalledDist[] = [];
  let level: Pending[] = requested.map((req) => ({ req }));
  const asked = requested.map((r) => `'${r.text ?? formatRequirement(r)}'`);
  if (asked.length) o.log.debug(`Installing ${asked.join(", ")}.`);
  for (const { req } of level) {
    context.push(
      `Base installation request: '${req.text ?? formatRequirement(req)}'`,
    );
  }
  if (o.lookAhead) lookAhead(requested, o, o.lookAhead);
  let top = true;
  while (level.length) {
    prefetchLevel(level, o, chosen);
    const found: Pending[][] = [];
    for (const item of level) {
      const deps = await resolveOne(
        item,
        o,
        chosen,
        extrasDone,
        context,
        order,
      );
      found.push(deps);
      if (!top) noteRequirements(deps, context);
    }
    // buildout reaches the requested distributions' requirements only after
    // obtaining all of them, last requested first.
    if (top) {
      for (const deps of [...found].reverse()) {
        noteRequirements(deps, context);
      }
    }
    level = nextLevel(found, top);
    top = false;
  }
  return order;
}

/** The `Requirement of <dist>: <req>` context lines, in queue order. */
function noteRequirements(deps: Pending[], context: string[]): void {
  for (const { req, by } of [...deps].reverse()) {
    context.push(`Requirement of ${by!.name}: ${formatRequirement(req)}`);
  }
}

/**
 * The next level in buildout's order. Its installer obtains the requested
 * distributions in the order given, then works through a queue that starts
 * with the requested requirements reversed and to which each distribution's
 * requirements are appended reversed. Level by level that is: the
 * requirements of the requested distributions, last requested first, each
 * list reversed; below that, each list reversed, in the order the
 * distributions were reached.
 */
function nextLevel(found: Pending[][], top: boolean): Pending[] {
  const parents = top ? [...found].reverse() : found;
  return parents.flatMap((deps) => [...deps].reverse());
}

/** Let the files this level will need start downloading together. */
function prefetchLevel(
  level: Pending[],
  o: ResolveOptions,
  chosen: Map<string, InstalledDist>,
): void {
  if (!o.prefetch) return;
  for (const { req } of level) {
    if (chosen.has(req.key)) continue;
    try {
      if (
        req.marker && !evaluateMarker(req.marker, o.markerEnv, "")
      ) continue;
      o.prefetch(applyPin(req, o.pins));
    } catch {
      // Reported in order when the requirement itself is resolved.
    }
  }
}

/**
 * Hand every requirement reachable from `requested` through installed
 * distributions to `ahead.page`, breadth first (the order the resolution will
 * ask for them). Errors are left for the resolution to report in order.
 */
function lookAhead(
  requested: Requirement[],
  o: ResolveOptions,
  ahead: NonNullable<ResolveOptions["lookAhead"]>,
): void {
  const seen = new Set<string>();
  let queue = requested;
  while (queue.length) {
    const next: Requirement[] = [];
    for (const raw of queue) {
      try {
        if (
          raw.marker &&
          !evaluateMarker(raw.marker, o.markerEnv, "")
        ) continue;
        const req = applyPin(raw, o.pins);
        const id = [req.key, ...req.extras.map(normalizeName).sort()].join();
        if (seen.has(id)) continue;
        seen.add(id);
        ahead.page(req);
        next.push(...ahead.installed(req)?.requires(req.extras) ?? []);
      } catch {
        // Reported in order when the requirement itself is resolved.
      }
    }
    queue = next;
  }
}

async function resolveOne(
  { req: raw, by: requirer }: Pending,
  o: ResolveOptions,
  chosen: Map<string, InstalledDist>,
  extrasDone: Map<string, Set<string>>,
  context: string[],
  order: InstalledDist[],
): Promise<Pending[]> {
  if (
    raw.marker && !evaluateMarker(raw.marker, o.markerEnv, "")
  ) {
    return [];
  }
  let req: Requirement;
  try {
    req = applyPin(raw, o.pins, context);
  } catch (err) {
    if (err instanceof IncompatibleConstraintError) {
      for (const line of err.infoLines) o.log.info(line);
    }
    throw err;
  }
  const display = formatRequirement(req);
  let dist = chosen.get(req.key);
  if (dist) {
    if (!matchesSpecifier(dist.version, req.specifier)) {
      for (
        const line of versionConflictInformation(dist.name, undefined, context)
      ) {
        o.log.info(line);
      }
      throw new UserError(
        `There is a version conflict.\nWe already have: ${dist.name} ${dist.version}\n` +
          `but ${
            requirer ? `${requirer.name} ${requirer.version}` : "the buildout"
          } requires '${display}'.`,
      );
    }
  } else {
    dist = await o.obtain(req);
    chosen.set(req.key, dist);
    o.picked.use(dist);
    order.push(dist);
    if (!dist.develop && !isExactPin(req.specifier)) {
      o.log.debug(`Picked: ${dist.name} = ${dist.version}`);
      if (!o.allowPickedVersions) {
        // Raised while getting the distribution, as in buildout.
        const err = pickedVersionError(dist.name, dist.version);
        addContext(err, `Getting distribution for '${display}'.`);
        throw err;
      }
      o.picked.pick(dist.name, dist.version);
      if (requirer) {
        o.picked.requiredBy(dist.name, `${requirer.name}==${requirer.version}`);
      }
    }
  }
  const done = extrasDone.get(req.key) ?? new Set<string>();
  extrasDone.set(req.key, done);
  // Compared normalised; named in messages as setuptools' safe_extra does.
  const written = new Map(
    req.extras.map((e) => [normalizeName(e), safeExtra(e)]),
  );
  const newExtras = [...written.keys()].filter((e) => !done.has(e));
  const first = !done.has("");
  if (!first && !newExtras.length) return [];
  for (const extra of newExtras) {
    if (!dist.extras().map(normalizeName).includes(extra)) {
      o.log.warn(
        `${dist.name} ${dist.version} does not provide the extra '${
          written.get(extra)
        }'`,
      );
      if (!o.allowUnknownExtras) {
        throw new UserError(
          "Couldn't find the required extra. This means the requirement is incorrect. " +
            "If the requirement is itself from software you requested, then there might " +
            "be a bug in requested software. You can ignore this by using " +
            "'allow-unknown-extras=true', however that may simply cause needed " +
            "software to be omitted.",
        );
      }
    }
  }
  const wanted = first
    ? dist.requires(newExtras)
    : dist.requires(newExtras).filter(
      (r) =>
        !dist!.requires([]).some((b) =>
          formatRequirement(b) === formatRequirement(r)
        ),
    );
  if (first) { for (const p of dist.problems()) o.log.warn(p); }
  done.add("");
  for (const e of newExtras) done.add(e);
  return wanted.map((r) => ({ req: r, by: dist }));
}

/** setuptools' `safe_extra`: runs of other characters become `_`, lower case. */
function safeExtra(extra: string): string {
  return extra.replace(/[^A-Za-z0-9.-]+/g, "_").toLowerCase();
}
