/**
 * Where Deno keeps its module cache for this process: `DENO_DIR`, else
 * `$XDG_CACHE_HOME/deno`, else `~/.cache/deno`. Child processes whose HOME or
 * XDG_CACHE_HOME is moved are given it, so they find main.ts already compiled
 * (the tests' child runs, the bench's timed runs).
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { env: { DENO_DIR: denoDir(), HOME: dir } });
 * ```
 *
 * @module
 */
import { join } from "node:path";

/**
 * This process's Deno cache folder.
 *
 * @example
 * ```ts
 * denoDir(); // "/root/.cache/deno"
 * ```
 */
export function denoDir(): string {
  return Deno.env.get("DENO_DIR") ||
    join(
      Deno.env.get("XDG_CACHE_HOME") ||
        join(Deno.env.get("HOME") ?? "/root", ".cache"),
      "deno",
    );
}
