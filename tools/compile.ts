/**
 * `deno task compile`: build the single `dist/buildout` binary with `deno compile`.
 *
 * Usage: `deno task compile [--output FILE] [ENTRY]` (defaults: `dist/buildout`, `main.ts`).
 * The Deno runtime embedded in the binary (`denort`) comes from `DENORT_BIN` when set, else
 * from the Deno cache, else it is downloaded from dl.deno.land; the tool prints which. When
 * that download is impossible it prints one line pointing at `DENORT_BIN` and exits 1.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { PERMISSION_FLAGS, RUNTIME_FLAGS } from "../src/permissions.ts";

/** Exactly the permissions the program needs: the same list as the `buildout` task. */
export const PERMISSIONS = PERMISSION_FLAGS;

/**
 * Modules the binary loads that no import names: the wheel worker and the
 * writer thread's worker, started with `new Worker(new URL(...,
 * import.meta.url))`, which `deno compile` embeds only when given with
 * `--include`.
 */
export const INCLUDES = [
  fileURLToPath(
    new URL("../src/install/wheel_worker.ts", import.meta.url),
  ),
  fileURLToPath(
    new URL("../src/extract/write_worker.ts", import.meta.url),
  ),
] as const;

/** Where the runtime of a compiled binary is taken from. */
export type RuntimeSource =
  | { kind: "env"; path: string }
  | { kind: "cache"; path: string }
  | { kind: "download"; url: string };

/**
 * The `deno compile` argument list (without the `deno` executable itself).
 *
 * @example
 * ```ts
 * compileArgs("main.ts", "dist/buildout");
 * // ["compile", "--allow-read", ..., "--v8-flags=...", "--include", ".../wheel_worker.ts", "--output", "dist/buildout", "main.ts"]
 * ```
 */
export function compileArgs(entry: string, output: string): string[] {
  return [
    "compile",
    ...PERMISSIONS,
    ...RUNTIME_FLAGS,
    ...INCLUDES.flatMap((path) => ["--include", path]),
    "--output",
    output,
    entry,
  ];
}

/**
 * The URL Deno downloads its runtime from and the name it caches it under (below DENO_DIR).
 *
 * @example
 * ```ts
 * runtimeArchive("2.9.6", "x86_64-unknown-linux-gnu").url;
 * // "https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip"
 * ```
 */
export function runtimeArchive(
  version: string,
  target: string,
): { url: string; cachePath: string } {
  const file = `denort-${target}.zip`;
  return {
    url: `https://dl.deno.land/release/v${version}/${file}`,
    cachePath: `dl/release/v${version}/${file}`,
  };
}

/**
 * Decide where the runtime comes from (pure: the caller says whether the cached copy exists).
 *
 * @example
 * ```ts
 * runtimeSource({ DENORT_BIN: "/opt/denort" }, undefined, "u").kind; // "env"
 * ```
 */
export function runtimeSource(
  env: { DENORT_BIN?: string },
  cachedPath: string | undefined,
  url: string,
): RuntimeSource {
  if (env.DENORT_BIN) return { kind: "env", path: env.DENORT_BIN };
  if (cachedPath) return { kind: "cache", path: cachedPath };
  return { kind: "download", url };
}

/**
 * One line saying where the runtime comes from.
 *
 * @example
 * ```ts
 * describeRuntime({ kind: "env", path: "/opt/denort" });
 * // "Runtime: /opt/denort (from DENORT_BIN)"
 * ```
 */
export function describeRuntime(src: RuntimeSource): string {
  switch (src.kind) {
    case "env":
      return `Runtime: ${src.path} (from DENORT_BIN)`;
    case "cache":
      return `Runtime: ${src.path} (Deno cache)`;
    case "download":
      return `Runtime: downloading ${src.url}`;
  }
}

/**
 * Whether `deno compile` failed because the runtime could not be downloaded.
 *
 * @example
 * ```ts
 * isRuntimeDownloadFailure("error sending request for url (https://dl.deno.land/...)"); // true
 * ```
 */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return /dl\.deno\.land/.test(stderr) &&
    /(error sending request|Setting up base binary|Download)/.test(stderr);
}

/** The single line printed when the runtime cannot be downloaded. */
export function downloadHint(url: string): string {
  return `error: cannot download the Deno runtime from ${url} (no network?); ` +
    `set DENORT_BIN to a denort binary of Deno ${Deno.version.deno} and run again`;
}

async function denoDir(): Promise<string | undefined> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!out.success) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

function parseArgs(args: string[]): { entry: string; output: string } {
  let output = "dist/buildout";
  let entry = "main.ts";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--output" || args[i] === "-o") output = args[++i];
    else entry = args[i];
  }
  return { entry, output };
}

/**
 * Run the compile tool; returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exit(await compile(["--output", "/tmp/buildout"]));
 * ```
 */
export async function compile(args: string[]): Promise<number> {
  const { entry, output } = parseArgs(args);
  const env = { DENORT_BIN: Deno.env.get("DENORT_BIN") };
  const archive = runtimeArchive(Deno.version.deno, Deno.build.target);
  if (env.DENORT_BIN && !(await exists(env.DENORT_BIN))) {
    console.error(
      `error: DENORT_BIN points to ${env.DENORT_BIN}, which does not exist`,
    );
    return 1;
  }
  const dir = env.DENORT_BIN ? undefined : await denoDir();
  const cached = dir ? `${dir}/${archive.cachePath}` : undefined;
  const src = runtimeSource(
    env,
    cached && (await exists(cached)) ? cached : undefined,
    archive.url,
  );
  console.log(describeRuntime(src));
  const out = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(entry, output),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (out.success) {
    console.log(`Compiled ${output} with ${PERMISSIONS.join(" ")}`);
    return 0;
  }
  if (src.kind === "download" && isRuntimeDownloadFailure(stderr)) {
    console.error(downloadHint(archive.url));
    return 1;
  }
  await Deno.stderr.write(out.stderr);
  await Deno.stdout.write(out.stdout);
  return out.code || 1;
}

if (import.meta.main) {
  Deno.exit(await compile(Deno.args));
}
