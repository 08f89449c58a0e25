/**
 * Containment rules for paths derived from names: URL segments, part names,
 * `filename` options. A name never becomes a separator or `..`, and a path
 * built from one never lands outside the folder it belongs to.
 *
 * @module
 */
import { dirname, isAbsolute, relative, resolve } from "./path.ts";
import { UserError } from "./errors.ts";

/**
 * Whether `name` is usable as one file name: not empty, not `.` or `..`, no
 * `/`, `\` or NUL.
 *
 * @example
 * ```ts
 * isPlainName("demo-1.0.tar.gz"); // true
 * isPlainName("../etc"); // false
 * ```
 */
export function isPlainName(name: string): boolean {
  return name !== "" && name !== "." && name !== ".." &&
    !/[/\\\0]/.test(name);
}

/**
 * Whether `path` is `parent` itself or below it (lexically; see
 * {@link realInside} for links).
 *
 * @example
 * ```ts
 * isInside("/b", "/b/parts/x"); // true
 * isInside("/b", "/b/../etc"); // false
 * ```
 */
export function isInside(parent: string, path: string): boolean {
  const rel = relative(resolve(parent), resolve(path));
  return rel === "" ||
    (!isAbsolute(rel) && rel !== ".." && !rel.startsWith("../"));
}

/**
 * `path` resolved against `parent`, refused with a `UserError` when it lands
 * outside `parent` or on `parent` itself. `what` names the value in the
 * message, e.g. `"Part name"` or `"Option 'filename' of part 'x'"`.
 *
 * @example
 * ```ts
 * childPath("/b/parts", "data", "Part name"); // "/b/parts/data"
 * childPath("/b/parts", "../../etc", "Part name"); // throws UserError
 * ```
 */
export function childPath(parent: string, path: string, what: string): string {
  if (path.includes("\0")) {
    throw new UserError(`${what} contains a NUL character.`);
  }
  const abs = resolve(parent, path);
  if (abs === resolve(parent) || !isInside(parent, abs)) {
    throw new UserError(
      `${what} '${path}' would be outside ${resolve(parent)}.`,
    );
  }
  return abs;
}

/**
 * Whether the real location of `path` (its parent folders' links resolved;
 * a final link counts as itself) is inside the real location of `root`.
 * A path whose parent does not exist is judged lexically.
 *
 * @example
 * ```ts
 * // /b/parts/x -> /elsewhere: the link may go, /b/parts/x/data may not
 * realInside("/b", "/b/parts/x"); // true
 * realInside("/b", "/b/parts/x/data"); // false
 * ```
 */
export function realInside(root: string, path: string): boolean {
  const abs = resolve(root, path);
  if (!isInside(root, abs)) return false;
  if (abs === resolve(root)) return true;
  let realRoot: string;
  try {
    realRoot = Deno.realPathSync(root);
  } catch {
    return true;
  }
  let parent = dirname(abs);
  const tail: string[] = [abs.slice(parent.length + 1)];
  for (;;) {
    try {
      const real = Deno.realPathSync(parent);
      return isInside(realRoot, resolve(real, ...tail));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
      const up = dirname(parent);
      if (up === parent) return true;
      tail.unshift(parent.slice(up.length + 1));
      parent = up;
    }
  }
}
