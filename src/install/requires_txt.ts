/**
 * Writing `EGG-INFO/requires.txt` from a wheel's `Requires-Dist` lines, the
 * way setuptools lays it out: unconditional requirements first, then
 * `[extra]`, `[extra:marker]` and `[:marker]` sections.
 *
 * @module
 */

const EXTRA = String.raw`\(?\s*extra\s*==\s*(?<q>['"])(?<x>[^'"]+)\k<q>\s*\)?`;
const ONLY_EXTRA = new RegExp(`^${EXTRA}$`);
const EXTRA_LAST = new RegExp(`^(?<rest>.+?)\\s+and\\s+${EXTRA}$`);
const EXTRA_FIRST = new RegExp(`^${EXTRA}\\s+and\\s+(?<rest>.+)$`);

/** setuptools' `safe_extra`: lowercase, other runs of characters become `_`. */
function safeExtra(extra: string): string {
  return extra.replace(/[^A-Za-z0-9.-]+/g, "_").toLowerCase();
}

function unwrap(marker: string): string {
  const m = marker.trim();
  if (!m.startsWith("(") || !m.endsWith(")")) return m;
  let depth = 0;
  for (let i = 0; i < m.length; i++) {
    if (m[i] === "(") depth++;
    else if (m[i] === ")" && --depth === 0 && i < m.length - 1) return m;
  }
  return m.slice(1, -1).trim();
}

/** Whether `or` joins parts of `marker` outside parentheses and quotes. */
function hasTopLevelOr(marker: string): boolean {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < marker.length; i++) {
    const ch = marker[i];
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (depth === 0 && /^\sor\s/.test(marker.slice(i, i + 4))) return true;
  }
  return false;
}

/**
 * The section header (without brackets, `""` for none) a `Requires-Dist`
 * value belongs to, and the requirement without its marker.
 *
 * @example
 * ```ts
 * sectionOf('pytest; extra == "test"'); // { section: "test", requirement: "pytest" }
 * sectionOf('tomli; python_version < "3.11"');
 * // { section: ':python_version < "3.11"', requirement: "tomli" }
 * ```
 */
export function sectionOf(
  requiresDist: string,
): { section: string; requirement: string } {
  const semi = requiresDist.indexOf(";");
  if (semi < 0) return { section: "", requirement: requiresDist.trim() };
  const requirement = requiresDist.slice(0, semi).trim();
  const marker = unwrap(requiresDist.slice(semi + 1));
  const only = ONLY_EXTRA.exec(marker)?.groups;
  if (only) return { section: safeExtra(only.x), requirement };
  const g = (EXTRA_LAST.exec(marker) ?? EXTRA_FIRST.exec(marker))?.groups;
  if (g && !hasTopLevelOr(g.rest)) {
    return { section: `${safeExtra(g.x)}:${unwrap(g.rest)}`, requirement };
  }
  return { section: ":" + marker, requirement };
}

/**
 * Render `requires.txt` from `Requires-Dist` values (empty string for none).
 *
 * @example
 * ```ts
 * requiresTxt(["demoneeded", 'pytest; extra == "test"']);
 * // "demoneeded\n\n[test]\npytest\n"
 * ```
 */
export function requiresTxt(requiresDist: string[]): string {
  const sections = new Map<string, string[]>([["", []]]);
  for (const r of requiresDist) {
    const { section, requirement } = sectionOf(r);
    if (!sections.has(section)) sections.set(section, []);
    sections.get(section)!.push(requirement);
  }
  const out: string[] = [...sections.get("")!];
  for (const [name, lines] of sections) {
    if (!name) continue;
    if (out.length) out.push("");
    out.push(`[${name}]`, ...lines);
  }
  return out.length ? out.join("\n") + "\n" : "";
}
