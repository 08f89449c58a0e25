/**
 * mr.developer's `[sources]` section and its `[buildout]` options, read into
 * plain data: one {@link Source} per line `name = kind url [key=value ...]`.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** The repository kinds this tool can work with. */
export const KINDS = ["git", "fs"] as const;
/** One of {@link KINDS}. */
export type Kind = typeof KINDS[number];

/** One source: where it comes from, where it goes, its `key=value` options. */
export interface Source {
  name: string;
  kind: Kind;
  url: string;
  /** Absolute checkout folder. */
  path: string;
  /** `egg=false`: not a develop egg. */
  egg: boolean;
  /** The `key=value` options as written (path/full-path made absolute). */
  options: Record<string, string>;
}

/** `always-checkout`: never, update clean checkouts, or update dirty ones too. */
export type AlwaysCheckout = false | true | "force";
/** `update-git-submodules` (and a git source's `submodules=`). */
export type Submodules = "always" | "never" | "checkout";

/** Everything mr.developer reads from `[buildout]` and the sources section. */
export interface DevelopConfig {
  directory: string;
  sourcesDir: string;
  /** Sources in section order. */
  sources: Map<string, Source>;
  autoCheckout: Set<string>;
  alwaysCheckout: AlwaysCheckout;
  updateGitSubmodules: Submodules;
  alwaysAcceptServerCertificate: boolean;
  threads: number;
}

/** What {@link readDevelopConfig} reads through. */
export interface ConfigReader {
  /** A `[buildout]` option (substituted), undefined when unset. */
  buildout(key: string): string | undefined;
  /** The sources section's options in order, undefined when it does not exist. */
  section(name: string): [string, string][] | undefined;
  directory: string;
  log: Logger;
}

const TRUE = ["true", "yes", "on"];
const FALSE = ["false", "no", "off"];

/**
 * Parse a yes/no value as mr.developer does; undefined for anything else.
 *
 * @example
 * ```ts
 * parseBool("On"); // true
 * parseBool("maybe"); // undefined
 * ```
 */
export function parseBool(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  return undefined;
}

function abs(directory: string, p: string): string {
  return isAbsolute(p) ? p : join(directory, p);
}

/**
 * Parse one source line (`git URL branch=x egg=false`).
 *
 * @example
 * ```ts
 * parseSource("pkg", "git file:///r/pkg branch=dev", "/w", "/w/src", log);
 * // { name: "pkg", kind: "git", url: "file:///r/pkg", path: "/w/src/pkg", egg: true, options: { branch: "dev" } }
 * ```
 */
export function parseSource(
  name: string,
  line: string,
  directory: string,
  sourcesDir: string,
  log: Logger,
): Source {
  const info = line.split(/\s+/).filter(Boolean);
  // Trailing `key=value` items are options; a third bare item is a legacy path.
  const isOption = (s: string) => /^[a-zA-Z0-9-]+=/.test(s);
  let options = info.filter(isOption);
  const rest = info.filter((s) => !isOption(s));
  if (rest.length < 2) {
    throw new UserError(
      `The source definition of '${name}' needs at least the repository kind and URL.`,
    );
  }
  const [kind, url] = rest;
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new UserError(
      `Unknown repository type '${kind}' for source '${name}'.`,
    );
  }
  let path: string | undefined;
  if (rest.length > 2) {
    log.warn(`You should use 'path=${rest[2]}' to set the path.`);
    path = abs(directory, join(rest[2], name));
    options = [...rest.slice(3), ...options];
  }
  const opts: Record<string, string> = {};
  let egg = true;
  for (const item of options) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? "" : item.slice(0, eq);
    let value = item.slice(eq + 1);
    if (!key) throw new UserError(`Option with no name '${item}'.`);
    if (key in opts || (key === "path" && path)) {
      throw new UserError(`Key '${key}' already in source info.`);
    }
    if (key === "path") value = abs(directory, join(value, name));
    if (key === "full-path") value = abs(directory, value);
    if (key === "egg") {
      const b = parseBool(value);
      if (b === undefined) {
        throw new UserError(
          `Unknown value '${value}' for 'egg' of source '${name}'.`,
        );
      }
      egg = b;
    }
    if (key === "depth" && !/^\d+$/.test(value)) {
      throw new UserError("depth value needs to be a number.");
    }
    if (key === "update" && parseBool(value) === undefined) {
      throw new UserError(`Unknown value for 'update': ${value}`);
    }
    opts[key] = value;
  }
  checkKindOptions(name, kind as Kind, opts);
  path = opts.path ?? path ?? opts["full-path"] ?? join(sourcesDir, name);
  return { name, kind: kind as Kind, url, path, egg, options: opts };
}

function checkKindOptions(
  name: string,
  kind: Kind,
  opts: Record<string, string>,
): void {
  if (kind !== "git") return;
  if ("rev" in opts && "revision" in opts) {
    throw new UserError(
      `The source definition of '${name}' contains duplicate revision options.`,
    );
  }
  if ("revision" in opts) {
    opts.rev = opts.revision;
    delete opts.revision;
  }
  if ("branch" in opts && "rev" in opts) {
    throw new UserError(
      `Cannot specify both branch (${opts.branch}) and rev/revision (${opts.rev}) in source for ${name}`,
    );
  }
  if ("submodules" in opts) submodules(opts.submodules);
}

function submodules(value: string): Submodules {
  if (value === "always" || value === "never" || value === "checkout") {
    return value;
  }
  throw new UserError(
    `Unknown value '${value}' for update-git-submodules option.`,
  );
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  return q.length > 1
    ? `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`
    : q[0];
}

/**
 * Read the mr.developer options of `[buildout]` and its sources section
 * (`[buildout] sources`, default `sources`).
 *
 * @example
 * ```ts
 * const c = readDevelopConfig(reader);
 * c.sources.get("pkg")?.path; // "/w/src/pkg"
 * ```
 */
export function readDevelopConfig(r: ConfigReader): DevelopConfig {
  const get = (k: string) => r.buildout(k);
  const sourcesDir = abs(r.directory, get("sources-dir")?.trim() || "src");
  const git = get("git-clone-depth")?.trim();
  if (git && !/^\d+$/.test(git)) {
    throw new UserError("git-clone-depth needs to be a number.");
  }
  const sources = new Map<string, Source>();
  const sectionName = get("sources")?.trim() || "sources";
  for (const [name, line] of r.section(sectionName) ?? []) {
    const s = parseSource(name, line, r.directory, sourcesDir, r.log);
    if (git && s.kind === "git" && !("depth" in s.options)) {
      s.options.depth = git;
    }
    sources.set(name, s);
  }
  const auto = new Set(
    (get("auto-checkout") ?? "").split(/\s+/).filter(Boolean),
  );
  const autoCheckout = auto.has("*") ? new Set(sources.keys()) : auto;
  const unknown = [...autoCheckout].filter((n) => !sources.has(n)).sort();
  if (unknown.length > 1) {
    throw new UserError(
      `The packages ${
        quoteList(unknown)
      } from auto-checkout have no source information.`,
    );
  }
  if (unknown.length) {
    throw new UserError(
      `The package '${
        unknown[0]
      }' from auto-checkout has no source information.`,
    );
  }
  const ac = (get("always-checkout") ?? "false").trim();
  let alwaysCheckout: AlwaysCheckout;
  if (ac.toLowerCase() === "force") alwaysCheckout = "force";
  else {
    const b = parseBool(ac);
    if (b === undefined) {
      throw new UserError(`Unknown value '${ac}' for always-checkout option.`);
    }
    alwaysCheckout = b;
  }
  const cert = (get("always-accept-server-certificate") ?? "false").trim();
  const alwaysAcceptServerCertificate = parseBool(cert);
  if (alwaysAcceptServerCertificate === undefined) {
    throw new UserError(
      `Unknown value '${cert}' for always-accept-server-certificate option.`,
    );
  }
  const t = (get("mr.developer-threads") ?? "5").trim();
  if (!/^\d+$/.test(t) || Number(t) < 1) {
    throw new UserError(
      `Invalid value '${t}' for mr.developer-threads, must be a positive number.`,
    );
  }
  // Read so that it never draws the unused-option warning.
  get("mr.developer-verbose");
  return {
    directory: r.directory,
    sourcesDir,
    sources,
    autoCheckout,
    alwaysCheckout,
    updateGitSubmodules: submodules(
      (get("update-git-submodules") ?? "always").trim(),
    ),
    alwaysAcceptServerCertificate,
    threads: Number(t),
  };
}
