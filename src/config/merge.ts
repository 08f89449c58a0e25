/**
 * Merging configuration layers (defaults, user defaults, files, command line) into a
 * {@link RawConfig} with history, `+=`/`-=` applied line-wise, and `<=` macros. Pure.
 *
 * A layer is one source. Within a layer, a key's `=` (last one wins) cancels any earlier
 * `+=`/`-=` of that layer; then its adds and then its removes apply, against the value of the
 * lower layers. With no base, `+=` acts as `=` and `-=` gives `''`.
 *
 * @module
 */

import { doingSync, UserError } from "../errors.ts";
import { applyOp, type Op, type ParsedFile } from "./parse.ts";
import { pyRepr } from "../pyrepr.ts";
import {
  COMMAND_LINE_VALUE,
  COMPUTED_VALUE,
  DEFAULT_VALUE,
  type HistoryEntry,
  IMPLICIT_VALUE,
  type RawConfig,
  type RawOption,
  type RawSection,
} from "./types.ts";

/** What one layer does to one key. */
export interface LayerEntry {
  source: string;
  set?: string;
  add: string[];
  remove: string[];
}

/** One source's sections: section -> key -> entry. Sections may be empty. */
export type Layer = Map<string, Map<string, LayerEntry>>;

/** Every layer's entries, lowest priority first, per section and key. */
export type Stack = Map<string, Map<string, LayerEntry[]>>;

/**
 * Record one operation of `source` in a layer.
 *
 * @example
 * ```ts
 * const layer: Layer = new Map();
 * addToLayer(layer, "buildout", "parts", "+=", "a", "/w/buildout.cfg");
 * ```
 */
export function addToLayer(
  layer: Layer,
  section: string,
  key: string,
  op: Op,
  value: string,
  source: string,
): void {
  let sec = layer.get(section);
  if (!sec) layer.set(section, sec = new Map());
  let entry = sec.get(key);
  if (!entry) sec.set(key, entry = { source, add: [], remove: [] });
  if (op === "=") {
    entry.set = value;
    entry.add = [];
    entry.remove = [];
  } else if (op === "+=") entry.add.push(value);
  else entry.remove.push(value);
}

/**
 * A layer from a parsed file; blocks for which `keep` is false (false conditions) are left out.
 *
 * @example
 * ```ts
 * layerFromParsed(parseConfig("[a]\nx = 1\n", "/w/a.cfg"), "/w/a.cfg");
 * ```
 */
export function layerFromParsed(
  file: ParsedFile,
  source: string,
  keep: (section: ParsedFile["sections"][number]) => boolean = () => true,
): Layer {
  const layer: Layer = new Map();
  for (const block of file.sections) {
    if (!keep(block)) continue;
    if (!layer.has(block.name)) layer.set(block.name, new Map());
    for (const o of block.options) {
      addToLayer(layer, block.name, o.key, o.op, o.value, source);
    }
  }
  return layer;
}

/**
 * A layer of plain `=` assignments (built-in defaults, computed values).
 *
 * @example
 * ```ts
 * layerFromRecord({ buildout: { "bin-directory": "bin" } }, "DEFAULT_VALUE");
 * ```
 */
export function layerFromRecord(
  record: Record<string, Record<string, string>>,
  source: string,
): Layer {
  const layer: Layer = new Map();
  for (const [section, options] of Object.entries(record)) {
    layer.set(section, new Map());
    for (const [k, v] of Object.entries(options)) {
      addToLayer(layer, section, k, "=", v, source);
    }
  }
  return layer;
}

/** Layers made only of built-in values (defaults, the computed `directory`). */
function isBuiltIn(layer: Layer): boolean {
  for (const keys of layer.values()) {
    for (const e of keys.values()) {
      if (e.source !== DEFAULT_VALUE && e.source !== COMPUTED_VALUE) {
        return false;
      }
    }
  }
  return true;
}

/**
 * Stack layers, lowest priority first. As in buildout, a `+=`/`-=` on an option that no lower
 * layer has, in a section a lower layer already has, works on an empty `IMPLICIT_VALUE` (so
 * `k += a` gives `"\na"`); lower layers here are the user defaults and configuration files
 * (for the command line, the built-in defaults too). Otherwise `+=` acts as `=`.
 *
 * @example
 * ```ts
 * const stack = stackLayers([defaults, userDefaults, ...files, commandLine]);
 * ```
 */
export function stackLayers(layers: Layer[]): Stack {
  const stack: Stack = new Map();
  /** Sections some earlier non-built-in layer has. */
  const seen = new Set<string>();
  for (const layer of layers) {
    for (const [name, keys] of layer) {
      let sec = stack.get(name);
      if (!sec) stack.set(name, sec = new Map());
      for (const [key, entry] of keys) {
        const list = sec.get(key);
        if (list) list.push(entry);
        else {
          const lower = seen.has(name) ||
            (entry.source === COMMAND_LINE_VALUE && sec.size > 0);
          const implicit = lower && entry.set === undefined;
          sec.set(key, implicit ? [implicitEntry(), entry] : [entry]);
        }
      }
    }
    if (!isBuiltIn(layer)) { for (const name of layer.keys()) seen.add(name); }
  }
  return stack;
}

function implicitEntry(): LayerEntry {
  return { source: IMPLICIT_VALUE, set: "", add: [], remove: [] };
}

/**
 * Apply a key's layer entries on top of a base option.
 *
 * @example
 * ```ts
 * foldEntries(undefined, [{ source: "a", set: "x", add: ["y"], remove: [] }]).value; // "x\ny"
 * ```
 */
export function foldEntries(
  base: RawOption | undefined,
  entries: LayerEntry[],
): RawOption {
  let value = base?.value;
  const history: HistoryEntry[] = base ? [...base.history] : [];
  for (const e of entries) {
    if (e.source === IMPLICIT_VALUE && value !== undefined) continue;
    if (e.set !== undefined) {
      history.push({
        op: value === undefined ? "SET" : "OVERRIDE",
        value: e.set,
        source: e.source,
      });
      value = e.set;
    }
    if (e.add.length) {
      const added = e.add.join("\n");
      value = applyOp(value, "+=", added);
      history.push({ op: "ADD", value: added, source: e.source });
    }
    if (e.remove.length) {
      const removed = e.remove.join("\n");
      value = applyOp(value, "-=", removed);
      history.push({ op: "REMOVE", value: removed, source: e.source });
    }
  }
  return {
    value: value ?? "",
    source: history[history.length - 1]?.source ?? "",
    history,
  };
}

/**
 * Fold a stack into a {@link RawConfig} and apply `<=` macros: macro sections left to right
 * (recursively, raw values), then the section's own entries on top; the `<` key is removed
 * (except in `[buildout]`, where it stays a plain option).
 *
 * @example
 * ```ts
 * const raw = resolveStack(stackLayers([layer]));
 * raw.get("buildout")?.get("parts")?.value;
 * ```
 */
export function resolveStack(stack: Stack): RawConfig {
  const result: RawConfig = new Map();
  const resolving: string[] = [];
  const resolve = (name: string): RawSection => {
    const done = result.get(name);
    if (done) return done;
    if (resolving.includes(name)) {
      throw new UserError(`Infinite extending loop ${pyRepr(name)}`);
    }
    const keys = stack.get(name)!;
    resolving.push(name);
    const macro = name !== "buildout" && keys.has("<");
    const base: RawSection = macro
      ? doingSync(
        `Loading input sections for ${pyRepr(name)}`,
        () =>
          macroBase(foldEntries(undefined, keys.get("<")!).value, (n) => {
            if (!stack.has(n)) return undefined;
            return resolve(n);
          }),
      )
      : new Map();
    const section: RawSection = new Map(base);
    for (const [key, entries] of keys) {
      if (macro && key === "<") continue;
      section.set(key, foldEntries(base.get(key), entries));
    }
    resolving.pop();
    result.set(name, section);
    return section;
  };
  for (const name of stack.keys()) resolve(name);
  // keep the stack's section order
  return new Map([...stack.keys()].map((n) => [n, result.get(n)!]));
}

/**
 * The combined options of the macro sections named one per line in `names`, later ones
 * winning. `No section named 'x'` when one is missing.
 *
 * @example
 * ```ts
 * macroBase("base\nextra", (n) => raw.get(n));
 * ```
 */
export function macroBase(
  names: string,
  getSection: (name: string) => RawSection | undefined,
): RawSection {
  const base: RawSection = new Map();
  for (const line of names.split("\n")) {
    const name = line.trim();
    if (!name) continue;
    const section = getSection(name);
    if (!section) throw new UserError(`No section named ${pyRepr(name)}`);
    for (const [k, v] of section) {
      base.set(k, { ...v, history: [...v.history] });
    }
  }
  return base;
}
