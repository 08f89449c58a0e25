/**
 * The options of the cmmi recipes (`zc.recipe.cmmi`, `hexagonit.recipe.cmmi`),
 * read and checked once: environment settings in each recipe's syntax, the
 * refused Python hooks, the shared-build key.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { UserError } from "../../errors.ts";
import type { Options } from "../../config/buildout.ts";

/** Which recipe's conventions apply where the two differ. */
export type Flavor = "zc" | "hexagonit";

/** The shell hooks, in the order they run, and the step each precedes. */
export const SHELL_HOOKS = [
  "pre-configure",
  "pre-build",
  "pre-install",
  "post-install",
] as const;

/** hexagonit.recipe.cmmi's Python hooks (`module.py:callable`), refused. */
export const PYTHON_HOOKS = [
  "pre-configure-hook",
  "pre-make-hook",
  "post-make-hook",
] as const;

const PY_HOOK = /^\S+\.py:[A-Za-z_]\w*$/;

/**
 * zc.recipe.cmmi's `environment`: whitespace-separated `NAME=value` tokens;
 * a token that does not look like a setting continues the previous value.
 *
 * @example
 * ```ts
 * parseZcEnvironment("CFLAGS=-I/x -I/y 2=1 a=b"); // { CFLAGS: "-I/x -I/y 2=1", a: "b" }
 * ```
 */
export function parseZcEnvironment(text: string): Record<string, string> {
  const settings: string[] = [];
  for (const token of text.split(/\s+/).filter((t) => t)) {
    if (/^\w+=/.test(token) && /^\D/.test(token)) settings.push(token);
    else if (settings.length) settings[settings.length - 1] += " " + token;
    else throw new UserError(`Bad environment setting: ${token}`);
  }
  return Object.fromEntries(settings.map((s) => {
    const i = s.indexOf("=");
    return [s.slice(0, i), s.slice(i + 1)];
  }));
}

/**
 * hexagonit.recipe.cmmi's `environment`: one `KEY=VALUE` per line; values may
 * name variables of the current environment as `%(NAME)s`.
 *
 * @example
 * ```ts
 * parseLineEnvironment("PATH=%(PATH)s:/opt/bin", { PATH: "/bin" }); // { PATH: "/bin:/opt/bin" }
 * ```
 */
export function parseLineEnvironment(
  text: string,
  current: Record<string, string>,
  into: Record<string, string> = {},
): Record<string, string> {
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const i = line.indexOf("=");
    if (i < 0) {
      throw new UserError(
        `Invalid environment variable definition: ${line.trim()}`,
      );
    }
    into[line.slice(0, i).trim()] = line.slice(i + 1);
  }
  for (const [k, v] of Object.entries(into)) into[k] = interpolate(v, current);
  return into;
}

function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/%(?:\(([^)]*)\)s|%)/g, (m, name?: string) => {
    if (m === "%%") return "%";
    if (!(name! in env)) {
      throw new UserError(
        `Environment value ${JSON.stringify(value)} names ${
          JSON.stringify(name)
        }, which is not set`,
      );
    }
    return env[name!];
  });
}

/** A patch to apply: where it is and its optional MD5. */
export interface PatchSpec {
  url: string;
  md5?: string;
}

/**
 * The patches of a part: zc's single `patch` (with `patch-md5sum`) and the
 * `patches` list (one per line; `url#md5` pins a checksum).
 *
 * @example
 * ```ts
 * patchSpecs(options); // [{ url: "patches/fix.patch" }, { url: "http://h/p.diff", md5: "..." }]
 * ```
 */
export function patchSpecs(options: Options): PatchSpec[] {
  const specs: PatchSpec[] = [];
  const single = options.get("patch")?.trim();
  if (single) {
    specs.push({
      url: single,
      md5: options.get("patch-md5sum")?.trim() || undefined,
    });
  }
  for (const line of (options.get("patches") ?? "").split(/\s+/)) {
    if (!line) continue;
    const m = /^(.*)#([0-9a-fA-F]{32})$/.exec(line);
    specs.push(m ? { url: m[1], md5: m[2].toLowerCase() } : { url: line });
  }
  return specs;
}

/**
 * Refuse the Python-hook options and shell hooks written as `file.py:name`.
 *
 * @example
 * ```ts
 * checkHooks(options, "lib"); // throws for pre-make-hook = hooks.py:premake
 * ```
 */
export function checkHooks(options: Options, part: string): void {
  for (const key of PYTHON_HOOKS) {
    const v = options.get(key)?.trim();
    if (v) {
      throw new UserError(
        `Part '${part}': option ${key} names a Python hook (${v}), which ` +
          `this buildout cannot run; write shell commands in ${
            SHELL_HOOKS.join(", ")
          } instead.`,
      );
    }
  }
  for (const key of SHELL_HOOKS) {
    const v = options.get(key)?.trim();
    if (v && PY_HOOK.test(v)) {
      throw new UserError(
        `Part '${part}': option ${key} must hold shell commands, not a ` +
          `Python hook (${v}).`,
      );
    }
  }
}

/**
 * The shared-build key: a SHA-1 over every option that changes the build.
 *
 * @example
 * ```ts
 * sharedKey(["http://h/foo.tgz", "--enable-x"]); // "5f0c..."
 * ```
 */
export function sharedKey(state: string[]): string {
  return createHash("sha1").update(JSON.stringify(state)).digest("hex");
}
