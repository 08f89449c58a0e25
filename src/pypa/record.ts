/**
 * A wheel's `RECORD` (PEP 376 / PEP 427): the CSV list of its installed files
 * with their hashes and sizes. Pure code.
 *
 * @module
 */

/** One row of a wheel's `RECORD`. */
export interface RecordEntry {
  path: string;
  /** `sha256=<urlsafe base64>`, or `""` (RECORD itself, signatures). */
  hash: string;
  size?: number;
}

function csvRow(line: string): string[] {
  // Most rows quote nothing: one split instead of a string per character.
  if (!line.includes('"')) return line.split(",");
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
