/**
 * PEP 440 versions and specifiers, with buildout's rule that a pre-release
 * satisfies a specifier whenever it falls in the range.
 *
 * Wraps `@renovatebot/pep440` for parsing; ordering (`version_order.ts`, on
 * the remembered parses) and clause matching are done here because the library mishandles exclusive comparisons (`>1.0a1` rejects
 * `1.0`, `<1.0rc2` rejects `1.0rc1`, `>1.0.post1` rejects `1.0.post2`) and its
 * canonical form garbles local labels.
 *
 * @module
 */

import { explain, type Pep440Version } from "@renovatebot/pep440";
import { compareParsed, sameRelease } from "./version_order.ts";
import { UserError } from "../errors.ts";

/** Parsed versions of this run, by their text (a resolution asks many times). */
const seen = new Map<string, Pep440Version | null>();
/**
 * Past this many the memory starts over: enough for the installed versions a
 * rerun asks about, small next to the thousands an index lists.
 */
const SEEN_MAX = 4096;

function parsed(version: string): Pep440Version | null {
  let v = seen.get(version);
  if (v !== undefined) return v;
  if (seen.size >= SEEN_MAX) seen.clear();
  v = explain(version.trim());
  // Shared between callers: frozen, so no caller can change another's answer.
  seen.set(version, v && Object.freeze(v));
  return v;
}

/**
 * True when `version` is a valid PEP 440 version (surrounding spaces ignored).
 *
 * @example
 * ```ts
 * isValidVersion("0.4c1"); // true
 * isValidVersion("latest"); // false
 * ```
 */
export function isValidVersion(version: string): boolean {
  return parsed(version) !== null;
}

/**
 * The canonical PEP 440 spelling of a version, or undefined when invalid.
 *
 * @example
 * ```ts
 * normalizeVersion("0.4c1"); // "0.4rc1"
 * normalizeVersion("1.0-1"); // "1.0.post1"
 * normalizeVersion("1.0+Local.1"); // "1.0+local.1"
 * ```
 */
export function normalizeVersion(version: string): string | undefined {
  const v = parsed(version);
  if (!v) return undefined;
  return v.local ? `${v.public}+${v.local}` : v.public;
}

/**
 * Order two versions (negative, zero, positive). Invalid versions sort before
 * every valid one, and among themselves by their text.
 *
 * @example
 * ```ts
 * ["1.0", "0.4c1", "0.3"].sort(compareVersions); // ["0.3", "0.4c1", "1.0"]
 * compareVersions("1.0", "1.0.0"); // 0
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const pa = parsed(a), pb = parsed(b);
  if (pa && pb) return compareParsed(pa, pb);
  if (!pa !== !pb) return pa ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * True for pre-releases and development releases (`0.4c1`, `1.2rc1`,
 * `2.0.dev3`); false for finals, post-releases and invalid versions.
 *
 * @example
 * ```ts
 * isPrerelease("0.4c1"); // true
 * isPrerelease("1.0.post1"); // false
 * ```
 */
export function isPrerelease(version: string): boolean {
  return parsed(version)?.is_prerelease ?? false;
}

/** One clause of a specifier, e.g. `>=1.0` or `==1.0.*`. */
export interface SpecifierClause {
  operator: "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";
  version: string;
  /** `==1.0.*` / `!=1.0.*` */
  wildcard: boolean;
}

const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;()]+)$/;

function parseClause(text: string, whole: string): SpecifierClause {
  const m = CLAUSE.exec(text.trim());
  const bad = () =>
    new UserError(`Invalid version specifier '${whole.trim()}'.`);
  if (!m) throw bad();
  const operator = m[1] as SpecifierClause["operator"];
  let version = m[2];
  if (operator === "===") return { operator, version, wildcard: false };
  const wildcard = version.endsWith(".*");
  if (wildcard) {
    if (operator !== "==" && operator !== "!=") throw bad();
    version = version.slice(0, -2);
    if (!/^(\d+!)?\d+(\.\d+)*$/.test(version)) throw bad();
  }
  const v = parsed(version);
  if (!v) throw bad();
  if (v.local && operator !== "==" && operator !== "!=") throw bad();
  if (operator === "~=" && v.release.length < 2) throw bad();
  return { operator, version, wildcard };
}

/**
 * Split a specifier (`>=1.0, <2`, `==1.0.*`, empty) into clauses.
 * Throws `UserError` naming the specifier when it is not valid PEP 440.
 *
 * @example
 * ```ts
 * parseSpecifier(">=1,<2").map((c) => c.operator); // [">=", "<"]
 * parseSpecifier(""); // []
 * ```
 */
export function parseSpecifier(
  specifier: string,
): readonly SpecifierClause[] {
  let clauses = specs.get(specifier);
  if (clauses) return clauses;
  clauses = Object.freeze(
    specifier.trim()
      ? specifier.split(",").map((part) =>
        Object.freeze(parseClause(part, specifier))
      )
      : [],
  );
  if (specs.size >= SEEN_MAX) specs.clear();
  specs.set(specifier, clauses);
  return clauses;
}

/** Parsed specifiers of this run, by their text (shared, frozen). */
const specs = new Map<string, readonly SpecifierClause[]>();

/**
 * True when `specifier` parses as a PEP 440 specifier (empty is valid).
 *
 * @example
 * ```ts
 * isValidSpecifier(">=1.0,<2"); // true
 * isValidSpecifier(">=1.0.*"); // false
 * ```
 */
export function isValidSpecifier(specifier: string): boolean {
  try {
    parseSpecifier(specifier);
    return true;
  } catch {
    return false;
  }
}

/**
 * The canonical text of a specifier: clauses without spaces joined by `,`.
 *
 * @example
 * ```ts
 * formatSpecifier(">= 1.0 , < 2"); // ">=1.0,<2"
 * ```
 */
export function formatSpecifier(specifier: string): string {
  return parseSpecifier(specifier)
    .map((c) => c.operator + c.version + (c.wildcard ? ".*" : ""))
    .join(",");
}

function prefixMatch(v: Pep440Version, spec: string): boolean {
  const s = parsed(spec)!;
  if (v.epoch !== s.epoch) return false;
  return s.release.every((n, i) => (v.release[i] ?? 0) === n);
}

function clauseMatches(c: SpecifierClause, text: string): boolean {
  if (c.operator === "===") {
    return text.trim().toLowerCase() === c.version.toLowerCase();
  }
  const v = parsed(text);
  if (!v) return false;
  const s = parsed(c.version)!;
  switch (c.operator) {
    case "==":
    case "!=": {
      const eq = c.wildcard
        ? prefixMatch(v, c.version)
        : compareParsed(v, s, !s.local) === 0;
      return c.operator === "==" ? eq : !eq;
    }
    case "~=": {
      const prefix = (s.epoch ? `${s.epoch}!` : "") +
        s.release.slice(0, -1).join(".");
      return compareParsed(v, s, true) >= 0 && prefixMatch(v, prefix);
    }
    case "<=":
      return compareParsed(v, s, true) <= 0;
    case ">=":
      return compareParsed(v, s, true) >= 0;
    case "<":
      if (compareParsed(v, s) >= 0) return false;
      return s.is_prerelease || !v.is_prerelease || !sameRelease(v, s);
    case ">":
      if (compareParsed(v, s) <= 0) return false;
      if (!s.is_postrelease && v.is_postrelease && sameRelease(v, s)) {
        return false;
      }
      return !(v.local && sameRelease(v, s));
  }
}

/**
 * True when `version` satisfies every clause of `specifier`. Pre-releases are
 * accepted whenever they fall in the range (buildout's behaviour); an empty
 * specifier matches every version. Invalid versions match only `===` clauses
 * (and the empty specifier). Throws `UserError` for an invalid specifier.
 *
 * @example
 * ```ts
 * matchesSpecifier("0.4c1", ">0.3"); // true
 * matchesSpecifier("1.0.5", "==1.0.*"); // true
 * matchesSpecifier("2.0", ">=1,<2"); // false
 * ```
 */
export function matchesSpecifier(version: string, specifier: string): boolean {
  return parseSpecifier(specifier).every((c) => clauseMatches(c, version));
}
