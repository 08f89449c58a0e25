/**
 * The content hash of a develop egg's folder, so that a part whose recipe
 * comes from a develop egg is reinstalled when the recipe's source changes
 * (zc.buildout signs develop-egg recipes by their folder's content too).
 *
 * @module
 */
import { join } from "node:path";

/** Folders never part of a develop egg's signature. */
const IGNORED = new Set([".svn", "CVS", "__pycache__", ".git"]);

async function walk(dir: string, hash: string[]): Promise<void> {
  const dirs: string[] = [];
  const files: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) {
      if (!IGNORED.has(e.name)) dirs.push(e.name);
    } else if (e.isFile && !/\.py[co]$/.test(e.name)) files.push(e.name);
  }
  dirs.sort();
  files.sort();
  hash.push(`${dirs.join(" ")}|${files.join(" ")}`);
  for (const f of files) {
    const bytes = await Deno.readFile(join(dir, f));
    const d = await crypto.subtle.digest("SHA-256", bytes);
    hash.push(`${f}:${btoa(String.fromCharCode(...new Uint8Array(d)))}`);
  }
  for (const d of dirs) await walk(join(dir, d), hash);
}

/** Per run (keyed by its settings object): folder -> hash. */
const memo = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * A short hex hash of the names and contents of the files under `dir`
 * (compiled Python files and VCS folders left out), computed once per run.
 *
 * @example
 * ```ts
 * await dirHash(settings, "/b/recipes/src"); // "9f2c61d0a4b7e311"
 * ```
 */
export function dirHash(run: object, dir: string): Promise<string> {
  let m = memo.get(run);
  if (!m) memo.set(run, m = new Map());
  let h = m.get(dir);
  if (!h) {
    h = (async () => {
      const parts: string[] = [];
      await walk(dir, parts).catch(() => parts.push("unreadable"));
      const d = await crypto.subtle.digest(
        "SHA-256",
        new TextEncoder().encode(parts.join("\n")),
      );
      return [...new Uint8Array(d).slice(0, 8)].map((b) =>
        b.toString(16).padStart(2, "0")
      ).join("");
    })();
    m.set(dir, h);
  }
  return h;
}
