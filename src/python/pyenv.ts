/**
 * pyenv shims: `python3` on PATH is often `$PYENV_ROOT/shims/python3`, a
 * script that picks an interpreter each time it runs (~0.2 s). Following
 * pyenv's own choice (`PYENV_VERSION`, else the nearest `.python-version`,
 * else `$PYENV_ROOT/version`) tells which binary it would run, without
 * running it, so that binary can be probed and remembered instead.
 *
 * @module
 */

import { basename, dirname, join } from "../path.ts";

function readVersions(file: string): string[] | undefined {
  try {
    return Deno.readTextFileSync(file).split(/\s+/).filter((v) =>
      v && !v.startsWith("#")
    );
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * The binary a pyenv shim runs now, or `undefined` when `shim` is not a pyenv
 * shim or pyenv would pick the system Python (then the shim must be run).
 *
 * @example
 * ```ts
 * pyenvTarget("/root/.pyenv/shims/python3", "/work/app", Deno.env.toObject());
 * // "/root/.pyenv/versions/3.11.7/bin/python3"
 * ```
 */
export function pyenvTarget(
  shim: string,
  cwd: string,
  env: Record<string, string | undefined>,
): string | undefined {
  if (basename(dirname(shim)) !== "shims") return undefined;
  const root = dirname(dirname(shim));
  if (env.PYENV_ROOT && env.PYENV_ROOT !== root) return undefined;
  let versions = env.PYENV_VERSION?.split(":").filter(Boolean);
  for (let dir = cwd; !versions; dir = dirname(dir)) {
    versions = readVersions(join(dir, ".python-version"));
    if (dirname(dir) === dir) break;
  }
  versions ??= readVersions(join(root, "version"));
  for (const v of versions ?? []) {
    if (v === "system") return undefined;
    const bin = join(root, "versions", v, "bin", basename(shim));
    if (isFile(bin)) return bin;
  }
  return undefined;
}
