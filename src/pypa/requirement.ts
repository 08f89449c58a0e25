/**
 * PEP 508 requirements (`demo[extra] >=1,<2; python_version >= "3"`) and
 * buildout's display form of them.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { parseMarker } from "./markers.ts";
import { normalizeName } from "./name.ts";
import { formatSpecifier } from "./version.ts";

/** A parsed requirement. */
export interface Requirement {
  /** The project name as written. */
  name: string;
  /** The PEP 503 normalised name. */
  key: string;
  /** Extras as written (compare them with `normalizeName`). */
  extras: string[];
  /** The canonical specifier, clauses without spaces joined by `,`; `""` for any version. */
  specifier: string;
  /** The marker text after `;`, trimmed; absent when there is none. */
  marker?: string;
  /** The requirement text as given, trimmed (buildout quotes it in some messages). */
  text?: string;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;

/**
 * Parse a PEP 508 requirement: name, optional `[extras]`, an optional version
 * specifier (with or without parentheses, spaces allowed) and an optional
 * `; marker`. URL requirements (`name @ url`) are rejected. Any problem throws
 * `UserError` naming the text.
 *
 * @example
 * ```ts
 * parseRequirement("demo ==0.2");
 * // { name: "demo", key: "demo", extras: [], specifier: "==0.2", text: "demo ==0.2" }
 * parseRequirement('Foo.Bar[test] (>=1, <2); python_version >= "3"').specifier; // ">=1,<2"
 * ```
 */
export function parseRequirement(text: string): Requirement {
  const src = text.trim();
  const fail = (why: string): never => {
    throw new UserError(`Invalid requirement '${src}': ${why}.`);
  };
  const nm = NAME.exec(src);
  if (!nm) return fail("expected a project name");
  const name = nm[0];
  let rest = src.slice(name.length).trimStart();
  const extras: string[] = [];
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0) fail("missing ']'");
    for (const e of rest.slice(1, close).split(",").map((s) => s.trim())) {
      if (!e) continue;
      if (NAME.exec(e)?.[0] !== e) fail(`invalid extra '${e}'`);
      extras.push(e);
    }
    rest = rest.slice(close + 1).trimStart();
  }
  if (rest.startsWith("@")) {
    fail("URL requirements are not supported; use find-links instead");
  }
  let marker: string | undefined;
  const semi = rest.indexOf(";");
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi);
    try {
      parseMarker(marker);
    } catch (e) {
      fail(e instanceof Error ? e.message.replace(/\.$/, "") : String(e));
    }
  }
  let spec = rest.trim();
  if (spec.startsWith("(")) {
    if (!spec.endsWith(")")) fail("missing ')'");
    spec = spec.slice(1, -1).trim();
  }
  let specifier = "";
  try {
    specifier = formatSpecifier(spec);
  } catch {
    fail(`invalid version specifier '${spec}'`);
  }
  const req: Requirement = {
    name,
    key: normalizeName(name),
    extras,
    specifier,
    text: src,
  };
  if (marker !== undefined) req.marker = marker;
  return req;
}

/**
 * Buildout's display form of a requirement: name, `[extras]` joined by `,`,
 * specifier clauses joined by `,` without spaces, and `; marker` if any.
 *
 * @example
 * ```ts
 * formatRequirement(parseRequirement("demo ==0.2")); // "demo==0.2"
 * formatRequirement(parseRequirement("demo [x] >= 1")); // "demo[x]>=1"
 * ```
 */
export function formatRequirement(r: Requirement): string {
  const extras = r.extras.length ? `[${r.extras.join(",")}]` : "";
  const spec = r.specifier ? formatSpecifier(r.specifier) : "";
  const marker = r.marker ? `; ${r.marker}` : "";
  return `${r.name}${extras}${spec}${marker}`;
}
