/**
 * Buildout's INI dialect: sections, options with `=`, `+=`, `-=`, multi-line values,
 * column-0 comments, conditional headers. Pure: text in, {@link ParsedFile} out.
 *
 * Deviations from zc.buildout (all additive, no valid buildout file changes meaning):
 * - `key: value` (ConfigParser style) is accepted when `key` has no spaces and the line has
 *   no `=`-form reading; buildout rejects it.
 * - A UTF-8 byte order mark is ignored.
 * - `k+=v`, `k += v` and `k+ = v` all mean "add to k" (buildout's tokenizer differs by spacing).
 * - Parse errors are `UserError`s (buildout reports them as internal errors).
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { pyRepr } from "../pyrepr.ts";

/** An assignment operator as written in a file. */
export type Op = "=" | "+=" | "-=";

/** One option line (with its continuation lines) of a parsed file. */
export interface ParsedOption {
  key: string;
  op: Op;
  value: string;
  /** 1-based line number of the option's first line. */
  line: number;
}

/** One `[name]` or `[name:expr]` block, in file order (a repeated header is a new block). */
export interface ParsedSection {
  name: string;
  /** The condition of a `[name:expr]` header, `\x23`/`\x3b` un-escaped; absent when none. */
  condition?: string;
  line: number;
  options: ParsedOption[];
}

/** A parsed configuration file. */
export interface ParsedFile {
  filename: string;
  sections: ParsedSection[];
}

const HEADER = /^\[\s*([^\s#[\]:;{}]+)\s*(?::([^#;]*))?\s*\]\s*(?:[#;].*)?$/;
const OPTION = /^([^\s{}[\]=:]+?)\s*([+-]?)\s*=(.*)$/;
const COLON_OPTION = /^([^\s{}[\]=:]+)\s*:(.*)$/;
const LEADING_BLANK_LINES = /^(\s*\n)+/;

/**
 * Parse a configuration file's text. Malformed lines are collected and reported together as a
 * `UserError` with buildout's text, naming the file and each bad line.
 *
 * @example
 * ```ts
 * const f = parseConfig("[buildout]\nparts = a\n  b\n", "/w/buildout.cfg");
 * // f.sections[0] == { name: "buildout", line: 1,
 * //   options: [{ key: "parts", op: "=", value: "a\nb", line: 2 }] }
 * ```
 */
export function parseConfig(text: string, filename: string): ParsedFile {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const lines = splitLines(text);
  const sections: ParsedSection[] = [];
  const errors: string[] = [];
  let current: ParsedSection | undefined;
  let option: (ParsedOption & { block: boolean }) | undefined;
  const finish = () => {
    if (option) option.value = finishValue(option.value);
    option = undefined;
  };

  lines.forEach((raw, index) => {
    const lineno = index + 1;
    const first = raw[0];
    if (first === "#" || first === ";") return; // column-0 comment
    if (isSpace(first) && current && option) {
      const text = option.block ? raw.trimEnd() : raw.trim();
      if (!option.block && !text) return;
      option.value += "\n" + text;
      return;
    }
    const body = raw.replace(/\r?\n$/, "");
    const header = HEADER.exec(body);
    if (header) {
      finish();
      const expr = (header[2] ?? "").trim();
      current = { name: header[1], line: lineno, options: [] };
      if (expr) {
        current.condition = expr.replaceAll("\\x23", "#").replaceAll(
          "\\x3b",
          ";",
        );
      }
      sections.push(current);
      return;
    }
    if (!current) {
      if (!body.trim()) return;
      throw new UserError(
        `File contains no section headers.\nfile: ${filename}, line: ${lineno}\n${
          pyRepr(raw)
        }`,
      );
    }
    const parsed = parseOptionLine(body);
    if (parsed) {
      finish();
      option = { ...parsed, line: lineno, block: parsed.value === "" };
      current.options.push(option);
      return;
    }
    if (!option && !body.trim()) return; // blank line before any option
    errors.push(`\n\t[line ${String(lineno).padStart(2)}]: ${pyRepr(raw)}`);
  });
  finish();
  if (errors.length) {
    throw new UserError(
      `File contains parsing errors: ${filename}${errors.join("")}`,
    );
  }
  for (const s of sections) {
    for (const o of s.options) delete (o as { block?: boolean }).block;
  }
  return { filename, sections };
}

/**
 * Parse one option line (no continuation): `key = v`, `key += v`, `key -= v`, `key: v`,
 * `=> a b` (shorthand for `<part-dependencies> = a b`). `undefined` when it is not one.
 *
 * @example
 * ```ts
 * parseOptionLine("k+=v"); // { key: "k", op: "+=", value: "v" }
 * parseOptionLine("x y = 2"); // undefined
 * ```
 */
export function parseOptionLine(
  line: string,
): { key: string; op: Op; value: string } | undefined {
  if (line.startsWith("=>")) line = "<part-dependencies> = " + line.slice(2);
  const m = OPTION.exec(line);
  if (m) {
    const op: Op = m[2] === "+" ? "+=" : m[2] === "-" ? "-=" : "=";
    return { key: m[1], op, value: m[3].trim() };
  }
  const c = COLON_OPTION.exec(line);
  if (c) return { key: c[1], op: "=", value: c[2].trim() };
  return undefined;
}

/**
 * Parse text into plain section records, merging repeated sections in file order and applying
 * `+=`/`-=` within the file; conditional sections are kept only when `keep(expr)` says so
 * (default: dropped). For files such as `.installed.cfg`.
 *
 * @example
 * ```ts
 * parseSections("[buildout]\nparts = a\n[buildout]\nparts = b\n", ".installed.cfg");
 * // { buildout: { parts: "b" } }
 * ```
 */
export function parseSections(
  text: string,
  filename: string,
  keep: (condition: string) => boolean = () => false,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const s of parseConfig(text, filename).sections) {
    if (s.condition !== undefined && !keep(s.condition)) continue;
    const target = out[s.name] ??= {};
    for (const o of s.options) {
      target[o.key] = applyOp(target[o.key], o.op, o.value);
    }
  }
  return out;
}

/**
 * Apply one operator line-wise, as buildout does: `=` replaces; `+=` appends the lines to the
 * base's lines (an empty base is one empty line, so `""` plus `a` is `"\na"`); `-=` drops
 * every base line equal to one of the given lines. With no base, `+=` acts as `=` and `-=`
 * gives `''`.
 *
 * @example
 * ```ts
 * applyOp("a\nb", "+=", "c"); // "a\nb\nc"
 * applyOp("", "+=", "c"); // "\nc"
 * applyOp(undefined, "+=", "c"); // "c"
 * applyOp("a\nb", "-=", "a"); // "b"
 * ```
 */
export function applyOp(
  base: string | undefined,
  op: Op,
  value: string,
): string {
  if (op === "=") return value;
  if (base === undefined) return op === "+=" ? value : "";
  const baseLines = base.split("\n");
  const lines = value.split("\n");
  if (op === "+=") return [...baseLines, ...lines].join("\n");
  return baseLines.filter((l) => !lines.includes(l)).join("\n");
}

function splitLines(text: string): string[] {
  const out = text.split(/(?<=\n)/);
  if (out.length && out[out.length - 1] === "") out.pop();
  return out;
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

/** Mode B values (nothing after `=`): dedent, drop trailing whitespace and leading blank lines. */
function finishValue(value: string): string {
  if (!isSpace(value[0])) return value;
  return dedent(value.trimEnd()).replace(LEADING_BLANK_LINES, "");
}

function dedent(text: string): string {
  const lines = text.split("\n");
  let margin: string | undefined;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (margin === undefined) margin = indent;
    else {
      let i = 0;
      while (
        i < margin.length && i < indent.length && margin[i] === indent[i]
      ) {
        i++;
      }
      margin = margin.slice(0, i);
    }
  }
  const cut = margin?.length ?? 0;
  return lines.map((l) => (l.trim() ? l.slice(cut) : "")).join("\n");
}
