/**
 * Python's `repr()` of strings and string lists, for error texts that quote buildout exactly.
 *
 * @module
 */

/**
 * Python `repr()` of a string: single quotes unless the text holds a `'` and no `"`,
 * backslash escapes for control characters.
 *
 * @example
 * ```ts
 * pyRepr("this is bad\n"); // "'this is bad\\n'"
 * pyRepr("it's"); // "\"it's\""
 * ```
 */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + quote;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) {
      out += "\\x" + code.toString(16).padStart(2, "0");
    } else out += ch;
  }
  return out + quote;
}

/**
 * Python `repr()` of a list of strings.
 *
 * @example
 * ```ts
 * pyListRepr(["/a/b.cfg", "/a/c.cfg"]); // "['/a/b.cfg', '/a/c.cfg']"
 * ```
 */
export function pyListRepr(items: string[]): string {
  return "[" + items.map(pyRepr).join(", ") + "]";
}
