/**
 * Pure path logic for safe archive extraction: entry names, symlink-aware
 * resolution that never leaves the destination, and `excludes` globs.
 *
 * @module
 */

/**
 * Split an archive entry name into its components, dropping empty and `.`
 * parts. Returns `undefined` for absolute names (`/x`, `C:\x`, `\\host\x`).
 *
 * @example
 * ```ts
 * splitEntryName("./pkg/mod.py"); // ["pkg", "mod.py"]
 * splitEntryName("/etc/passwd"); // undefined
 * ```
 */
export function splitEntryName(name: string): string[] | undefined {
  if (name.startsWith("/") || /^[A-Za-z]:[\\/]/.test(name)) return undefined;
  if (name.startsWith("\\\\")) return undefined;
  return name.split("/").filter((c) => c !== "" && c !== ".");
}

/** The outcome of {@link resolveInside}: the physical path and how high it climbed. */
export interface Resolved {
  /** Components of the resolved path below the destination root. */
  parts: string[];
  /** The smallest depth reached while resolving (0 = the destination root). */
  minDepth: number;
}

const MAX_LINK_HOPS = 40;

/**
 * Resolve `rest` starting from directory `start` (both as components below the
 * destination root), following the archive's own symlinks (`links`: location
 * -> target, relative). Returns `undefined` when the walk leaves the root, meets
 * an absolute link target, or loops.
 *
 * @example
 * ```ts
 * const links = new Map([["lib", "src/lib"]]);
 * resolveInside([], ["lib", "x.py"], links, true)?.parts; // ["src","lib","x.py"]
 * resolveInside(["a"], ["..", ".."], links, true); // undefined
 * ```
 */
export function resolveInside(
  start: string[],
  rest: string[],
  links: ReadonlyMap<string, string>,
  followLast: boolean,
): Resolved | undefined {
  const stack = [...start];
  const queue = rest.filter((c) => c !== "" && c !== ".");
  let minDepth = stack.length;
  let hops = 0;
  while (queue.length) {
    const c = queue.shift()!;
    if (c === "..") {
      if (!stack.length) return undefined;
      stack.pop();
      minDepth = Math.min(minDepth, stack.length);
      continue;
    }
    stack.push(c);
    if (!followLast && queue.length === 0) break;
    const target = links.get(stack.join("/"));
    if (target === undefined) continue;
    const targetParts = splitEntryName(target);
    if (!targetParts || ++hops > MAX_LINK_HOPS) return undefined;
    stack.pop();
    minDepth = Math.min(minDepth, stack.length);
    queue.unshift(...targetParts);
  }
  return { parts: stack, minDepth };
}

/**
 * Compile shell-style globs (`*` matches anything including `/`, `?`, `[...]`,
 * `[!...]`) as Python's `fnmatch` does.
 *
 * @example
 * ```ts
 * globToRegExp("docs/*").test("docs/a/b.txt"); // true
 * ```
 */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") re += ".*";
    else if (ch === "?") re += ".";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      re += "[" + (negate ? "^" : "") + body.replace(/[\\\]^]/g, "\\$&") + "]";
      i = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp("^" + re + "$", "s");
}

/**
 * A predicate telling whether an entry (its components, as named in the
 * archive) is excluded: the glob matches the entry's path or one of its parent
 * folders.
 *
 * @example
 * ```ts
 * const excluded = excluder(["*.pyc", "pkg/tests"]);
 * excluded(["pkg", "tests", "t.py"]); // true
 * ```
 */
export function excluder(globs: string[] = []): (parts: string[]) => boolean {
  const res = globs.map(globToRegExp);
  if (!res.length) return () => false;
  return (parts) => {
    for (let n = 1; n <= parts.length; n++) {
      const p = parts.slice(0, n).join("/");
      if (res.some((r) => r.test(p))) return true;
    }
    return false;
  };
}
