/**
 * Checks of what a facts file says, before it is used: the file is a cache in
 * a folder others may write, so a value of the wrong shape (edited by hand,
 * damaged yet still JSON) is read again from the egg, never trusted.
 *
 * @module
 */

/**
 * True for a plain object (not null, not an array).
 *
 * @example
 * ```ts
 * isObject({}); // true
 * isObject([]); // false
 * ```
 */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * True for an array of strings.
 *
 * @example
 * ```ts
 * isStrings(["a", "b"]); // true
 * ```
 */
export function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

/**
 * True for a parsed requirement (name, key, extras, specifier, optional
 * marker and text).
 *
 * @example
 * ```ts
 * isRequirement({ name: "a", key: "a", extras: [], specifier: "" }); // true
 * ```
 */
export function isRequirement(v: unknown): boolean {
  return isObject(v) && typeof v.name === "string" &&
    typeof v.key === "string" && typeof v.specifier === "string" &&
    isStrings(v.extras) &&
    (v.marker === undefined || typeof v.marker === "string") &&
    (v.text === undefined || typeof v.text === "string");
}

/**
 * True for an array of parsed requirements.
 *
 * @example
 * ```ts
 * isRequirements([]); // true
 * ```
 */
export function isRequirements(v: unknown): boolean {
  return Array.isArray(v) && v.every(isRequirement);
}

/**
 * True for what an egg's metadata was read into: name, dependencies (with
 * their extras), entry points by group, problems.
 *
 * @example
 * ```ts
 * isLoadedMetadata({ name: "a", deps: { requires: [], extras: [], problems: [] }, entryPoints: {}, problems: [] }); // true
 * ```
 */
export function isLoadedMetadata(v: unknown): boolean {
  if (!isObject(v) || typeof v.name !== "string" || !isStrings(v.problems)) {
    return false;
  }
  const deps = v.deps;
  if (!isObject(deps) || !isStrings(deps.extras)) return false;
  if (
    !Array.isArray(deps.requires) ||
    !deps.requires.every((e) =>
      isObject(e) && isRequirement(e.requirement) &&
      (e.extra === undefined || typeof e.extra === "string")
    )
  ) return false;
  const groups = v.entryPoints;
  return isObject(groups) &&
    Object.values(groups).every((g) =>
      isObject(g) && Object.values(g).every((s) => typeof s === "string")
    );
}

/**
 * True for top-level names as pairs of name and kind.
 *
 * @example
 * ```ts
 * isTopLevel([["demo", "package"]]); // true
 * ```
 */
export function isTopLevel(v: unknown): boolean {
  return Array.isArray(v) &&
    v.every((p) =>
      Array.isArray(p) && p.length === 2 && typeof p[0] === "string" &&
      ["package", "namespace", "module"].includes(p[1])
    );
}

/**
 * True for distutils scripts as names and paths below the egg folder (no
 * `..`, not absolute).
 *
 * @example
 * ```ts
 * isScriptFiles([{ name: "tool", path: "EGG-INFO/scripts/tool" }]); // true
 * ```
 */
export function isScriptFiles(v: unknown): boolean {
  return Array.isArray(v) &&
    v.every((f) =>
      isObject(f) && typeof f.name === "string" && typeof f.path === "string" &&
      !f.path.startsWith("/") && !f.path.split("/").includes("..")
    );
}
