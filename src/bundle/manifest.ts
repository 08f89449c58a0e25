/**
 * The bundle `MANIFEST`: one `<sha256>  <path>` line per file (the format of `sha256sum`, so
 * `sha256sum -c MANIFEST` works too). The first line names the main configuration file.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { UserError } from "../errors.ts";

/** The manifest's file name at the root of a bundle. */
export const MANIFEST = "MANIFEST";

/** One manifest line. */
export interface ManifestEntry {
  /** Path relative to the bundle root, `/`-separated. */
  path: string;
  sha256: string;
}

/**
 * The text of a manifest, entries in the order given.
 *
 * @example
 * ```ts
 * formatManifest([{ path: "buildout.cfg", sha256: "ab12" }]); // "ab12  buildout.cfg\n"
 * ```
 */
export function formatManifest(entries: ManifestEntry[]): string {
  return entries.map((e) => `${e.sha256}  ${e.path}\n`).join("");
}

/**
 * Parse a manifest's text; a malformed line is a UserError naming it.
 *
 * @example
 * ```ts
 * parseManifest("ab12  buildout.cfg\n"); // [{ path: "buildout.cfg", sha256: "ab12" }]
 * ```
 */
export function parseManifest(
  text: string,
  source = MANIFEST,
): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) {
      throw new UserError(
        `${source}, line ${i + 1}: not a '<sha256>  <path>' line: ${line}`,
      );
    }
    out.push({ path: m[2], sha256: m[1] });
  });
  return out;
}

/** One difference between a manifest and what was found. */
export interface Problem {
  path: string;
  kind: "mismatch" | "missing" | "unlisted";
}

/**
 * Compare the manifest with the digests found. Files found but not listed are reported only
 * when `unlisted` is true (a bundle archive must hold nothing else; a folder may).
 *
 * @example
 * ```ts
 * compareManifest([{ path: "a", sha256: "1" }], new Map([["a", "2"]]), true);
 * // [{ path: "a", kind: "mismatch" }]
 * ```
 */
export function compareManifest(
  expected: ManifestEntry[],
  found: ReadonlyMap<string, string>,
  unlisted: boolean,
): Problem[] {
  const problems: Problem[] = [];
  const listed = new Set<string>();
  for (const e of expected) {
    listed.add(e.path);
    const got = found.get(e.path);
    if (got === undefined) problems.push({ path: e.path, kind: "missing" });
    else if (got !== e.sha256) {
      problems.push({ path: e.path, kind: "mismatch" });
    }
  }
  if (unlisted) {
    for (const p of [...found.keys()].sort()) {
      if (!listed.has(p) && p !== MANIFEST) {
        problems.push({ path: p, kind: "unlisted" });
      }
    }
  }
  return problems;
}

/**
 * The line printed for a problem.
 *
 * @example
 * ```ts
 * describeProblem({ path: "a.cfg", kind: "mismatch" }); // "a.cfg: sha256 mismatch"
 * ```
 */
export function describeProblem(p: Problem): string {
  switch (p.kind) {
    case "mismatch":
      return `${p.path}: sha256 mismatch`;
    case "missing":
      return `${p.path}: missing`;
    case "unlisted":
      return `${p.path}: not listed in ${MANIFEST}`;
  }
}

/**
 * The sha256 of a byte stream, hex.
 *
 * @example
 * ```ts
 * await sha256Stream((await Deno.open("a.cfg")).readable);
 * ```
 */
export async function sha256Stream(
  stream: ReadableStream<Uint8Array>,
): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of stream) h.update(chunk);
  return h.digest("hex");
}

/**
 * The sha256 of bytes or text, hex.
 *
 * @example
 * ```ts
 * sha256Hex("abc").slice(0, 8); // "ba7816bf"
 * ```
 */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
