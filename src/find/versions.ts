/**
 * `[versions]` pins and picked versions: constraining requirements, the
 * `show-picked-versions` block, the `update-versions-file` text and the
 * `allow-picked-versions = false` error, all with buildout's texts.
 *
 * Pure: text in, text out; callers print and write files.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { normalizeName } from "../pypa/name.ts";
import { formatSpecifier, matchesSpecifier } from "../pypa/version.ts";
import { formatRequirement, type Requirement } from "../pypa/requirement.ts";

/**
 * A requirement that a `[versions]` pin rules out. `infoLines` are the lines
 * buildout logs at info level before the error
 * (`Version and requirements information containing demo:` ...).
 */
export class IncompatibleConstraintError extends UserError {
  constructor(message: string, public infoLines: string[]) {
    super(message);
    this.name = "IncompatibleConstraintError";
  }
}

/**
 * Look up the pin for a project; keys are compared normalised (`Spam = 2` pins
 * `spam`), empty values do not pin.
 *
 * @example
 * ```ts
 * findPin(new Map([["Spam", "2"]]), "spam"); // { name: "spam", value: "2" }
 * ```
 */
export function findPin(
  pins: Map<string, string>,
  key: string,
): { name: string; value: string } | undefined {
  const wanted = normalizeName(key);
  let value = pins.get(wanted);
  if (value === undefined) {
    for (const [k, v] of pins) {
      if (normalizeName(k) === wanted) {
        value = v;
        break;
      }
    }
  }
  value = value?.trim();
  return value ? { name: wanted, value } : undefined;
}

/**
 * The info lines buildout prints for a version problem with `name`: a header,
 * the `[versions]` constraint if any, then every context line (requirements and
 * constraints seen so far) that mentions the name, indented by two spaces.
 *
 * @example
 * ```ts
 * versionConflictInformation("demo", "0.2", ["Base installation request: 'demo >0.2'"]);
 * // ["Version and requirements information containing demo:",
 * //  "  [versions] constraint on demo: 0.2",
 * //  "  Base installation request: 'demo >0.2'"]
 * ```
 */
export function versionConflictInformation(
  name: string,
  pin: string | undefined,
  context: string[] = [],
): string[] {
  const lines = [`Version and requirements information containing ${name}:`];
  if (pin) lines.push(`  [versions] constraint on ${name}: ${pin}`);
  const lower = name.toLowerCase();
  for (const line of context) {
    if (line.toLowerCase().includes(lower)) lines.push("  " + line);
  }
  return lines;
}

/**
 * Apply the `[versions]` pin for `req`, as buildout does. A value `X` or `==X`
 * turns the requirement into `name==X` (extras and marker kept) if X satisfies
 * it, else throws {@link IncompatibleConstraintError}
 * `The requirement ('demo>0.2') is not allowed by your [versions] constraint (0.2)`.
 * A value starting with `<`, `>`, `!=` or `~=` is AND-ed to the specifier.
 * Without a pin the requirement is returned unchanged. `context` lines (the
 * requirements seen so far) go into the error's info lines; by default the
 * requirement's own text as `Base installation request: '<text>'`.
 *
 * @example
 * ```ts
 * const pins = new Map([["demo", "0.2"]]);
 * formatRequirement(applyPin(parseRequirement("demo"), pins)); // "demo==0.2"
 * applyPin(parseRequirement("demo >0.2"), pins); // throws IncompatibleConstraintError
 * formatRequirement(applyPin(parseRequirement("demo>=0.1"), new Map([["demo", "<0.3"]])));
 * // "demo>=0.1,<0.3"
 * ```
 */
export function applyPin(
  req: Requirement,
  pins: Map<string, string>,
  context?: string[],
): Requirement {
  const pin = findPin(pins, req.key);
  if (!pin) return req;
  const value = pin.value;
  const exact = value.startsWith("==") && !value.startsWith("===");
  let specifier: string;
  if (!exact && /^[<>!~=]/.test(value)) {
    specifier = formatSpecifier(
      req.specifier.trim() ? `${req.specifier},${value}` : value,
    );
  } else {
    const version = exact ? value.slice(2).trim() : value;
    if (!matchesSpecifier(version, req.specifier)) {
      throw new IncompatibleConstraintError(
        `The requirement ('${formatRequirement(req)}') is not allowed by ` +
          `your [versions] constraint (${version})`,
        versionConflictInformation(
          pin.name,
          value,
          context ??
            [`Base installation request: '${
              req.text ?? formatRequirement(req)
            }'`],
        ),
      );
    }
    specifier = formatSpecifier("==" + version);
  }
  const pinned: Requirement = { ...req, specifier };
  pinned.text = formatRequirement(pinned);
  return pinned;
}

/**
 * Picked versions of one run: what buildout had to choose itself, and which
 * distributions required them.
 *
 * @example
 * ```ts
 * const picked = new PickedVersions();
 * picked.pick("demo", "0.3");
 * picked.pick("demoneeded", "1.1");
 * picked.requiredBy("demoneeded", "demo==0.3");
 * picked.block();
 * // ["[versions]", "demo = 0.3", "", "# Required by:", "# demo==0.3", "demoneeded = 1.1"]
 * ```
 */
export class PickedVersions {
  #picked = new Map<string, { name: string; version: string }>();
  #requiredBy = new Map<string, Set<string>>();
  #used = new Map<string, { name: string; version: string }>();

  /** Record that `name` (as its metadata spells it) was picked at `version`. */
  pick(name: string, version: string): void {
    this.#picked.set(normalizeName(name), { name, version });
  }

  /** Record that `dependent` (e.g. `demo==0.3`) required project `name`. */
  requiredBy(name: string, dependent: string): void {
    const key = normalizeName(name);
    let set = this.#requiredBy.get(key);
    if (!set) this.#requiredBy.set(key, set = new Set());
    set.add(dependent);
  }

  /** Picked `[name, version]` pairs sorted by name. */
  entries(): [string, string][] {
    return [...this.#picked.values()]
      .map((p): [string, string] => [p.name, p.version])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * Record a distribution a resolution of this run used, pinned or picked
   * (what `buildout lock` pins); develop eggs are left out.
   */
  use(dist: { name: string; version: string; develop?: boolean }): void {
    if (!dist.develop) {
      this.#used.set(normalizeName(dist.name), {
        name: dist.name,
        version: dist.version,
      });
    }
  }

  /** Every used `[name, version]` (see {@link use}), sorted by normalised name. */
  used(): [string, string][] {
    return [...this.#used.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, u]): [string, string] => [u.name, u.version]);
  }

  /** Number of picked distributions. */
  get size(): number {
    return this.#picked.size;
  }

  /** The `[versions]` block (see {@link formatPickedVersions}). */
  block(): string[] {
    const requiredBy = new Map<string, Iterable<string>>();
    for (const [name] of this.entries()) {
      const set = this.#requiredBy.get(normalizeName(name));
      if (set) requiredBy.set(name, set);
    }
    return formatPickedVersions(this.entries(), requiredBy);
  }
}

/**
 * The `[versions]` block of picked versions: projects nobody required first,
 * then each required one after a blank line, `# Required by:` and sorted
 * `# <dist>==<version>` lines.
 *
 * @example
 * ```ts
 * formatPickedVersions([["demo", "0.3"], ["demoneeded", "1.1"]],
 *   new Map([["demoneeded", ["demo==0.3"]]]));
 * // ["[versions]", "demo = 0.3", "", "# Required by:", "# demo==0.3", "demoneeded = 1.1"]
 * ```
 */
export function formatPickedVersions(
  picked: [string, string][],
  requiredBy: Map<string, Iterable<string>>,
): string[] {
  const head = ["[versions]"];
  const tail: string[] = [];
  for (const [name, version] of picked) {
    const by = requiredBy.get(name);
    const target = by ? tail : head;
    if (by) {
      tail.push("", "# Required by:");
      for (const d of [...by].sort()) tail.push("# " + d);
    }
    target.push(`${name} = ${version}`);
  }
  return [...head, ...tail];
}

/**
 * The lines `show-picked-versions = true` prints after a run.
 *
 * @example
 * ```ts
 * showPickedVersions(["[versions]", "spam = 2"]);
 * // ["Versions had to be automatically picked.",
 * //  "The following part definition lists the versions picked:", "[versions]", "spam = 2"]
 * ```
 */
export function showPickedVersions(block: string[]): string[] {
  return [
    "Versions had to be automatically picked.",
    "The following part definition lists the versions picked:",
    ...block,
  ];
}

/**
 * Python's `str(datetime.now())` for a date: `YYYY-MM-DD hh:mm:ss[.ffffff]`, local time.
 *
 * @example
 * ```ts
 * pythonDatetime(new Date(2026, 10, 26, 9, 5, 3, 120)); // "2026-11-26 09:05:03.120000"
 * ```
 */
export function pythonDatetime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const ms = d.getMilliseconds();
  return ms ? `${base}.${p(ms * 1000, 6)}` : base;
}

/**
 * The text `update-versions-file` appends: the block with a trailing newline;
 * when the file already exists, the `[versions]` header is replaced by a blank
 * line and `# Added by buildout at <datetime>`. After writing, buildout prints
 * `Picked versions have been written to <file>`.
 *
 * @example
 * ```ts
 * versionsFileAppendText(["[versions]", "spam = 2"], false); // "[versions]\nspam = 2\n"
 * versionsFileAppendText(["[versions]", "spam = 2"], true, now);
 * // "\n# Added by buildout at 2026-11-26 21:30:00.123000\nspam = 2\n"
 * ```
 */
export function versionsFileAppendText(
  block: string[],
  fileExists: boolean,
  now: Date = new Date(),
): string {
  const lines = [...block];
  if (fileExists) {
    lines.splice(0, 1, "", `# Added by buildout at ${pythonDatetime(now)}`);
  }
  lines.push("");
  return lines.join("\n");
}

/**
 * The message after writing the versions file.
 *
 * @example
 * ```ts
 * pickedVersionsWritten("versions.cfg"); // "Picked versions have been written to versions.cfg"
 * ```
 */
export function pickedVersionsWritten(file: string): string {
  return "Picked versions have been written to " + file;
}

/**
 * The error for a picked version under `allow-picked-versions = false`.
 *
 * @example
 * ```ts
 * pickedVersionError("demo", "0.3").message.split("\n")[0]; // "Picked: demo = 0.3"
 * ```
 */
export function pickedVersionError(name: string, version: string): UserError {
  return new UserError([
    `Picked: ${name} = ${version}`,
    "",
    `The \`${name}\` egg does not have a version pin and \`allow-picked-versions = false\`.`,
    "",
    "To resolve this, add",
    "",
    `    ${name} = ${version}`,
    "",
    "to the [versions] section,",
    "",
    "OR set `allow-picked-versions = true`.",
  ].join("\n"));
}
