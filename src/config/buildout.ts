/**
 * The resolved configuration as recipes see it: lazily initialized sections with
 * `${section:option}` substitution, a hook when a section finishes initializing, and
 * tracking of which options were read.
 *
 * @module
 */

import { doingSync, UserError } from "../errors.ts";
import { macroBase } from "./merge.ts";
import { pyRepr } from "../pyrepr.ts";
import { absolutePath, BUILDOUT_PATH_OPTIONS } from "./paths.ts";
import { missingSection, substitute } from "./substitute.ts";
import {
  COMPUTED_VALUE,
  DEFAULT_VALUE,
  type RawConfig,
  type RawSection,
  RECIPE_VALUE,
} from "./types.ts";

export type { RawConfig, RawOption, RawSection } from "./types.ts";

/** Callbacks of {@link Buildout}. */
export interface BuildoutHooks {
  /**
   * Called once per section (including `[buildout]`) after its substitutions and its
   * `<part-dependencies>`; the lifecycle constructs the section's recipe here.
   */
  onSectionInit?: (name: string, options: Options) => void;
}

type Seen = [string, string][];

/**
 * One section's options. Reading (`get`, `require`, `has`) and writing (`set`) mark an
 * option used; {@link Options.unused} lists configuration options nothing read.
 *
 * @example
 * ```ts
 * const opts = new Buildout(raw).section("app");
 * opts.require("recipe"); // "zc.recipe.egg" (or `Missing option: app:recipe`)
 * opts.set("location", "/w/parts/app");
 * opts.unused(); // ["typo-option"]
 * ```
 */
export class Options {
  readonly name: string;
  #buildout: Buildout;
  #raw: Map<string, string>;
  #sources: Map<string, string>;
  #cooked = new Map<string, string>();
  #data = new Map<string, string>();

  constructor(buildout: Buildout, name: string, raw: RawSection) {
    this.#buildout = buildout;
    this.name = name;
    this.#raw = new Map([...raw].map(([k, o]) => [k, o.value]));
    this.#sources = new Map([...raw].map(([k, o]) => [k, o.source]));
  }

  /** The substituted value, or `undefined` when the option does not exist. Marks it used. */
  get(key: string): string | undefined {
    return this.resolve(key, undefined);
  }

  /** The substituted value; `Missing option: S:k` when absent. */
  require(key: string): string {
    const v = this.get(key);
    if (v === undefined) {
      throw new UserError(`Missing option: ${this.name}:${key}`);
    }
    return v;
  }

  /** Set a value (visible to `${S:k}` and recorded); marks it used. */
  set(key: string, value: string): void {
    if (typeof value !== "string") {
      throw new TypeError(`Option values must be strings: ${this.name}:${key}`);
    }
    this.#data.set(key, value);
  }

  /** Whether the option exists (an existing option is marked used, as in buildout). */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Remove an option; false when it did not exist. */
  delete(key: string): boolean {
    const had = this.#raw.has(key) || this.#data.has(key);
    this.#raw.delete(key);
    this.#cooked.delete(key);
    this.#data.delete(key);
    return had;
  }

  /** Configured keys, then keys set at run time. */
  keys(): string[] {
    return [
      ...this.#raw.keys(),
      ...[...this.#data.keys()].filter((k) => !this.#raw.has(k)),
    ];
  }

  /**
   * Every option with substitutions applied and run-time values on top, without marking
   * anything used (for `.installed.cfg` and the `-vv` dump).
   */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.#raw) out[k] = this.#cooked.get(k) ?? v;
    for (const [k, v] of this.#data) out[k] = v;
    return out;
  }

  /** Configured options (not built-in defaults) that nothing read or set, sorted. */
  unused(): string[] {
    return [...this.#raw.keys()].filter((k) =>
      !this.#data.has(k) &&
      this.#sources.get(k) !== DEFAULT_VALUE &&
      this.#sources.get(k) !== COMPUTED_VALUE
    ).sort();
  }

  /** The value before substitution (or as set), without marking it used. */
  raw(key: string): string | undefined {
    return this.#data.get(key) ?? this.#raw.get(key);
  }

  /** @internal Substitute every option containing `${`, in sorted order (not marking them used). */
  _cookAll(): void {
    for (const key of [...this.#raw.keys()].sort()) {
      const v = this.#raw.get(key)!;
      if (!v.includes("${")) continue;
      doingSync(`Getting option ${this.name}:${key}.`, () => {
        const cooked = this.#substitute(v, [[this.name, key]]);
        this.#cooked.set(key, this.#finish(key, cooked));
      });
    }
  }

  /** @internal `get` with the chain of options being resolved (cycle detection). */
  resolve(key: string, seen: Seen | undefined): string | undefined {
    const known = this.#data.get(key);
    if (known !== undefined) return known;
    let v = this.#cooked.get(key) ?? this.#raw.get(key);
    if (v === undefined) return undefined;
    if (v.includes("${")) {
      const chain = seen ?? [];
      const text = v;
      v = doingSync(`Getting option ${this.name}:${key}.`, () => {
        // The While: lines show the whole chain, ending with the option met again.
        if (chain.some(([s, o]) => s === this.name && o === key)) {
          throw new UserError("Circular reference in substitutions.");
        }
        chain.push([this.name, key]);
        try {
          return this.#finish(key, this.#substitute(text, chain));
        } finally {
          chain.pop();
        }
      });
    }
    this.#data.set(key, v);
    return v;
  }

  /** `[buildout]` path options that held `${...}` are made absolute once substituted. */
  #finish(key: string, value: string): string {
    if (this.name !== "buildout" || !BUILDOUT_PATH_OPTIONS.includes(key)) {
      return value;
    }
    const directory = key === "directory" ? undefined : this.get("directory");
    return absolutePath(value, directory);
  }

  #substitute(value: string, seen: Seen): string {
    return substitute(
      value,
      this.name,
      (s, o) => this.#buildout.section(s).resolve(o, seen),
    );
  }
}

/**
 * All sections, initialized on first access: options containing `${` are substituted (sorted
 * by name), `<part-dependencies>` (`=>`) are initialized, then `onSectionInit` runs and the
 * name is appended to `initOrder`.
 *
 * @example
 * ```ts
 * const b = new Buildout(raw, { onSectionInit: (name, o) => console.log(name) });
 * b.section("buildout").require("parts");
 * b.initOrder; // ["buildout"]
 * ```
 */
export class Buildout {
  /** Sections in the order they finished initializing. */
  readonly initOrder: string[] = [];
  #raw: RawConfig;
  #sections = new Map<string, Options>();
  #hooks: BuildoutHooks;

  constructor(raw: RawConfig, hooks: BuildoutHooks = {}) {
    this.#raw = raw;
    this.#hooks = hooks;
  }

  /** A section's options, initializing it first; `The referenced section, 'x', was not defined.` */
  section(name: string): Options {
    return doingSync(`Getting section ${name}.`, () => {
      const known = this.#sections.get(name);
      if (known) return known;
      const raw = this.#raw.get(name);
      if (!raw) throw missingSection(name);
      const options = new Options(this, name, raw);
      this.#sections.set(name, options);
      doingSync(
        `Initializing section ${name}.`,
        () => this.#initialize(options),
      );
      return options;
    });
  }

  /** Whether a section exists (without initializing it). */
  has(name: string): boolean {
    return this.#raw.has(name);
  }

  /** Section names in configuration order. */
  names(): string[] {
    return [...this.#raw.keys()];
  }

  /** Whether a section has been accessed (initialized or initializing). */
  isInitialized(name: string): boolean {
    return this.#sections.has(name);
  }

  /** The merged configuration before substitution (for `annotate`). */
  get rawConfig(): RawConfig {
    return this.#raw;
  }

  /**
   * A value before substitution, without initializing the section or marking anything used
   * (for `query`).
   */
  rawValue(section: string, option: string): string | undefined {
    return this.#raw.get(section)?.get(option)?.value;
  }

  /**
   * Add a section at run time (meta-recipes) and initialize it; `<` macros apply. Throws when
   * the section exists.
   *
   * @example
   * ```ts
   * buildout.addSection("generated", { recipe: "mkdir", paths: "var" });
   * ```
   */
  addSection(name: string, record: Record<string, string>): Options {
    if (this.#raw.has(name)) {
      throw new UserError(`Section already exists: ${pyRepr(name)}`);
    }
    const own: RawSection = new Map(
      Object.entries(record).map((
        [k, v],
      ) => [k, {
        value: String(v),
        source: RECIPE_VALUE,
        history: [{ op: "SET", value: String(v), source: RECIPE_VALUE }],
      }]),
    );
    let section = own;
    if (name !== "buildout" && own.has("<")) {
      section = macroBase(own.get("<")!.value, (n) => this.#raw.get(n));
      for (const [k, v] of own) if (k !== "<") section.set(k, v);
    }
    this.#raw.set(name, section);
    return this.section(name);
  }

  #initialize(options: Options): void {
    options._cookAll();
    if (options.name !== "buildout") {
      const deps = options.get("<part-dependencies>") ?? "";
      for (const dep of deps.split(/\s+/).filter(Boolean)) this.section(dep);
    }
    this.#hooks.onSectionInit?.(options.name, options);
    this.initOrder.push(options.name);
  }
}
