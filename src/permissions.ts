/**
 * The permissions the program runs with: the `buildout` task in deno.json and
 * the compiled binary get exactly these (read, write, net, env, run, sys).
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: ["run", ...PERMISSION_FLAGS, "main.ts"] });
 * ```
 *
 * @module
 */
export const PERMISSION_FLAGS = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
] as const;
