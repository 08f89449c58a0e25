/**
 * The build_ext options of zc.recipe.egg:custom and :develop, read from a
 * part: paths made absolute (relative to the buildout directory), the rest
 * passed on as written; and the `environment` section of :custom.
 *
 * @module
 */

import { resolve } from "node:path";
import { UserError } from "../../errors.ts";
import type { Buildout, Options } from "../../config/buildout.ts";
import { pyRepr } from "../../pyrepr.ts";

/** Options given as lists of paths, one per line: joined with `:`. */
const PATH_LISTS = ["include-dirs", "library-dirs", "rpath"];
/** Options that are switches. */
const SWITCHES = ["debug", "force", "swig-cpp"];
/** Options passed on as written. */
const PLAIN = [
  "define",
  "undef",
  "libraries",
  "link-objects",
  "compiler",
  "swig-opts",
];
/** rpath entries the dynamic linker expands itself: not made absolute. */
const RPATH_SPECIAL = /^\$(\{(ORIGIN|LIB|PLATFORM)\}|ORIGIN|LIB|PLATFORM)/;

const TRUE = ["y", "yes", "t", "true", "on", "1"];
const FALSE = ["n", "no", "f", "false", "off", "0"];

/**
 * Read the build_ext options of a part, setting the path options back to
 * their absolute form (so `${part:include-dirs}` is absolute). A switch that
 * is not a boolean distutils understands is refused.
 *
 * @example
 * ```ts
 * readBuildExt(options, "/b"); // include-dirs = include, define = TWO
 * // { "include-dirs": "/b/include", define: "TWO" }
 * ```
 */
export function readBuildExt(
  options: Options,
  directory: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of PATH_LISTS) {
    const value = options.get(key);
    if (value === undefined) continue;
    const paths = value.split("\n").map((l) => l.trim()).filter(Boolean).map(
      (p) =>
        key === "rpath" && RPATH_SPECIAL.test(p) ? p : resolve(directory, p),
    );
    out[key] = paths.join(":");
    options.set(key, out[key]);
  }
  const swig = options.get("swig");
  if (swig) {
    out.swig = resolve(directory, swig.trim());
    options.set("swig", out.swig);
  }
  for (const key of SWITCHES) {
    const value = options.get(key);
    if (value === undefined) continue;
    const v = value.trim().toLowerCase();
    if (!TRUE.includes(v) && !FALSE.includes(v)) {
      throw new UserError(
        `Invalid value for ${key} option: '${value.trim()}' (use true or false)`,
      );
    }
    out[key] = value.trim();
  }
  for (const key of PLAIN) {
    const value = options.get(key);
    if (value !== undefined) out[key] = value.trim();
  }
  return out;
}

/**
 * The same options as `setup.py build_ext` arguments (switches that are on
 * become flags, those that are off are left out).
 *
 * @example
 * ```ts
 * buildExtArgs({ "include-dirs": "/b/include", debug: "true", force: "no" });
 * // ["--include-dirs=/b/include", "--debug"]
 * ```
 */
export function buildExtArgs(options: Record<string, string>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (SWITCHES.includes(key)) {
      if (TRUE.includes(value.toLowerCase())) args.push(`--${key}`);
    } else args.push(`--${key}=${value}`);
  }
  return args;
}

/**
 * The variables of the `environment` section (sorted by name), and their
 * record for `.installed.cfg` (`_environment-data`, a Python list of pairs),
 * so that changing the section rebuilds the egg.
 *
 * @example
 * ```ts
 * readEnvironment(buildout, "extdemo-env");
 * // { vars: [["CFLAGS", "-O0"]], record: "[('CFLAGS', '-O0')]" }
 * ```
 */
export function readEnvironment(
  buildout: Buildout,
  section: string | undefined,
): { vars: [string, string][]; record: string } {
  const vars: [string, string][] = [];
  if (section?.trim()) {
    const s = buildout.section(section.trim());
    for (const key of s.keys()) vars.push([key, s.get(key) ?? ""]);
  }
  vars.sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const record = "[" +
    vars.map(([k, v]) => `(${pyRepr(k)}, ${pyRepr(v)})`).join(", ") + "]";
  return { vars, record };
}

/**
 * Expand `%(NAME)s` with the variable `NAME` of `env` and `%%` to `%`, as
 * buildout does with `value % os.environ`. Another `%` or an unset variable
 * is an error naming the variable being set.
 *
 * @example
 * ```ts
 * interpolateEnv("foo:%(PATH)s", { PATH: "/bin" }, "PATH"); // "foo:/bin"
 * ```
 */
export function interpolateEnv(
  value: string,
  env: Record<string, string>,
  name: string,
): string {
  return value.replace(/%(\(([^)]*)\)s|%|.?)/gs, (m, _all, ref) => {
    if (m === "%%") return "%";
    if (ref === undefined) {
      throw new UserError(
        `Invalid value for environment variable ${name}: '${value}' (write a literal % as %%)`,
      );
    }
    if (!(ref in env)) {
      throw new UserError(
        `Environment variable ${name} refers to %(${ref})s, which is not set`,
      );
    }
    return env[ref];
  });
}
