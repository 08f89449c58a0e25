/**
 * Text formats of distribution metadata: RFC 822 headers (METADATA, PKG-INFO,
 * WHEEL), `requires.txt` sections and `entry_points.txt`.
 *
 * @module
 */

/**
 * Parse RFC 822 style headers (up to the first blank line) into lowercase
 * keys -> values (repeated keys keep every value; continuation lines are
 * joined with a newline).
 *
 * @example
 * ```ts
 * parseMetadataHeaders("Name: demo\nRequires-Dist: a\nRequires-Dist: b\n").get("requires-dist");
 * // ["a", "b"]
 * ```
 */
export function parseMetadataHeaders(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) break;
    if (/^[ \t]/.test(line) && last) {
      last[last.length - 1] += "\n" + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(key)) out.set(key, []);
    last = out.get(key)!;
    last.push(line.slice(colon + 1).trim());
  }
  return out;
}

/** One `requires.txt` section: `[extra:marker]` (both optional) and its lines. */
export interface RequiresSection {
  extra: string;
  marker?: string;
  lines: string[];
}

/**
 * Parse `requires.txt`: plain lines, then `[extra]`, `[extra:marker]` and
 * `[:marker]` sections. Comments and blank lines are skipped.
 *
 * @example
 * ```ts
 * parseRequiresTxt("a\n[test]\nb\n[:python_version<'3'] \nc\n");
 * // [{ extra: "", lines: ["a"] }, { extra: "test", lines: ["b"] },
 * //  { extra: "", marker: "python_version<'3'", lines: ["c"] }]
 * ```
 */
export function parseRequiresTxt(text: string): RequiresSection[] {
  const sections: RequiresSection[] = [{ extra: "", lines: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^\[(.*)\]$/.exec(line);
    if (m) {
      const colon = m[1].indexOf(":");
      const extra = (colon < 0 ? m[1] : m[1].slice(0, colon)).trim();
      const marker = colon < 0 ? undefined : m[1].slice(colon + 1).trim();
      sections.push({ extra, ...(marker ? { marker } : {}), lines: [] });
    } else sections[sections.length - 1].lines.push(line);
  }
  return sections.filter((s) => s.lines.length);
}

/**
 * Parse `entry_points.txt` (INI): group -> name -> `module:attr [extras]`.
 *
 * @example
 * ```ts
 * parseEntryPoints("[console_scripts]\ndemo = demo:main\n").get("console_scripts");
 * // { demo: "demo:main" }
 * ```
 */
export function parseEntryPoints(
  text: string,
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  let group: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const m = /^\[(.+)\]$/.exec(line);
    if (m) {
      group = out.get(m[1].trim()) ?? {};
      out.set(m[1].trim(), group);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0 || !group) continue;
    group[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
