/**
 * `.installed.cfg`: what the last run installed, in buildout's format, read
 * with the configuration parser and always written whole and atomically
 * (temporary file + rename), so a killed run never leaves it half written.
 *
 * @module
 */
import { writeFileAtomic } from "../fsutil.ts";
import { parseConfig } from "../config/parse.ts";

/** The recorded state of a buildout. */
export interface InstalledState {
  /** Recorded parts, in install order (uninstall walks it in reverse). */
  parts: string[];
  /** Files created in develop-eggs (`installed_develop_eggs`). */
  developEggs: string[];
  /** Per part: its options, `__buildout_installed__`, `__buildout_signature__`. */
  sections: Map<string, Record<string, string>>;
}

/** The option holding the paths a part created, one per line. */
export const INSTALLED_KEY = "__buildout_installed__";
/** The option holding a part's recipe signature. */
export const SIGNATURE_KEY = "__buildout_signature__";

const TOKENS: [string, string][] = [
  [" ", "%(__buildout_space__)s"],
  ["\r", "%(__buildout_space_r__)s"],
  ["\f", "%(__buildout_space_f__)s"],
  ["\v", "%(__buildout_space_v__)s"],
  ["\n", "%(__buildout_space_n__)s"],
  // Not in zc.buildout (which loses such tabs): keeps them exact.
  ["\t", "%(__buildout_space_t__)s"],
];

function quoteSpace(s: string): string {
  let out = s;
  for (const [ch, token] of TOKENS) out = out.split(ch).join(token);
  return out;
}

/**
 * Encode a value for `.installed.cfg`: newlines become `\n\t` continuation
 * lines; whitespace that the parser would strip (around line breaks, at the
 * ends, blank lines) becomes `%(__buildout_space...)s` tokens.
 *
 * @example
 * ```ts
 * encodeValue("a\n  b"); // "a\n\t%(__buildout_space__)s%(__buildout_space__)sb"
 * encodeValue("\nx"); // "%(__buildout_space_n__)sx"
 * ```
 */
export function encodeValue(value: string): string {
  let v = value.replace(
    /[ \t\r\f\v]*\n[ \t\r\f\v\n]*|^[ \t\r\f\v]+|[ \t\r\f\v]+$/g,
    (m) => {
      const nl = m.indexOf("\n");
      if (nl < 0) return quoteSpace(m);
      return quoteSpace(m.slice(0, nl)) + "\n\t" + quoteSpace(m.slice(nl + 1));
    },
  );
  if (v.startsWith("\n\t")) v = "%(__buildout_space_n__)s" + v.slice(2);
  if (v.endsWith("\n\t")) v = v.slice(0, -2) + "%(__buildout_space_n__)s";
  return v;
}

/**
 * Decode the `%(__buildout_space...)s` tokens of a value read back.
 *
 * @example
 * ```ts
 * decodeValue("a\n%(__buildout_space__)sb"); // "a\n b"
 * ```
 */
export function decodeValue(value: string): string {
  if (!value.includes("%(")) return value;
  let out = value;
  for (const [ch, token] of TOKENS) out = out.split(token).join(ch);
  return out;
}

/**
 * One section in `.installed.cfg` form: `[name]`, then sorted `key = value`
 * lines with encoded values.
 *
 * @example
 * ```ts
 * formatSection("a", { x: "1\n2" }); // "[a]\nx = 1\n\t2\n"
 * ```
 */
export function formatSection(
  name: string,
  options: Record<string, string>,
): string {
  const lines = [`[${name}]`];
  for (const key of Object.keys(options).sort()) {
    lines.push(`${key} = ${encodeValue(options[key])}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * Render the whole file: `[buildout]` then one section per part, in `parts`
 * order, keys sorted, sections separated by a blank line.
 *
 * @example
 * ```ts
 * formatInstalled({ parts: ["a"], developEggs: [], sections: new Map([["a", { recipe: "mkdir" }]]) });
 * // "[buildout]\ninstalled_develop_eggs = \nparts = a\n\n[a]\nrecipe = mkdir\n"
 * ```
 */
export function formatInstalled(state: InstalledState): string {
  const out = [formatSection("buildout", {
    installed_develop_eggs: state.developEggs.join("\n"),
    parts: state.parts.join(" "),
  })];
  for (const part of state.parts) {
    const options = state.sections.get(part);
    if (options) out.push(formatSection(part, options));
  }
  return out.join("\n");
}

/**
 * Parse `.installed.cfg` text (sections repeated later win, as in buildout's
 * append-only files).
 *
 * @example
 * ```ts
 * parseInstalled("[buildout]\nparts = a\n\n[a]\nrecipe = mkdir\n", ".installed.cfg").parts; // ["a"]
 * ```
 */
export function parseInstalled(text: string, filename: string): InstalledState {
  const parsed = parseConfig(text, filename);
  const sections = new Map<string, Record<string, string>>();
  for (const section of parsed.sections) {
    const rec = sections.get(section.name) ?? {};
    for (const opt of section.options) rec[opt.key] = decodeValue(opt.value);
    sections.set(section.name, rec);
  }
  const b = sections.get("buildout") ?? {};
  sections.delete("buildout");
  const split = (v: string | undefined) =>
    (v ?? "").split(/\s+/).filter((s) => s);
  return {
    parts: split(b.parts),
    developEggs: (b.installed_develop_eggs ?? "").split("\n").filter((s) => s),
    sections,
  };
}

/**
 * Read `.installed.cfg`; an empty state when the file does not exist or `path` is `""`
 * (`installed =`: no installation database, as in buildout).
 *
 * @example
 * ```ts
 * const state = await readInstalled("/abs/.installed.cfg");
 * ```
 */
export async function readInstalled(path: string): Promise<InstalledState> {
  if (!path) return { parts: [], developEggs: [], sections: new Map() };
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      return { parts: [], developEggs: [], sections: new Map() };
    }
    throw err;
  }
  return parseInstalled(text, path);
}

/**
 * Write `.installed.cfg` atomically; with no parts and no develop eggs left the
 * file is removed (as buildout does). Nothing at all when `path` is `""`.
 *
 * @example
 * ```ts
 * await writeInstalled("/abs/.installed.cfg", state);
 * ```
 */
export async function writeInstalled(
  path: string,
  state: InstalledState,
): Promise<void> {
  if (!path) return;
  if (!state.parts.length && !state.developEggs.length) {
    await Deno.remove(path).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
    return;
  }
  const text = formatInstalled(state);
  // Unchanged: nothing written, so a run with nothing to do needs no disk space.
  const now = await Deno.readTextFile(path).catch(() => undefined);
  if (now === text) return;
  // `.<name>.<random>.tmp`: what a killed run leaves is swept (journal.ts).
  await writeFileAtomic(path, text);
}
