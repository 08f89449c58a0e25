/**
 * The target Python interpreter: asked once per executable and remembered in
 * memory and, when the caller gives a cache directory, in a small JSON file
 * keyed by the executable's path, real path, the real binary's size, mtime,
 * ctime and inode, and the text of a `pyvenv.cfg` beside it or one folder up. Plus the
 * compatibility checks of distribution files against it.
 *
 * @module
 */

import { sha256Hex } from "../sha256.ts";
import { writeFileAtomic } from "../fsutil.ts";
import { delimiter, dirname, isAbsolute, join, resolve } from "../path.ts";
import { UserError } from "../errors.ts";
import type { DistFile } from "../pypa/filename.ts";
import { probePython, type ProbeResult } from "./probe.ts";
import { pyenvTarget } from "./pyenv.ts";

/**
 * A target interpreter as far as finding and installing distributions goes:
 * what the probe reports (`executable` is `sys.executable`, use it in
 * shebangs; `tags` are the supported wheel tags, best first).
 */
export type Interpreter = Omit<ProbeResult, "tagSource">;

/** Options for {@link getInterpreter}. */
export interface InterpreterOptions {
  /** Folder for the JSON cache files; no file cache without it. */
  cacheDir?: string;
  /**
   * A second folder, shared by the buildouts of this user: read when
   * `cacheDir` has no answer, written with it, so that a new buildout folder
   * does not start Python again.
   */
  userCacheDir?: string;
  /** Base for relative executable paths (default: the current directory). */
  cwd?: string;
}

const memo = new Map<string, Promise<Interpreter>>();

/**
 * Forget what {@link getInterpreter} remembered in memory (for tests).
 *
 * @example
 * ```ts
 * clearInterpreterMemo(); // the next getInterpreter() reads the cache file or asks Python
 * ```
 */
export function clearInterpreterMemo(): void {
  memo.clear();
}

async function isFile(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    const st = await Deno.stat(path);
    return st.isFile ? st : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where `executable` lives: a path (with `/`) relative to `cwd`, or a bare
 * name looked up on `PATH`. Undefined when there is no such file.
 *
 * @example
 * ```ts
 * await findExecutable("python3"); // "/usr/bin/python3"
 * ```
 */
export async function findExecutable(
  executable: string,
  cwd = Deno.cwd(),
): Promise<string | undefined> {
  if (!executable) return undefined;
  if (executable.includes("/")) {
    const p = isAbsolute(executable) ? executable : resolve(cwd, executable);
    return (await isFile(p)) ? p : undefined;
  }
  for (const dir of (Deno.env.get("PATH") ?? "").split(delimiter)) {
    const p = resolve(cwd, dir || ".", executable);
    const st = await isFile(p);
    if (st && (st.mode === null || (st.mode & 0o111) !== 0)) return p;
  }
  return undefined;
}

interface CacheKey {
  path: string;
  realpath: string;
  size: number;
  mtime: number;
  ctime: number;
  ino: number;
  /** The `pyvenv.cfg` beside the executable or one folder up: path and text. */
  pyvenv?: [string, string];
}

/** True for `#!` wrapper scripts (pyenv shims...): what they run can change without them changing. */
async function isScript(path: string): Promise<boolean> {
  const f = await Deno.open(path);
  try {
    const buf = new Uint8Array(2);
    const n = await f.read(buf);
    return n === 2 && buf[0] === 0x23 && buf[1] === 0x21;
  } finally {
    f.close();
  }
}

async function cacheKey(path: string): Promise<CacheKey | undefined> {
  if (await isScript(path)) return undefined;
  const realpath = await Deno.realPath(path);
  const st = await Deno.stat(realpath);
  return {
    path,
    realpath,
    size: st.size,
    mtime: st.mtime?.getTime() ?? 0,
    ctime: st.ctime?.getTime() ?? 0,
    ino: st.ino ?? 0,
    pyvenv: await pyvenvOf(path),
  };
}

/** A virtual environment's `pyvenv.cfg`, where Python looks for it. */
async function pyvenvOf(path: string): Promise<[string, string] | undefined> {
  for (const dir of [dirname(path), dirname(dirname(path))]) {
    const file = join(dir, "pyvenv.cfg");
    try {
      return [file, await Deno.readTextFile(file)];
    } catch {
      // not here
    }
  }
  return undefined;
}

function sameKey(a: CacheKey, b: CacheKey): boolean {
  return a.path === b.path && a.realpath === b.realpath &&
    a.size === b.size && a.mtime === b.mtime && a.ctime === b.ctime &&
    a.ino === b.ino && a.pyvenv?.[0] === b.pyvenv?.[0] &&
    a.pyvenv?.[1] === b.pyvenv?.[1];
}

/**
 * The JSON cache file for an executable path inside `cacheDir`.
 *
 * @example
 * ```ts
 * interpreterCacheFile("/cache", "/usr/bin/python3"); // "/cache/python-1a2b3c4d5e6f7a8b.json"
 * ```
 */
export function interpreterCacheFile(cacheDir: string, path: string): string {
  const h = sha256Hex(path).slice(0, 16);
  return join(cacheDir, `python-${h}.json`);
}

async function readCache(
  file: string,
  key: CacheKey,
): Promise<Interpreter | undefined> {
  try {
    const data = JSON.parse(await Deno.readTextFile(file));
    if (data?.key && sameKey(data.key, key) && data.interpreter) {
      return data.interpreter as Interpreter;
    }
  } catch {
    // missing or unreadable: ask the interpreter
  }
  return undefined;
}

async function writeCache(file: string, key: CacheKey, interp: Interpreter) {
  try {
    await Deno.mkdir(join(file, ".."), { recursive: true });
    await writeFileAtomic(
      file,
      JSON.stringify({ key, interpreter: interp }, null, 1) + "\n",
    );
  } catch {
    // a cache we cannot write only costs time
  }
}

async function lookUp(
  executable: string,
  o: InterpreterOptions,
): Promise<Interpreter> {
  const path = await findExecutable(executable, o.cwd);
  if (!path) {
    throw new UserError(
      `The Python executable '${executable}' was not found (set [buildout] executable).`,
    );
  }
  let key = o.cacheDir ? await cacheKey(path) : undefined;
  let target = path;
  if (o.cacheDir && !key) {
    // A pyenv shim: remember what it would run now, keyed by that binary.
    const bin = pyenvTarget(path, Deno.cwd(), Deno.env.toObject());
    if (bin) [target, key] = [bin, await cacheKey(bin)];
  }
  const files = o.cacheDir && key
    ? [o.cacheDir, o.userCacheDir].filter((d): d is string => !!d).map((d) =>
      interpreterCacheFile(d, target)
    )
    : [];
  for (const [i, file] of files.entries()) {
    const cached = await readCache(file, key!);
    if (!cached) continue;
    for (const before of files.slice(0, i)) {
      await writeCache(before, key!, cached);
    }
    return cached;
  }
  const r = await probePython(target, { label: executable });
  const interp: Interpreter = {
    executable: r.executable || target,
    version: r.version,
    pyVersion: r.pyVersion,
    implementation: r.implementation,
    platform: r.platform,
    tags: r.tags,
    markerEnv: r.markerEnv,
  };
  for (const file of files) await writeCache(file, key!, interp);
  return interp;
}

/**
 * The interpreter behind `executable` (a name on `PATH` or a path). Python is
 * run at most once per executable and process; with `cacheDir`, the answer is
 * also kept in a JSON file there and reused while the executable's path, real
 * path, size, mtime, ctime, inode and `pyvenv.cfg` stay the same (`#!` wrapper scripts are not file-cached,
 * since what they run can change under them, except pyenv shims, which are
 * keyed by the binary pyenv would pick now). A missing
 * executable is a `UserError`.
 *
 * @example
 * ```ts
 * const py = await getInterpreter("python3", { cacheDir: "/home/me/.buildout/cache" });
 * py.pyVersion; // "3.11"
 * ```
 */
export function getInterpreter(
  executable: string,
  o: InterpreterOptions = {},
): Promise<Interpreter> {
  const id = executable.includes("/")
    ? resolve(o.cwd ?? Deno.cwd(), executable)
    : executable;
  const memoKey = `${o.cacheDir ?? ""}\0${id}`;
  let p = memo.get(memoKey);
  if (!p) {
    p = lookUp(executable, o);
    memo.set(memoKey, p);
    p.catch(() => memo.delete(memoKey));
  }
  return p;
}

const tagIndex = new WeakMap<Interpreter, Map<string, number>>();

function indexOfTags(interp: Interpreter): Map<string, number> {
  let m = tagIndex.get(interp);
  if (!m) {
    m = new Map();
    for (const [i, t] of interp.tags.entries()) {
      const k = t.toLowerCase();
      if (!m.has(k)) m.set(k, i);
    }
    tagIndex.set(interp, m);
  }
  return m;
}

/**
 * How well a wheel fits the interpreter: higher is better, 0 when none of its
 * tags is supported. Eggs and sdists that are compatible get 0 as well.
 *
 * @example
 * ```ts
 * wheelRank(parseDistFilename("x-1-cp311-cp311-manylinux_2_17_x86_64.whl")!, py) >
 *   wheelRank(parseDistFilename("x-1-py3-none-any.whl")!, py); // true
 * ```
 */
export function wheelRank(file: DistFile, interp: Interpreter): number {
  if (file.kind !== "wheel" || !file.tags) return 0;
  const idx = indexOfTags(interp);
  let best = Infinity;
  for (const t of file.tags) {
    const i = idx.get(t);
    if (i !== undefined && i < best) best = i;
  }
  return best === Infinity ? 0 : interp.tags.length - best;
}

/**
 * Whether a distribution file can be used by the interpreter: eggs when their
 * `pyX.Y` is absent or equal and their platform absent or equal; wheels when
 * one of their tags is supported; sdists always.
 *
 * @example
 * ```ts
 * isCompatible(parseDistFilename("demo-0.2-py3.11.egg")!, py311); // true
 * isCompatible(parseDistFilename("demo-0.2-py2.4.egg")!, py311); // false
 * ```
 */
export function isCompatible(file: DistFile, interp: Interpreter): boolean {
  switch (file.kind) {
    case "egg":
      return (!file.pyVersion || file.pyVersion === interp.pyVersion) &&
        (!file.platform || file.platform === interp.platform);
    case "wheel":
      return wheelRank(file, interp) > 0;
    case "sdist":
      return true;
  }
}
