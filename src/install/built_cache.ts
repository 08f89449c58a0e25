/**
 * The built cache `<download-cache>/built/`: the wheel or egg that building an
 * sdist produced, kept so that the same sdist is built once per target.
 *
 * Layout: `built/<sdist sha256>/<target>/<file>` plus `<file>.sha256` (the
 * built file's digest, `sha256sum` format), where `<target>` names the
 * interpreter and platform, e.g. `cpython-3.11-cp311-linux-x86_64`. The
 * platform stays in the key even for pure-Python results: a `setup.py` may
 * read `sys.platform` while it runs (requirements, data files), so a build is
 * only reused where it was made for. An entry appears complete or not at all
 * (written in a `.tmp-` folder, renamed into place), and its digest is
 * checked on every reuse.
 *
 * @module
 */

import { basename, join } from "node:path";
import { fileHash } from "../fetch/chunks.ts";
import { exists, removeTree } from "../fsutil.ts";

/** What the built cache key takes from the target interpreter. */
export interface BuildTarget {
  /** `sys.implementation.name`, e.g. `cpython`. */
  implementation: string;
  /** `X.Y`. */
  pyVersion: string;
  /** `sysconfig.get_platform()`, e.g. `linux-x86_64`. */
  platform: string;
  /** Supported wheel tags, best first (the first one's ABI is used). */
  tags: string[];
}

/**
 * The `<target>` folder name: implementation, version, ABI tag and platform.
 *
 * @example
 * ```ts
 * targetKey({ implementation: "cpython", pyVersion: "3.11", platform: "linux-x86_64",
 *   tags: ["cp311-cp311-manylinux_2_36_x86_64"] }); // "cpython-3.11-cp311-linux-x86_64"
 * ```
 */
export function targetKey(t: BuildTarget): string {
  const abi = t.tags[0]?.split("-")[1] ?? "none";
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");
  return [t.implementation, t.pyVersion, abi, t.platform].map(clean).join("-");
}

/** The outcome of a look-up. */
export type Lookup =
  | { kind: "hit"; file: string }
  | { kind: "miss" }
  | { kind: "damaged"; entry: string; reason: string };

/**
 * Hex SHA-256 of a file, read as a stream.
 *
 * @example
 * ```ts
 * await sha256File("/cache/dist/demo-1.0.zip"); // "0f3a..."
 * ```
 */
export async function sha256File(path: string): Promise<string> {
  return await fileHash(path, "sha256");
}

const isBuilt = (n: string) => n.endsWith(".whl") || n.endsWith(".egg");

/**
 * The `built/` folder of a download cache.
 *
 * @example
 * ```ts
 * const cache = new BuiltCache("/home/me/.cache/buildout/built");
 * const found = await cache.lookup(sdistSha, interp); // { kind: "hit", file: ".../demo-1.0-py3.11.egg" }
 * ```
 */
export class BuiltCache {
  /** `dir` is `<download-cache>/built`; it need not exist yet. */
  constructor(readonly dir: string) {}

  /** The entry folder of an sdist (by its SHA-256) for a target. */
  entry(sdistSha: string, target: BuildTarget): string {
    return join(this.dir, sdistSha, targetKey(target));
  }

  /** The built file of an entry, verified against its recorded digest. */
  async lookup(sdistSha: string, target: BuildTarget): Promise<Lookup> {
    const entry = this.entry(sdistSha, target);
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(entry)) names.push(e.name);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return { kind: "miss" };
      throw err;
    }
    const built = names.filter(isBuilt);
    if (built.length !== 1) {
      return { kind: "damaged", entry, reason: "no single built file" };
    }
    const file = join(entry, built[0]);
    const recorded = await Deno.readTextFile(`${file}.sha256`).then(
      (t) => t.trim().split(/\s+/)[0],
      () => undefined,
    );
    if (!recorded) {
      return { kind: "damaged", entry, reason: "its sha256 file is missing" };
    }
    if (await sha256File(file) !== recorded) {
      return { kind: "damaged", entry, reason: "sha256 mismatch" };
    }
    return { kind: "hit", file };
  }

  /** Remove a damaged entry. */
  async drop(entry: string): Promise<void> {
    await removeTree(entry).catch(() => {});
  }

  /**
   * Move the freshly built `file` into the entry of `sdistSha` for `target`
   * (temporary folder, then rename) and return its cached path. When another
   * run stored the entry meanwhile, that one is kept.
   */
  async store(
    sdistSha: string,
    target: BuildTarget,
    file: string,
  ): Promise<string> {
    const entry = this.entry(sdistSha, target);
    const parent = join(this.dir, sdistSha);
    await Deno.mkdir(parent, { recursive: true });
    const temp = await Deno.makeTempDir({ dir: parent, prefix: ".tmp-" });
    const name = basename(file);
    try {
      const dest = join(temp, name);
      await Deno.rename(file, dest).catch(() => Deno.copyFile(file, dest));
      const f = await Deno.open(dest, { write: true });
      try {
        await f.sync();
      } finally {
        f.close();
      }
      await Deno.writeTextFile(
        `${dest}.sha256`,
        `${await sha256File(dest)}  ${name}\n`,
      );
      try {
        await Deno.rename(temp, entry);
      } catch (err) {
        const there = await this.lookup(sdistSha, target);
        if (there.kind === "hit") return there.file;
        throw err;
      }
      return join(entry, name);
    } finally {
      if (await exists(temp)) await removeTree(temp).catch(() => {});
    }
  }
}
