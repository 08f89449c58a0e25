/**
 * Checking an unpacked wheel against its `RECORD` (PEP 376/427); the file is
 * parsed by `parseRecord` in `dist/metadata.ts`.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import type { RecordEntry } from "../pypa/record.ts";
import { UserError } from "../errors.ts";

const ALGORITHMS = new Set(["sha256", "sha384", "sha512"]);

/**
 * A file's size and sha256 digest (RECORD form), hashed as it was extracted.
 * Rows with another algorithm read the file back.
 */
export interface Seen {
  size: number;
  sha256: string;
}

/**
 * Check every hashed `RECORD` row against the unpacked wheel in `root`, in
 * RECORD order (so the first bad file is the one reported). A
 * missing file, a size or hash mismatch, or an unsupported algorithm throws a
 * `UserError` naming the wheel and the file. Contents already `seen` while
 * extracting (by RECORD path, sha256 rows) are checked without reading the
 * files back; others are read back in chunks.
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
  seen?: Map<string, Seen>,
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
    const known = seen?.get(row.path);
    let got: { size: number; hash: string };
    if (known && algo === "sha256") {
      got = { size: known.size, hash: known.sha256 };
    } else {
      try {
        got = hashFile(join(root, row.path), algo);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) {
          throw bad(row.path, "is listed in RECORD but missing");
        }
        if (e instanceof Deno.errors.IsADirectory) {
          throw bad(row.path, "is listed in RECORD as a file but is a folder");
        }
        throw e;
      }
    }
    if (row.size !== undefined && row.size !== got.size) {
      throw bad(row.path, "does not match its RECORD size");
    }
    if (got.hash !== row.hash) {
      throw bad(row.path, "does not match its RECORD hash");
    }
  }
}

/** Shared by every (synchronous) {@link hashFile} call. */
let readBuffer: Uint8Array | undefined;

/** Size and RECORD-style digest of a file, read in chunks. */
function hashFile(path: string, algo: string): { size: number; hash: string } {
  const f = Deno.openSync(path);
  try {
    const h = createHash(algo);
    const buf = readBuffer ??= new Uint8Array(64 * 1024);
    let size = 0;
    while (true) {
      const n = f.readSync(buf);
      if (n === null || n === 0) break;
      h.update(buf.subarray(0, n));
      size += n;
    }
    return { size, hash: algo + "=" + h.digest("base64url") };
  } finally {
    f.close();
  }
}
