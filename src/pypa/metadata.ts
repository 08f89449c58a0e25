/**
 * Pure parsers for distribution metadata files: `requires.txt`, `PKG-INFO` /
 * `METADATA` and `entry_points.txt`, plus the selection of a distribution's
 * requirements for a set of extras (`RECORD` is in `record.ts`).
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { evaluateMarker, type MarkerEnv, parseMarker } from "./markers.ts";
import { normalizeName } from "./name.ts";
import {
  formatRequirement,
  parseRequirement,
  type Requirement,
} from "./requirement.ts";

/** One dependency line with the extra it belongs to (requires.txt sections). */
export interface DependencyEntry {
  /** The requirement; a `[:marker]` section's marker is merged into `marker`. */
  requirement: Requirement;
  /** The extra of its requires.txt section (`[test]`); METADATA keeps extras in the marker. */
  extra?: string;
}

/** What `requires.txt` or `METADATA` say about dependencies. */
export interface Dependencies {
  requires: DependencyEntry[];
  /** Extras the distribution declares, as written. */
  extras: string[];
  /** Lines that could not be parsed (skipped); see {@link describeProblem}. */
  problems: MetadataProblem[];
}

/** Something in a metadata file that could not be parsed and was skipped. */
export interface MetadataProblem {
  /** What it was, e.g. `requirement 'x y z'`. */
  what: string;
  /** Why it could not be parsed and what happened to it. */
  why: string;
}

/** Parse a requirement, or record why it cannot be and return undefined. */
function tryRequirement(
  text: string,
  problems: MetadataProblem[],
): Requirement | undefined {
  try {
    return parseRequirement(text);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const src = text.trim();
    const prefix = `Invalid requirement '${src}': `;
    const why = e.message.startsWith(prefix)
      ? e.message.slice(prefix.length).replace(/\.$/, "")
      : e.message.replace(/\.$/, "");
    problems.push({
      what: `requirement '${src}'`,
      why: `${why}; the requirement is ignored`,
    });
    return undefined;
  }
}

function andMarkers(a: string | undefined, b: string | undefined) {
  if (!a) return b;
  if (!b) return a;
  return `(${a}) and (${b})`;
}

/**
 * Parse `EGG-INFO/requires.txt`: plain lines, then `[extra]`, `[:marker]` and
 * `[extra:marker]` sections; `#` comments and blank lines ignored. A line
 * that is not a requirement is skipped and listed in `problems`.
 *
 * @example
 * ```ts
 * parseRequiresTxt("demoneeded\n\n[test]\npytest\n").extras; // ["test"]
 * ```
 */
export function parseRequiresTxt(text: string): Dependencies {
  const requires: DependencyEntry[] = [];
  const extras: string[] = [];
  const problems: MetadataProblem[] = [];
  let extra: string | undefined;
  let marker: string | undefined;
  let skip = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const section = /^\[(.*)\]$/.exec(line);
    if (section) {
      const [e, ...m] = section[1].split(":");
      extra = e.trim() || undefined;
      marker = m.length ? m.join(":").trim() || undefined : undefined;
      skip = false;
      if (marker) {
        try {
          parseMarker(marker);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          problems.push({
            what: `section '${line}'`,
            why: `${why.replace(/\.$/, "")}; its requirements are ignored`,
          });
          skip = true;
        }
      }
      if (
        extra && !extras.some((x) => normalizeName(x) === normalizeName(extra!))
      ) {
        extras.push(extra);
      }
      continue;
    }
    if (skip) continue;
    const requirement = tryRequirement(line, problems);
    if (!requirement) continue;
    const merged = andMarkers(requirement.marker, marker);
    if (merged) requirement.marker = merged;
    requires.push(extra ? { requirement, extra } : { requirement });
  }
  return { requires, extras, problems };
}

/** The headers of a `PKG-INFO` / `METADATA` file that matter here. */
export interface PackageMetadata extends Dependencies {
  name?: string;
  version?: string;
  requiresPython?: string;
  /** Every header, by lowercase name, values in file order. */
  headers: Record<string, string[]>;
}

/** The lines of `text` up to and including its first empty line (all when none). */
function headerBlock(text: string): string[] {
  if (!text.includes("\r")) {
    // The common case, without a regular expression per line.
    const lines: string[] = [];
    let at = 0;
    for (;;) {
      const end = text.indexOf("\n", at);
      const line = text.slice(at, end < 0 ? text.length : end);
      lines.push(line);
      if (end < 0 || line === "") return lines;
      at = end + 1;
    }
  }
  const eol = /\r\n|\r|\n/g;
  const lines: string[] = [];
  let at = 0;
  for (;;) {
    const m = eol.exec(text);
    const line = text.slice(at, m ? m.index : text.length);
    lines.push(line);
    if (!m || line === "") return lines;
    at = eol.lastIndex;
  }
}

// A header line as Python's email parser sees one: a name of printable ASCII
// without ':' or space, then ':'.
const HEADER = /^([\x21-\x39\x3b-\x7e]*):(.*)$/;

/**
 * Parse `PKG-INFO` or `.dist-info/METADATA` as Python's email parser does:
 * a line starting with a space or tab (even one holding nothing else)
 * continues the previous header, only an empty line ends the headers, and a
 * line that is neither a header nor a continuation ends them too (the rest is
 * the body). Name, Version, Requires-Dist (markers and extras kept),
 * Provides-Extra, Requires-Python. Malformed lines and unparseable
 * requirements are skipped and listed in `problems`.
 *
 * @example
 * ```ts
 * const m = parseMetadata("Name: demo\nVersion: 0.2\nRequires-Dist: demoneeded\n");
 * m.requires[0].requirement.name; // "demoneeded"
 * ```
 */
export function parseMetadata(text: string): PackageMetadata {
  const { headers, problems } = parseHeaders(text);
  const one = (k: string) => headers[k]?.[0];
  const requires: DependencyEntry[] = [];
  for (const value of headers["requires-dist"] ?? []) {
    const requirement = tryRequirement(value.replace(/\s+/g, " "), problems);
    if (requirement) requires.push({ requirement });
  }
  const meta: PackageMetadata = {
    headers,
    requires,
    extras: [...(headers["provides-extra"] ?? [])],
    problems,
  };
  if (one("name") !== undefined) meta.name = one("name");
  if (one("version") !== undefined) meta.version = one("version");
  const rp = one("requires-python")?.replace(/\s+/g, " ");
  if (rp) meta.requiresPython = rp;
  return meta;
}

/**
 * The headers of a metadata file, by lowercase name, as {@link parseMetadata}
 * reads them, without parsing any requirement: what reading a name and a
 * version needs.
 *
 * @example
 * ```ts
 * parseHeaders("Name: demo\nVersion: 0.2\n").headers.version; // ["0.2"]
 * ```
 */
export function parseHeaders(
  text: string,
): { headers: Record<string, string[]>; problems: MetadataProblem[] } {
  const headers: Record<string, string[]> = {};
  const problems: MetadataProblem[] = [];
  let last: { key: string; index: number } | undefined;
  // Only the header block is split into lines: the body (often a whole
  // README) is looked at only to count what a malformed line cuts off.
  const lines = headerBlock(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") break;
    if (line[0] === " " || line[0] === "\t") {
      if (last) headers[last.key][last.index] += "\n" + line.trim();
      else {
        problems.push({
          what: `header line '${line.trim()}'`,
          why: "a continuation line before any header; ignored",
        });
      }
      continue;
    }
    const m = HEADER.exec(line);
    if (!m) {
      const rest = text.split(/\r\n|\r|\n/).slice(i + 1).filter((l) =>
        l !== ""
      ).length;
      problems.push({
        what: `header line '${line}'`,
        why: `not a 'Name: value' line, so the headers end there${
          rest ? ` and the ${rest} lines after it are ignored` : ""
        }`,
      });
      break;
    }
    if (m[1] === "") {
      problems.push({ what: `header line '${line}'`, why: "no header name" });
      last = undefined;
      continue;
    }
    const key = m[1].toLowerCase();
    (headers[key] ??= []).push(m[2].trim());
    last = { key, index: headers[key].length - 1 };
  }
  return { headers, problems };
}

/**
 * One line of a metadata problem, naming the distribution:
 * `Couldn't parse <what> in metadata of <dist>: <why>.`
 *
 * @example
 * ```ts
 * describeProblem({ what: "requirement 'x y'", why: "invalid version specifier 'y'" }, "foo 1.0");
 * // "Couldn't parse requirement 'x y' in metadata of foo 1.0: invalid version specifier 'y'."
 * ```
 */
export function describeProblem(p: MetadataProblem, dist: string): string {
  return `Couldn't parse ${p.what} in metadata of ${dist}: ${p.why}.`;
}

/**
 * The requirements a distribution needs with the given extras, markers
 * evaluated for `env`: plain entries whose marker holds for no extra or one of
 * the requested extras, and entries of requested extras (compared
 * normalised). Duplicates are dropped; order kept.
 *
 * @example
 * ```ts
 * const deps = parseRequiresTxt("a\n[test]\nb\n");
 * requirementsFor(deps, ["Test"], env).map((r) => r.name); // ["a", "b"]
 * ```
 */
export function requirementsFor(
  deps: Dependencies,
  extras: string[],
  env: MarkerEnv,
): Requirement[] {
  const wanted = new Set(extras.map(normalizeName));
  const out: Requirement[] = [];
  const seen = new Set<string>();
  const holds = (r: Requirement, extra: string) =>
    !r.marker || evaluateMarker(r.marker, env, extra);
  for (const { requirement: r, extra } of deps.requires) {
    const ok = extra !== undefined
      ? wanted.has(normalizeName(extra)) && holds(r, extra)
      : ["", ...extras].some((x) => holds(r, x));
    if (!ok) continue;
    const { marker: _m, ...rest } = r;
    const id = formatRequirement(rest);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(rest);
  }
  return out;
}

/**
 * Parse `entry_points.txt` (INI): `{ group: { name: "module:attrs [extras]" } }`.
 * `#` / `;` comments and blank lines ignored; a line outside a section or
 * without `=` throws `UserError`.
 *
 * @example
 * ```ts
 * parseEntryPoints("[console_scripts]\ndemo = eggrecipedemo:main\n");
 * // { console_scripts: { demo: "eggrecipedemo:main" } }
 * ```
 */
export function parseEntryPoints(
  text: string,
): Record<string, Record<string, string>> {
  const groups: Record<string, Record<string, string>> = {};
  let group: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      group = groups[section[1].trim()] ??= {};
      continue;
    }
    const eq = line.indexOf("=");
    if (!group || eq <= 0) {
      throw new UserError(`Invalid entry point line '${line}'.`);
    }
    group[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return groups;
}

/** An entry point value split into its parts. */
export interface EntryPoint {
  module: string;
  /** Dotted attribute path, `""` when the entry point names a module. */
  attrs: string;
  extras: string[];
}

/**
 * Split an entry point value `module.path:attr.path [extra1, extra2]`.
 * Throws `UserError` for a malformed value.
 *
 * @example
 * ```ts
 * parseEntryPoint("eggrecipedemo:main"); // { module: "eggrecipedemo", attrs: "main", extras: [] }
 * ```
 */
export function parseEntryPoint(value: string): EntryPoint {
  const m = /^\s*([\w.]+)\s*(?::\s*([\w.]+))?\s*(?:\[\s*([^\]]*)\])?\s*$/u.exec(
    value,
  );
  if (!m) throw new UserError(`Invalid entry point '${value.trim()}'.`);
  const extras = (m[3] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return { module: m[1], attrs: m[2] ?? "", extras };
}
