/**
 * Checking an unpacked wheel against its `RECORD` (PEP 376/427); the file is
 * parsed by `parseRecord` in `dist/metadata.ts`.
 *
 * @module
 */

import { join } from "node:path";
import type { RecordEntry } from "../dist/metadata.ts";
import { UserError } from "../errors.ts";

const ALGORITHMS: Record<string, string> = {
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

/**
 * The RECORD-style digest of `data` (`<algo>=<urlsafe base64, no padding>`).
 *
 * @example
 * ```ts
 * await recordHash(new TextEncoder().encode(""), "sha256");
 * // "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
 * ```
 */
export async function recordHash(
  data: Uint8Array,
  algo = "sha256",
): Promise<string> {
  const digest = await crypto.subtle.digest(
    ALGORITHMS[algo],
    data as Uint8Array<ArrayBuffer>,
  );
  let bin = "";
  for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
  return algo + "=" +
    btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Check every hashed `RECORD` row against the unpacked wheel in `root`. A
 * missing file, a size or hash mismatch, or an unsupported algorithm throws a
 * `UserError` naming the wheel and the file.
 *
 * @example
 * ```ts
 * await verifyRecord("/eggs/.tmp-x/whl", rows, "demo-1.0-py3-none-any.whl");
 * ```
 */
export async function verifyRecord(
  root: string,
  rows: RecordEntry[],
  wheel: string,
): Promise<void> {
  const bad = (path: string, why: string) =>
    new UserError(`${wheel} is damaged: ${path} ${why}.`);
  await Promise.all(rows.map(async (row) => {
    if (!row.hash) return;
    if (row.path.startsWith("/") || row.path.split("/").includes("..")) {
      throw bad(row.path, "is listed in RECORD outside the wheel");
    }
    const algo = row.hash.slice(0, row.hash.indexOf("="));
    if (!ALGORITHMS[algo]) {
      throw bad(row.path, `uses an unsupported hash algorithm '${algo}'`);
    }
    let data: Uint8Array;
    try {
      data = await Deno.readFile(join(root, row.path));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw bad(row.path, "is listed in RECORD but missing");
      }
      throw e;
    }
    if (row.size !== undefined && row.size !== data.length) {
      throw bad(row.path, "does not match its RECORD size");
    }
    if (await recordHash(data, algo) !== row.hash) {
      throw bad(row.path, "does not match its RECORD hash");
    }
  }));
}
