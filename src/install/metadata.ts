/**
 * Installed distributions: reading an egg folder's metadata (`EGG-INFO/` or a
 * `.dist-info`) into an {@link InstalledDist}. Metadata files are read lazily,
 * synchronously, on first use, so scanning a large eggs directory stays cheap.
 *
 * @module
 */

import { basename, join } from "../path.ts";
import { sha256Hex } from "../sha256.ts";
import { UserError } from "../errors.ts";
import type { MarkerEnv } from "../pypa/markers.ts";
import type { Interpreter } from "../python/interpreter.ts";
import { parseDistFilename } from "../pypa/filename.ts";
import type { EggFacts } from "./facts.ts";
import { isLoadedMetadata, isRequirements, isStrings } from "./fact_shapes.ts";
import type { NameKind } from "../pypa/toplevel.ts";
import { normalizeName } from "../pypa/name.ts";
import type { Requirement } from "../pypa/requirement.ts";
import {
  type Dependencies,
  describeProblem,
  parseEntryPoints,
  parseHeaders,
  parseMetadata,
  parseRequiresTxt,
  requirementsFor,
} from "../pypa/metadata.ts";

/** What installing and reading metadata need to know of the target Python. */
export type TargetPython = Pick<
  Interpreter,
  "executable" | "pyVersion" | "platform" | "markerEnv"
>;

/** An installed distribution (an egg folder in the eggs directory). */
export interface InstalledDist {
  name: string;
  key: string;
  version: string;
  /** The `sys.path` entry (the egg folder). */
  location: string;
  /** Requirements for the base distribution plus `extras`, markers evaluated. */
  requires(extras?: string[]): Requirement[];
  /** `name -> "module:attr"` of one entry-point group (e.g. `console_scripts`). */
  entryPoints(group: string): Record<string, string>;
  /** Extras the distribution declares (normalised). */
  extras(): string[];
  /**
   * What in its metadata could not be parsed and was skipped (bad
   * `Requires-Dist` or `requires.txt` lines, malformed headers), one warning
   * line each, naming the distribution.
   */
  problems(): string[];
  /** A develop egg (a source folder used in place): wins, never "picked", first on `sys.path`. */
  develop?: boolean;
  /** The URLs of an egg-info's `dependency_links.txt` (none for `.dist-info`). */
  dependencyLinks?(): string[];
  /**
   * A fact derived from the folder's files (plain JSON data, not to be
   * changed), remembered for later runs when the folder is an installed egg
   * (see {@link EggFacts}); computed each time otherwise. A remembered value
   * `valid` refuses is computed again.
   */
  remember<T>(
    field: string,
    compute: () => T,
    valid: (v: unknown) => boolean,
  ): T;
}

/** Name, version and raw text of a METADATA / PKG-INFO file. */
export interface CoreMetadata {
  name: string;
  version: string;
  metadataText: string;
}

/** Name and version only: the requirements are parsed when they are asked for. */
function readCore(file: string, text: string): CoreMetadata {
  const { headers } = parseHeaders(text);
  const name = headers.name?.[0];
  const version = headers.version?.[0];
  if (!name || !version) {
    throw new UserError(`${file} has no Name or Version.`);
  }
  return { name, version, metadataText: text };
}

/**
 * Read `<dir>/METADATA` of a `.dist-info` folder, or parse its `text` when
 * the caller has it already (read while unpacking).
 *
 * @example
 * ```ts
 * readDistInfoFile("/w/demo-1.0.dist-info", "demo-1.0-py3-none-any.whl").name; // "demo"
 * ```
 */
export function readDistInfoFile(
  dir: string,
  label: string,
  text?: string,
): CoreMetadata {
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync(join(dir, "METADATA"));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new UserError(`${label} is damaged: it has no METADATA file.`);
      }
      throw e;
    }
  }
  return readCore(`${label}: ${basename(dir)}/METADATA`, text);
}

/**
 * Read `<dir>/PKG-INFO` of an `EGG-INFO` folder.
 *
 * @example
 * ```ts
 * (await readEggInfoFile("/eggs/demo-0.2-py3.11.egg/EGG-INFO")).version; // "0.2"
 * ```
 */
export async function readEggInfoFile(dir: string): Promise<CoreMetadata> {
  const file = join(dir, "PKG-INFO");
  return readCore(file, await Deno.readTextFile(file));
}

type Source = { kind: "dist-info" | "egg-info"; dir: string };

/**
 * The texts of a `.dist-info` folder as a wheel was unpacked, so that the
 * installed egg folder is not read back from disk. Plain data (it crosses
 * from the wheel workers).
 */
export interface DistInfoTexts {
  /** The `.dist-info` folder's name, inside the egg folder. */
  dir: string;
  metadata: string;
  /** `entry_points.txt`; absent when the wheel has none. */
  entryPoints?: string;
  /** The top-level names of the unpacked files (`pypa/toplevel.ts`), as pairs. */
  topLevel?: [string, NameKind][];
}

function readOptional(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * The files of a metadata folder that `read` returns, when they are there:
 * the folder is listed once, since asking for a file that is not there costs
 * several times a listing (most wheels have no entry_points.txt).
 */
function presentFiles(dir: string): (name: string) => string | undefined {
  let names: Set<string>;
  try {
    names = new Set([...Deno.readDirSync(dir)].map((e) => e.name));
  } catch {
    return (name) => readOptional(join(dir, name));
  }
  return (name) => names.has(name) ? readOptional(join(dir, name)) : undefined;
}

function metadataSource(location: string): Source | undefined {
  let eggInfo: string | undefined;
  const entries = [...Deno.readDirSync(location)].map((e) => e.name).sort();
  for (const name of entries) {
    if (name.endsWith(".dist-info")) {
      return { kind: "dist-info", dir: join(location, name) };
    }
    if (name === "EGG-INFO" || (!eggInfo && name.endsWith(".egg-info"))) {
      eggInfo = join(location, name);
    }
  }
  return eggInfo ? { kind: "egg-info", dir: eggInfo } : undefined;
}

interface Loaded {
  name: string;
  deps: Dependencies;
  entryPoints: Record<string, Record<string, string>>;
  problems: string[];
}

const envKeys = new WeakMap<MarkerEnv, string>();

/** A short name of a marker environment (a hash of its values). */
function envKey(env: MarkerEnv): string {
  let key = envKeys.get(env);
  if (!key) {
    const sorted = Object.keys(env).sort().map((k) => [k, env[k]]);
    key = sha256Hex(JSON.stringify(sorted)).slice(0, 12);
    envKeys.set(env, key);
  }
  return key;
}

/** An egg folder; metadata is read on first use. */
class EggFolderDist implements InstalledDist {
  #loaded?: Loaded;
  #found?: Source | null;
  /** What the wheel's unpacking found, until remembered. */
  #topLevel?: [string, NameKind][];
  readonly key: string;

  constructor(
    readonly location: string,
    readonly version: string,
    private readonly fileName: string,
    private readonly env: MarkerEnv,
    private readonly source?: Source,
    readonly develop = false,
    private texts?: DistInfoTexts,
    private readonly facts?: EggFacts,
  ) {
    this.key = normalizeName(fileName);
    this.#topLevel = texts?.topLevel;
  }

  get name(): string {
    return this.load().name;
  }

  /** Where the metadata is: given, or found once by listing the folder. */
  #source(): Source | undefined {
    if (this.#found === undefined) {
      this.#found = this.source ?? metadataSource(this.location) ?? null;
    }
    return this.#found ?? undefined;
  }

  remember<T>(
    field: string,
    compute: () => T,
    valid: (v: unknown) => boolean,
  ): T {
    const known = field === "top-level" ? this.#topLevel : undefined;
    if (known) {
      this.#topLevel = undefined;
      compute = () => known as T;
    }
    return this.facts
      ? this.facts.remember(this.location, field, compute, valid)
      : compute();
  }

  private load(): Loaded {
    return this.#loaded ??= this.remember(
      "metadata",
      () => this.#read(),
      isLoadedMetadata,
    );
  }

  #read(): Loaded {
    const src = this.#source();
    if (!src) {
      // A folder without metadata: known by its name only, needs nothing.
      const deps = { requires: [], extras: [], problems: [] };
      const name = this.fileName;
      return { name, deps, entryPoints: {}, problems: [] };
    }
    const distInfo = src.kind === "dist-info";
    const texts = this.texts;
    // Parsed once: the text (a long description and all) is not kept.
    this.texts = undefined;
    const read = texts ? undefined : presentFiles(src.dir);
    const meta = parseMetadata(
      (texts ? texts.metadata : read!(distInfo ? "METADATA" : "PKG-INFO")) ??
        "",
    );
    // Only what is remembered (not the headers: classifiers and all).
    const deps: Dependencies = distInfo
      ? { requires: meta.requires, extras: meta.extras, problems: [] }
      : parseRequiresTxt(read?.("requires.txt") ?? "");
    if (!distInfo) deps.extras.push(...meta.extras);
    const entryPoints = parseEntryPoints(
      (texts ? texts.entryPoints : read!("entry_points.txt")) ?? "",
    );
    const name = meta.name ?? this.fileName;
    const found = distInfo
      ? meta.problems
      : [...meta.problems, ...deps.problems];
    const problems = found.map((p) =>
      describeProblem(p, `${name} ${this.version}`)
    );
    return { name, deps, entryPoints, problems };
  }

  problems(): string[] {
    return [...this.load().problems];
  }

  requires(extras: string[] = []): Requirement[] {
    // Remembered with the markers evaluated, for this interpreter's markers.
    const field = `requires:${envKey(this.env)}:${extras.join(",")}`;
    return this.remember(
      field,
      () => requirementsFor(this.load().deps, extras, this.env),
      isRequirements,
    ).map((r) => ({ ...r, extras: [...r.extras] }));
  }

  extras(): string[] {
    const all = this.load().deps.extras.map(normalizeName);
    return [...new Set(all)].sort();
  }

  entryPoints(group: string): Record<string, string> {
    return { ...this.load().entryPoints[group] };
  }

  dependencyLinks(): string[] {
    return [
      ...this.remember("dependency-links", () => this.#readLinks(), isStrings),
    ];
  }

  #readLinks(): string[] {
    const src = this.#source();
    if (src?.kind !== "egg-info") return [];
    const text = readOptional(join(src.dir, "dependency_links.txt")) ?? "";
    return text.split("\n").map((l) => l.trim()).filter(Boolean);
  }
}

/**
 * The installed distribution in egg folder `location`, or `undefined` when its
 * name is not an egg name (`<name>-<version>[-py<X.Y>[-<platform>]].egg`).
 * `texts`: its `.dist-info` as just unpacked (then not read from disk);
 * `facts`: where what is read from it is remembered for later runs.
 *
 * @example
 * ```ts
 * const d = readInstalledDist("/eggs/demo-0.2-py3.11.egg", interp.markerEnv);
 * d?.requires(); // [{ name: "demoneeded", ... }]
 * ```
 */
export function readInstalledDist(
  location: string,
  env: MarkerEnv,
  texts?: DistInfoTexts,
  facts?: EggFacts,
): InstalledDist | undefined {
  const file = parseDistFilename(basename(location));
  if (file?.kind !== "egg") return undefined;
  const source: Source | undefined = texts && {
    kind: "dist-info",
    dir: join(location, texts.dir),
  };
  const { version, name } = file;
  return new EggFolderDist(
    location,
    version,
    name,
    env,
    source,
    false,
    texts,
    facts,
  );
}

/**
 * The develop egg of project `key` whose `<Name>.egg-info` is in `location`
 * (a source folder), or `undefined` when there is none.
 *
 * @example
 * ```ts
 * readEggFolderDist("/b/src/myapp", "myapp", interp.markerEnv)?.develop; // true
 * ```
 */
export function readEggFolderDist(
  location: string,
  key: string,
  env: MarkerEnv,
): InstalledDist | undefined {
  for (const e of Deno.readDirSync(location)) {
    if (!e.name.endsWith(".egg-info")) continue;
    const dir = join(location, e.name);
    const meta = parseMetadata(readOptional(join(dir, "PKG-INFO")) ?? "");
    const name = meta.name ?? e.name.slice(0, -".egg-info".length);
    if (normalizeName(name) !== key || !meta.version) continue;
    const source: Source = { kind: "egg-info", dir };
    return new EggFolderDist(location, meta.version, name, env, source, true);
  }
  return undefined;
}
