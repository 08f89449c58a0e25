/**
 * Project names: PEP 503 normalisation and the "safe" spellings used in egg
 * file and folder names.
 *
 * @module
 */

import { normalizeVersion } from "./version.ts";

/**
 * The PEP 503 normalised form of a project name: lowercase, every run of
 * `-`, `_` and `.` replaced by a single `-`. Use it as the key when comparing
 * project names.
 *
 * @example
 * ```ts
 * normalizeName("Foo.Bar__baz"); // "foo-bar-baz"
 * ```
 */
export function normalizeName(name: string): string {
  return name.trim().replace(/[-_.]+/g, "-").toLowerCase();
}

/**
 * The project name as written in egg file and folder names
 * (`<Name>-<version>-py3.11.egg`): case kept, every run of characters other
 * than letters, digits and `.` becomes a single `_` (setuptools' `safe_name`
 * followed by `to_filename`).
 *
 * @example
 * ```ts
 * eggSafeName("zope.interface"); // "zope.interface"
 * eggSafeName("my-project"); // "my_project"
 * ```
 */
export function eggSafeName(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9.]+/g, "_");
}

/**
 * A version as written in egg file and folder names (setuptools'
 * `safe_version` + `to_filename`): a valid PEP 440 version in its canonical
 * form, anything else with each run of characters other than letters, digits
 * and `.` replaced by `_`.
 *
 * @example
 * ```ts
 * eggSafeVersion("0.4c1"); // "0.4rc1"
 * eggSafeVersion("1.0-post1"); // "1.0.post1"
 * eggSafeVersion("not a-version"); // "not_a_version"
 * ```
 */
export function eggSafeVersion(version: string): string {
  const canonical = normalizeVersion(version);
  return canonical === undefined
    ? version.trim().replace(/[^A-Za-z0-9.]+/g, "_")
    : canonical.replace(/-/g, "_");
}

/**
 * The folder name of an installed egg:
 * `<Name>-<version>-py<X.Y>[-<platform>].egg`.
 *
 * @example
 * ```ts
 * eggFolderName("demo", "0.2", "3.11"); // "demo-0.2-py3.11.egg"
 * eggFolderName("ext-demo", "1.4", "3.11", "linux-x86_64");
 * // "ext_demo-1.4-py3.11-linux-x86_64.egg"
 * ```
 */
export function eggFolderName(
  name: string,
  version: string,
  pyVersion: string,
  platform?: string,
): string {
  const plat = platform ? "-" + platform : "";
  return `${eggSafeName(name)}-${
    eggSafeVersion(version)
  }-py${pyVersion}${plat}.egg`;
}
