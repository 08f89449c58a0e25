/**
 * The shared download cache's storage side: what any backend (the HTTP
 * content-addressed store or an OCI repository) must offer, the
 * name record it keeps under `/ac/<key>` and how that key is made.
 *
 * @module
 */
import { sha256Hex } from "../sha256.ts";

/**
 * The JSON record stored under a name key: which content object holds a
 * distribution file.
 */
export interface SharedRecord {
  /** Hex sha256 of the file (its `/cas/` object). */
  sha256: string;
  /** The file's basename, e.g. `demo-0.2-py3-none-any.whl`. */
  filename: string;
  /** The file's size in bytes. */
  size: number;
}

/**
 * A remote store for the shared download cache. It is not trusted: whatever
 * `get` writes is checked against its sha256 by the caller. Outages (refused
 * connections, timeouts, 5xx) and refusals (4xx other than 404) are thrown as
 * `DownloadError`s; an absent object or record is an ordinary answer.
 *
 * Implemented by `HttpSharedCache` (shared_http.ts) and `OciSharedCache`
 * (shared_oci.ts: objects as blobs, records as tagged manifests).
 *
 * @example
 * ```ts
 * const backend: SharedCacheBackend = new HttpSharedCache("http://cache.example/");
 * if (await backend.get("9f86d08...", "/tmp/part")) console.log("hit");
 * ```
 */
export interface SharedCacheBackend {
  /** Where the store is, for messages. */
  readonly location: string;
  /** Write the object `sha256` to `dest`; false when the store lacks it. */
  get(sha256: string, dest: string): Promise<boolean>;
  /** The record under `key`, or undefined; a malformed one throws {@link BadRecord}. */
  lookup(key: string): Promise<SharedRecord | undefined>;
  /** Whether the store holds the object (`cas`) or the record (`ac`). */
  has(kind: "cas" | "ac", id: string): Promise<boolean>;
  /** Upload the file at `file` as the object `sha256`. */
  put(sha256: string, file: string): Promise<void>;
  /** Upload `record` under `key`. */
  putRecord(key: string, record: SharedRecord): Promise<void>;
}

/** A name record that is not the JSON {@link SharedRecord} this program writes. */
export class BadRecord extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BadRecord";
  }
}

/** What the key of a distribution file's name record is made from (see {@link recordKey}). */
export const RECORD_PREFIX = "buildout:dist:";

/** The largest name record read (it is a few dozen bytes). */
export const MAX_RECORD_BYTES = 64 * 1024;

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The `/ac/` key of a distribution file: the hex sha256 of
 * `buildout:dist:<file name>`. By file name, not URL, so that machines
 * reaching the same file through different mirrors share it.
 *
 * @example
 * ```ts
 * recordKey("demo-0.2.zip"); // sha256 of "buildout:dist:demo-0.2.zip", 64 hex digits
 * ```
 */
export function recordKey(filename: string): string {
  return sha256Hex(RECORD_PREFIX + filename);
}

/**
 * Whether `text` is a lower-case hex sha256.
 *
 * @example
 * ```ts
 * isSha256("ab".repeat(32)); // true
 * ```
 */
export function isSha256(text: string): boolean {
  return HEX64.test(text);
}

/**
 * Read a name record from its JSON text; anything else throws {@link BadRecord}.
 *
 * @example
 * ```ts
 * parseRecord('{"sha256":"' + "ab".repeat(32) + '","filename":"demo-0.2.zip","size":12}');
 * ```
 */
export function parseRecord(text: string): SharedRecord {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BadRecord("not JSON");
  }
  const r = data as Partial<SharedRecord> | null;
  if (
    !r || typeof r !== "object" || typeof r.sha256 !== "string" ||
    !isSha256(r.sha256) || typeof r.filename !== "string" ||
    typeof r.size !== "number" || !Number.isSafeInteger(r.size) || r.size < 0
  ) {
    throw new BadRecord("not a {sha256, filename, size} record");
  }
  return { sha256: r.sha256, filename: r.filename, size: r.size };
}
