/**
 * Python's `repr()` of a `str`, so generated scripts spell paths as Python would.
 *
 * @module
 */

// Python's str.isprintable() is false for these categories (the space is the
// one printable separator).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Printable ASCII but the backslash: nothing in it needs escaping, but a quote. */
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function escapeChar(ch: string, quote: string): string {
  switch (ch) {
    case "\\":
      return "\\\\";
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    case quote:
      return "\\" + quote;
  }
  if (ch === " " || !NON_PRINTABLE.test(ch)) return ch;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x100) return "\\x" + hex(cp, 2);
  if (cp < 0x10000) return "\\u" + hex(cp, 4);
  return "\\U" + hex(cp, 8);
}

/**
 * `repr(s)` as CPython 3 prints it: single quotes unless the text holds a `'`
 * and no `"`; backslash, quote, `\n`, `\r`, `\t` escaped; other non-printable
 * characters as `\xNN`, `\uNNNN`, `\UNNNNNNNN`; printable non-ASCII kept.
 * (Printability follows the Unicode tables of the JavaScript engine, which may
 * be newer than the target Python's for unassigned code points.)
 *
 * @example
 * ```ts
 * pyRepr("/tmp/it's");    // "\"/tmp/it's\""
 * pyRepr("C:\\eggs");     // "'C:\\\\eggs'"
 * pyRepr("/tmp/naïve");   // "'/tmp/naïve'"
 * ```
 */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  // Printable ASCII without a backslash or the quote (most paths): as it is.
  if (PLAIN.test(s) && !s.includes(quote)) return quote + s + quote;
  let out = quote;
  // Iterates by code point; a lone surrogate is one (non-printable) character.
  for (const ch of s) out += escapeChar(ch, quote);
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
