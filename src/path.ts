/**
 * POSIX path functions with the results of `node:path`'s, for the modules
 * every run loads: importing `node:path` loads part of Deno's Node
 * compatibility layer, about 15 ms of CPU per run. Modules only some runs
 * load may keep `node:path`.
 *
 * @module
 */

/** The path separator. */
export const sep = "/";
/** The `PATH` list separator. */
export const delimiter = ":";

/** Resolve `.` and `..` segments of `path` (no leading-slash handling). */
function normalizeSegments(path: string, allowAboveRoot: boolean): string {
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (allowAboveRoot) out.push("..");
    } else out.push(seg);
  }
  return out.join("/");
}

/**
 * Whether `path` is absolute.
 *
 * @example
 * ```ts
 * isAbsolute("/srv"); // true
 * ```
 */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/**
 * `path` without `.`, `..` and repeated slashes; a trailing slash is kept.
 *
 * @example
 * ```ts
 * normalize("/a//b/../c/"); // "/a/c/"
 * ```
 */
export function normalize(path: string): string {
  if (path === "") return ".";
  const abs = isAbsolute(path);
  const trailing = path.endsWith("/");
  let out = normalizeSegments(path, !abs);
  if (out === "" && !abs) out = ".";
  if (out !== "" && trailing) out += "/";
  return abs ? "/" + out : out;
}

/**
 * The segments joined with `/`, normalised.
 *
 * @example
 * ```ts
 * join("/srv", "links", "../eggs"); // "/srv/eggs"
 * ```
 */
export function join(...paths: string[]): string {
  const parts = paths.filter((p) => p !== "");
  return parts.length ? normalize(parts.join("/")) : ".";
}

/**
 * An absolute path: the segments resolved right to left until one is
 * absolute, else against the current directory; normalised, no trailing
 * slash.
 *
 * @example
 * ```ts
 * resolve("/srv", "links/"); // "/srv/links"
 * ```
 */
export function resolve(...paths: string[]): string {
  let resolved = "";
  let abs = false;
  for (let i = paths.length - 1; i >= -1 && !abs; i--) {
    const p = i >= 0 ? paths[i] : Deno.cwd();
    if (p === "") continue;
    resolved = `${p}/${resolved}`;
    abs = isAbsolute(p);
  }
  return "/" + normalizeSegments(resolved, false);
}

/**
 * The folder part of `path`.
 *
 * @example
 * ```ts
 * dirname("/srv/links/demo.zip"); // "/srv/links"
 * ```
 */
export function dirname(path: string): string {
  if (path === "") return ".";
  const rooted = path[0] === "/";
  // The slash just before the last segment (trailing slashes skipped); the
  // first character is never it.
  let end = -1;
  let inSegment = false;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] !== "/") inSegment = true;
    else if (inSegment) {
      end = i;
      break;
    }
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

/**
 * The last segment of `path` (trailing slashes ignored), without `suffix`
 * when it ends with it and is longer.
 *
 * @example
 * ```ts
 * basename("/srv/links/demo.zip"); // "demo.zip"
 * ```
 */
export function basename(path: string, suffix?: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === "/") end--;
  const base = path.slice(path.lastIndexOf("/", end - 1) + 1, end);
  if (suffix !== undefined && suffix !== base && base.endsWith(suffix)) {
    return base.slice(0, base.length - suffix.length);
  }
  return base;
}

/**
 * The path from `from` to `to` (both resolved first).
 *
 * @example
 * ```ts
 * relative("/srv/a/b", "/srv/c"); // "../../c"
 * ```
 */
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
