/**
 * The `[hashes]` section of a lock file: one option per pinned project, its
 * value the `sha256:<hex>` digests of every file that may be installed for
 * the pin, separated by whitespace or newlines.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { normalizeName } from "../pypa/name.ts";
import type { Buildout } from "./buildout.ts";

const ENTRY = /^sha256:[0-9a-f]{64}$/;

/**
 * The digests of one `[hashes]` value (`sha256:<hex>` words, lower-cased).
 * A word of another shape is an error naming the project.
 *
 * @example
 * ```ts
 * parseHashList("demo", `sha256:${"a".repeat(64)}\n sha256:${"b".repeat(64)}`).length; // 2
 * ```
 */
export function parseHashList(project: string, value: string): string[] {
  const words = value.split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
  const bad = words.find((w) => !ENTRY.test(w));
  if (bad !== undefined) {
    throw new UserError(
      `Invalid hash for ${project} in [hashes]: '${bad}' (expected sha256:<64 hex digits>)`,
    );
  }
  return words;
}

/**
 * The `[hashes]` section, by normalised project name (empty when there is
 * no such section).
 *
 * @example
 * ```ts
 * readHashes(buildout).get("demo"); // ["sha256:..."]
 * ```
 */
export function readHashes(buildout: Buildout): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!buildout.has("hashes")) return out;
  const sec = buildout.section("hashes");
  for (const k of sec.keys()) {
    out.set(normalizeName(k), parseHashList(k, sec.get(k) ?? ""));
  }
  return out;
}
