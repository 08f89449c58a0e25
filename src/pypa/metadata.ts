/**
 * Pure parsers for distribution metadata files: `requires.txt`, `PKG-INFO` /
 * `METADATA`, `entry_points.txt` and `RECORD`, plus the selection of a
 * distribution's requirements for a set of extras.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { evaluateMarker, type MarkerEnv } from "./markers.ts";
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
}

function andMarkers(a: string | undefined, b: string | undefined) {
  if (!a) return b;
  if (!b) return a;
  return `(${a}) and (${b})`;
}

/**
 * Parse `EGG-INFO/requires.txt`: plain lines, then `[extra]`, `[:marker]` and
 * `[extra:marker]` sections; `#` comments and blank lines ignored. A bad line
 * throws `UserError` naming it.
 *
 * @example
 * ```ts
 * parseRequiresTxt("demoneeded\n\n[test]\npytest\n").extras; // ["test"]
 * ```
 */
export function parseRequiresTxt(text: string): Dependencies {
  const requires: DependencyEntry[] = [];
  const extras: string[] = [];
  let extra: string | undefined;
  let marker: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const section = /^\[(.*)\]$/.exec(line);
    if (section) {
      const [e, ...m] = section[1].split(":");
      extra = e.trim() || undefined;
      marker = m.length ? m.join(":").trim() || undefined : undefined;
      if (
        extra && !extras.some((x) => normalizeName(x) === normalizeName(extra!))
      ) {
        extras.push(extra);
      }
      continue;
    }
    const requirement = parseRequirement(line);
    const merged = andMarkers(requirement.marker, marker);
    if (merged) requirement.marker = merged;
    requires.push(extra ? { requirement, extra } : { requirement });
  }
  return { requires, extras };
}

/** The headers of a `PKG-INFO` / `METADATA` file that matter here. */
export interface PackageMetadata extends Dependencies {
  name?: string;
  version?: string;
  requiresPython?: string;
  /** Every header, by lowercase name, values in file order. */
  headers: Record<string, string[]>;
}

/**
 * Parse `PKG-INFO` or `.dist-info/METADATA` (RFC 822 style headers up to the
 * first blank line; indented lines continue a header): Name, Version,
 * Requires-Dist (markers and extras kept), Provides-Extra, Requires-Python.
 *
 * @example
 * ```ts
 * const m = parseMetadata("Name: demo\nVersion: 0.2\nRequires-Dist: demoneeded\n");
 * m.requires[0].requirement.name; // "demoneeded"
 * ```
 */
export function parseMetadata(text: string): PackageMetadata {
  const headers: Record<string, string[]> = {};
  let last: { key: string; index: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") break;
    if (/^[ \t]/.test(line) && last) {
      headers[last.key][last.index] += "\n" + line.trim();
      continue;
    }
    const m = /^([^:\s]+)\s*:\s?(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    (headers[key] ??= []).push(m[2].trim());
    last = { key, index: headers[key].length - 1 };
  }
  const one = (k: string) => headers[k]?.[0];
  const requires = (headers["requires-dist"] ?? []).map((r) => ({
    requirement: parseRequirement(r),
  }));
  const meta: PackageMetadata = {
    headers,
    requires,
    extras: [...(headers["provides-extra"] ?? [])],
  };
  if (one("name") !== undefined) meta.name = one("name");
  if (one("version") !== undefined) meta.version = one("version");
  if (one("requires-python")) meta.requiresPython = one("requires-python");
  return meta;
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
    !r.marker || evaluateMarker(r.marker, { ...env, extra });
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

/** One row of a wheel's `RECORD`. */
export interface RecordEntry {
  path: string;
  /** `sha256=<urlsafe base64>`, or `""` (RECORD itself, signatures). */
  hash: string;
  size?: number;
}

function csvRow(line: string): string[] {
  const cells: string[] = [];
  let cell = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") cells.push(cell), (cell = "");
    else cell += c;
  }
  cells.push(cell);
  return cells;
}

/**
 * Parse a wheel's `RECORD` (CSV: path, hash, size; quoted fields allowed).
 *
 * @example
 * ```ts
 * parseRecord("demo.py,sha256=abc,12\ndemo-0.2.dist-info/RECORD,,\n");
 * // [{ path: "demo.py", hash: "sha256=abc", size: 12 }, { path: "demo-0.2.dist-info/RECORD", hash: "" }]
 * ```
 */
export function parseRecord(text: string): RecordEntry[] {
  const out: RecordEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const [path, hash = "", size = ""] = csvRow(line);
    const e: RecordEntry = { path, hash };
    if (/^\d+$/.test(size.trim())) e.size = Number(size);
    out.push(e);
  }
  return out;
}
