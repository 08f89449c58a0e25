/**
 * The lock file's text: a configuration a buildout can `extends`, or JSON.
 *
 * @module
 */
import type { LockEntry } from "./collect.ts";

/**
 * The lock as a configuration file: `[versions]` pins and `[hashes]`, one
 * line per pin, its `sha256:<hex>` digests separated by spaces.
 *
 * @example
 * ```ts
 * formatLockConfig([{ name: "demo", version: "0.3", hashes: ["sha256:ab..."] }]);
 * // "# ...\n[versions]\ndemo = 0.3\n\n[hashes]\ndemo = sha256:ab...\n"
 * ```
 */
export function formatLockConfig(entries: LockEntry[]): string {
  return [
    "# Written by `buildout lock`. Use it with `extends`; with",
    "# `require-hashes = true` only files with these hashes are installed.",
    "[versions]",
    ...entries.map((e) => `${e.name} = ${e.version}`),
    "",
    "[hashes]",
    ...entries.map((e) => `${e.name} = ${e.hashes.join(" ")}`),
    "",
  ].join("\n");
}

/**
 * The lock as JSON: `{"versions": {name: version}, "hashes": {name: [...]}}`.
 *
 * @example
 * ```ts
 * JSON.parse(formatLockJson(entries)).versions.demo; // "0.3"
 * ```
 */
export function formatLockJson(entries: LockEntry[]): string {
  return JSON.stringify(
    {
      versions: Object.fromEntries(entries.map((e) => [e.name, e.version])),
      hashes: Object.fromEntries(entries.map((e) => [e.name, e.hashes])),
    },
    null,
    2,
  ) + "\n";
}
