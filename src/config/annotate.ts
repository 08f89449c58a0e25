/**
 * Buildout's `annotate` output: every merged value (raw, before substitution) and where it
 * came from. Pure formatting of a {@link RawConfig}.
 *
 * @module
 */

import { isAbsolute, relative } from "../path.ts";
import {
  COMMAND_LINE_VALUE,
  COMPUTED_VALUE,
  DEFAULT_VALUE,
  type HistoryEntry,
  type RawConfig,
} from "./types.ts";

/** Options of {@link formatAnnotate} and {@link annotateJson}. */
export interface AnnotateOptions {
  /** Sources inside this directory are shown relative to it. */
  directory?: string;
  /** Only these sections (all when empty or absent). */
  sections?: string[];
  /** `-v annotate`: the full history, newest first. */
  verbose?: boolean;
}

/**
 * A source as shown to people: a path inside `directory` relative to it, others unchanged.
 *
 * @example
 * ```ts
 * sourceForHuman("/w/base.cfg", "/w"); // "base.cfg"
 * sourceForHuman("DEFAULT_VALUE", "/w"); // "DEFAULT_VALUE"
 * ```
 */
export function sourceForHuman(source: string, directory?: string): string {
  if (!directory || !isAbsolute(source)) return source;
  const rel = relative(directory, source);
  return rel.startsWith("..") || isAbsolute(rel) ? source : rel;
}

/**
 * The text `buildout annotate` prints (lines joined with `\n`, no final newline).
 *
 * @example
 * ```ts
 * formatAnnotate(raw, { directory: "/w" });
 * // "\nAnnotated sections\n==================\n\n[buildout]\nparts= app\n    buildout.cfg..."
 * ```
 */
export function formatAnnotate(
  raw: RawConfig,
  o: AnnotateOptions = {},
): string {
  const title = "Annotated sections";
  const out: string[] = ["", title, "=".repeat(title.length)];
  for (const name of chosen(raw, o.sections)) {
    out.push("", `[${name}]`);
    const section = raw.get(name)!;
    for (const key of [...section.keys()].sort()) {
      const opt = section.get(key)!;
      out.push(...keyLines(key, opt.value));
      if (o.verbose) out.push(...verboseLines(opt.history, o.directory));
      else out.push(...terseLines(opt.history, o.directory));
    }
  }
  return out.join("\n");
}

/** One entry of the JSON form. */
export interface AnnotatedOption {
  value: string;
  /** The history, oldest first; sources as in {@link sourceForHuman}. */
  sources: HistoryEntry[];
}

/**
 * `annotate --json`: `{ section: { option: { value, sources: [{ op, value, source }] } } }`,
 * sections and options sorted.
 *
 * @example
 * ```ts
 * annotateJson(raw, { directory: "/w" }).buildout.parts.value; // "app"
 * ```
 */
export function annotateJson(
  raw: RawConfig,
  o: AnnotateOptions = {},
): Record<string, Record<string, AnnotatedOption>> {
  const out: Record<string, Record<string, AnnotatedOption>> = {};
  for (const name of chosen(raw, o.sections)) {
    const section = raw.get(name)!;
    const entries: Record<string, AnnotatedOption> = {};
    for (const key of [...section.keys()].sort()) {
      const opt = section.get(key)!;
      entries[key] = {
        value: opt.value,
        sources: opt.history.map((h) => ({
          ...h,
          source: sourceForHuman(h.source, o.directory),
        })),
      };
    }
    out[name] = entries;
  }
  return out;
}

function chosen(raw: RawConfig, sections?: string[]): string[] {
  const names = [...raw.keys()].sort();
  return sections?.length ? names.filter((n) => sections.includes(n)) : names;
}

function keyLines(key: string, value: string): string[] {
  const lines = splitLines(value);
  if (lines.length <= 1) return [value ? `${key}= ${value}` : `${key}=`];
  return [`${key}= ${lines[0]}`, ...lines.slice(1)];
}

/** Sources back to the last plain assignment: `    src`, `+=  src`, `-=  src`. */
function terseLines(history: HistoryEntry[], directory?: string): string[] {
  const out: string[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    const source = sourceForHuman(h.source, directory);
    if (h.op === "ADD") out.push("+=  " + source);
    else if (h.op === "REMOVE") out.push("-=  " + source);
    else {
      out.push("    " + source);
      break;
    }
  }
  return out.reverse().filter((l) => l.trim());
}

function verboseLines(history: HistoryEntry[], directory?: string): string[] {
  const out = [""];
  for (const h of [...history].reverse()) {
    const label = [DEFAULT_VALUE, COMPUTED_VALUE, COMMAND_LINE_VALUE].includes(
        h.source,
      )
      ? "AS"
      : "IN";
    out.push(`   ${label} ${sourceForHuman(h.source, directory)}`);
    const lines = splitLines(h.value);
    if (lines.length <= 1) out.push(`   ${h.op} VALUE = ${h.value}`);
    else out.push(`   ${h.op} VALUE =`, ...lines.map((l) => `      ${l}`));
  }
  out.push("");
  return out;
}

/** Python's `str.splitlines()` for `\n`/`\r\n` text. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return text === "" ? [] : lines;
}
