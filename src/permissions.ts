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

/**
 * V8 settings the program runs with: a young generation of at most 2 MiB per
 * semi-space (V8 lets it grow to 16-32 MiB, most of it short-lived garbage
 * such as read and inflate buffers). Not a heap limit: a large install still
 * gets all the memory it needs, only collected more often. `--expose-gc` lets
 * code that moves many bytes collect the heap as it goes (see
 * `src/memory.ts`). `--max-opt=2` stops V8's tiers at Maglev: a run of a few
 * seconds gains nothing measurable from TurboFan, whose compiler touches
 * about 4 MiB more of the executable and its own work memory.
 *
 * @example
 * ```ts
 * ["run", ...PERMISSION_FLAGS, ...RUNTIME_FLAGS, "main.ts"];
 * ```
 */
export const RUNTIME_FLAGS = [
  "--v8-flags=--max-semi-space-size=2,--expose-gc,--max-opt=2",
] as const;

/**
 * What `deno run` and `deno compile` are given: the permissions, then the
 * runtime settings.
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: ["run", ...RUN_FLAGS, "main.ts"] });
 * ```
 */
export const RUN_FLAGS = [...PERMISSION_FLAGS, ...RUNTIME_FLAGS] as const;
