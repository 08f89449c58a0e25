/**
 * Which candidate to take for a requirement: buildout's version choice
 * (highest acceptable, prefer-final, installed versus available, tie-breaks).
 *
 * Pure: no I/O.
 *
 * @module
 */

import type { Requirement } from "../pypa/requirement.ts";
import { kindRank } from "../pypa/filename.ts";
import { type Interpreter, wheelRank } from "../python/interpreter.ts";
import {
  compareVersions,
  isPrerelease,
  isValidVersion,
  matchesSpecifier,
  parseSpecifier,
} from "../pypa/version.ts";
import type { Candidate } from "./candidate.ts";

export type { Candidate } from "./candidate.ts";

/** Returned by {@link chooseBest} when the installed distribution should be kept. */
export const KEEP_INSTALLED: unique symbol = Symbol("keep installed");

/** Options of {@link chooseBest}. */
export interface ChooseOptions {
  /** buildout's `prefer-final` (default true in buildout). */
  preferFinal: boolean;
  /**
   * Version of the best installed distribution for the project (newest mode:
   * the caller asks whether something better is available). Ignored when it
   * does not satisfy the requirement.
   */
  installed?: string;
  /** Treat the requirement as an exact pin (yanked files allowed). Default: its specifier is one `==`/`===` clause. */
  pinned?: boolean;
  /** The target interpreter: ranks wheels of equal version by their best tag. */
  interpreter?: Interpreter;
}

/**
 * True when a specifier is a single exact `==X` / `===X` clause (no wildcard).
 *
 * @example
 * ```ts
 * isExactPin("==0.2"); // true
 * isExactPin(">=0.2"); // false
 * isExactPin("==0.*"); // false
 * ```
 */
export function isExactPin(specifier: string): boolean {
  const clauses = parseSpecifier(specifier);
  return clauses.length === 1 &&
    (clauses[0].operator === "===" ||
      (clauses[0].operator === "==" && !clauses[0].wildcard));
}

const isFinal = (version: string) => !isPrerelease(version);

/** Order for candidates of equal version: best first. */
function tieBreak(a: Candidate, b: Candidate, interp?: Interpreter): number {
  return (Number(!!a.yanked) - Number(!!b.yanked)) ||
    (Number(a.origin !== "cache") - Number(b.origin !== "cache")) ||
    (kindRank(b.file.kind) - kindRank(a.file.kind)) ||
    (interp ? wheelRank(b.file, interp) - wheelRank(a.file, interp) : 0);
}

/**
 * The candidates that may satisfy `req`, best first: matching versions only
 * (pre-releases allowed in range), yanked files only for an exact pin, and under
 * prefer-final only finals when any final matches.
 *
 * @example
 * ```ts
 * rankCandidates(parseRequirement("demo"), cands, { preferFinal: true })
 *   .map((c) => c.file.version); // ["0.3", "0.2", "0.1"] (0.4c1 left out)
 * ```
 */
export function rankCandidates(
  req: Requirement,
  cands: Candidate[],
  o: ChooseOptions,
): Candidate[] {
  const pinned = o.pinned ?? isExactPin(req.specifier);
  let ok = cands.filter((c) =>
    c.file.key === req.key &&
    isValidVersion(c.file.version) &&
    (pinned || !c.yanked) &&
    matchesSpecifier(c.file.version, req.specifier)
  );
  if (o.preferFinal && ok.some((c) => isFinal(c.file.version))) {
    ok = ok.filter((c) => isFinal(c.file.version));
  }
  return ok.sort((a, b) =>
    compareVersions(b.file.version, a.file.version) ||
    tieBreak(a, b, o.interpreter)
  );
}

/**
 * Decide between an installed version and the best available candidate (newest
 * mode), as buildout does: under prefer-final a final beats an installed
 * pre-release even when it is older, and an available pre-release replaces only
 * an older installed pre-release; without prefer-final the newer one wins.
 */
function betterThanInstalled(
  installed: string,
  best: string,
  preferFinal: boolean,
): boolean {
  const newer = compareVersions(installed, best) < 0;
  if (!preferFinal) return newer;
  if (isFinal(best)) return isFinal(installed) ? newer : true;
  return !isFinal(installed) && newer;
}

/**
 * Choose the candidate to obtain for `req`: the highest acceptable version;
 * ties go to the download-cache copy, then wheel > egg > sdist, then the best
 * wheel tag. With `installed` (a version that satisfies `req`), returns
 * {@link KEEP_INSTALLED} when the installed distribution should be kept.
 *
 * @example
 * ```ts
 * chooseBest(parseRequirement("demo"), cands, { preferFinal: true })?.file.version; // "0.3"
 * chooseBest(parseRequirement("spam"), [final4, pre5a1], { preferFinal: true, installed: "4" });
 * // KEEP_INSTALLED
 * ```
 */
export function chooseBest(
  req: Requirement,
  cands: Candidate[],
  o: ChooseOptions & { installed?: undefined },
): Candidate | undefined;
export function chooseBest(
  req: Requirement,
  cands: Candidate[],
  o: ChooseOptions,
): Candidate | typeof KEEP_INSTALLED | undefined;
export function chooseBest(
  req: Requirement,
  cands: Candidate[],
  o: ChooseOptions,
): Candidate | typeof KEEP_INSTALLED | undefined {
  const best = rankCandidates(req, cands, o)[0];
  const installed = o.installed;
  if (
    installed === undefined || !matchesSpecifier(installed, req.specifier)
  ) {
    return best;
  }
  if (!best) return KEEP_INSTALLED;
  return betterThanInstalled(installed, best.file.version, o.preferFinal)
    ? best
    : KEEP_INSTALLED;
}
