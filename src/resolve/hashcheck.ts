/**
 * `require-hashes = true`: before a distribution file is installed, its
 * sha256 must be one of those `[hashes]` lists for its project, and the
 * project must be pinned in `[versions]`.
 *
 * @module
 */
import { basename } from "../path.ts";
import { UserError } from "../errors.ts";
import type { Settings } from "../config/settings.ts";
import type { DigestMemo } from "../fetch/digest.ts";
import { parseDistFilename } from "../pypa/filename.ts";

/**
 * Check one distribution file against the settings' pins and hashes; throws
 * the one-line refusal. Nothing is checked unless `require-hashes` is on.
 *
 * @example
 * ```ts
 * await checkFileHash("/cache/dist/demo-0.2-py3-none-any.whl", settings, memo);
 * // Error: Hash mismatch for demo-0.2-py3-none-any.whl: expected one of sha256:aaa..., got sha256:bbb...
 * ```
 */
export async function checkFileHash(
  file: string,
  settings: Settings,
  memo: DigestMemo,
): Promise<void> {
  if (!settings.requireHashes) return;
  const name = basename(file);
  const parsed = parseDistFilename(name);
  const key = parsed?.key;
  if (!key || !settings.versions.has(key)) {
    throw new UserError(
      `require-hashes is on and ${
        parsed?.name ?? name
      } has no pin in [versions]: refusing ${name}`,
    );
  }
  const expected = settings.hashes?.get(key) ?? [];
  if (!expected.length) {
    throw new UserError(
      `require-hashes is on and ${parsed.name} has no entry in [hashes]: refusing ${name}`,
    );
  }
  const actual = `sha256:${await memo.sha256(file)}`;
  if (!expected.includes(actual)) {
    throw new UserError(
      `Hash mismatch for ${name}: expected one of ${
        expected.join(" ")
      }, got ${actual}`,
    );
  }
}
