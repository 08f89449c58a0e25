/**
 * A distribution file that could satisfy a requirement, and where it was seen.
 *
 * @module
 */

import type { DistFile } from "../pypa/filename.ts";

/** Where a candidate was found; at equal versions the download cache wins. */
export type Origin = "cache" | "find-links" | "index";

/**
 * A candidate distribution file.
 *
 * @example
 * ```ts
 * const c: Candidate = {
 *   file: parseDistFilename("demo-0.2-py3-none-any.whl")!,
 *   url: "http://127.0.0.1:8080/demo-0.2-py3-none-any.whl",
 *   hashes: { sha256: "..." },
 *   origin: "find-links",
 * };
 * ```
 */
export interface Candidate {
  file: DistFile;
  /** An http(s) URL (without fragment) or an absolute local path. */
  url: string;
  /** Hashes the source gives for the file (`md5`, `sha256`, ...). */
  hashes: Record<string, string>;
  origin: Origin;
  /** `data-requires-python` / PEP 691 `requires-python`, when given. */
  requiresPython?: string;
  /** Yanked on the index (PEP 592): only taken for an exact `==` pin. */
  yanked?: boolean;
}
