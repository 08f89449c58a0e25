/**
 * Checking an unpacked wheel against its `RECORD` (PEP 376/427); the file is
 * parsed by `parseRecord` in `dist/metadata.ts`.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RecordEntry } from "../pypa/metadata.ts";
import { UserError } from "../errors.ts";

const ALGORITHMS = new Set(["sha256", "sha384", "sha512"]);

/**
 * The RECORD-style digest of `data` (`<algo>=<urlsafe base64, no padding>`).
 * Synchronous node:crypto: much cheaper than WebCrypto for many small files.
 *
 * @example
 * ```ts
 * recordHash(new TextEncoder().encode(""), "sha256");
 * // "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
 * ```
 */
export function recordHash(data: Uint8Array, algo = "sha256"): string {
  return algo + "=" + createHash(algo).update(data).digest("base64url");
}

/**
 * Check every hashed `RECORD` row against the unpacked wheel in `root`, in
 * RECORD order (so the first bad file is the one reported). A
 * missing file, a size or hash mismatch, or an unsupported algorithm throws a
 * `UserError` naming the wheel and the file. Contents already `seen` while
 * extracting (by RECORD path) are checked without reading the files back.
 *
 * @example
 * ```ts
 * verifyRecord("/eggs/.tmp-x/whl", rows, "demo-1.0-py3-none-any.whl");
 * ```
 */
export function verifyRecord(
  root: string,
  rows: RecordEntry[],
  wheel: string,
  seen?: Map<string, Uint8Array>,
): void {
  const bad = (path: string, why: string) =>
    new UserError(`${wheel} is damaged: ${path} ${why}.`);
  for (const row of rows) {
    if (!row.hash) continue;
    if (row.path.startsWith("/") || row.path.split("/").includes("..")) {
      throw bad(row.path, "is listed in RECORD outside the wheel");
    }
    const algo = row.hash.slice(0, row.hash.indexOf("="));
    if (!ALGORITHMS.has(algo)) {
      throw bad(row.path, `uses an unsupported hash algorithm '${algo}'`);
    }
    let data: Uint8Array | undefined = seen?.get(row.path);
    try {
      data ??= Deno.readFileSync(join(root, row.path));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw bad(row.path, "is listed in RECORD but missing");
      }
      throw e;
    }
    if (row.size !== undefined && row.size !== data.length) {
      throw bad(row.path, "does not match its RECORD size");
    }
    if (recordHash(data, algo) !== row.hash) {
      throw bad(row.path, "does not match its RECORD hash");
    }
  }
}
