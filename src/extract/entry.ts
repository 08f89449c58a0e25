/**
 * The uniform entry shape every archive reader yields, and the errors readers
 * raise (turned into the user's message by `archive.ts`).
 *
 * @module
 */

/**
 * One archive member, as named in the archive. A regular file has either
 * `data` (small: the whole content at once) or `stream` (large: the content in
 * chunks, checked as it streams).
 *
 * @example
 * ```ts
 * const e: RawEntry = { name: "pkg/x.py", type: "file", data: () => bytes };
 * ```
 */
export interface RawEntry {
  name: string;
  type: "file" | "directory" | "symlink" | "link" | "other";
  /** Permission bits (0o777) when the archive records them. */
  mode?: number;
  /** Symlink target, or hard-link target (a path from the archive root). */
  linkname?: string;
  /** A small file's whole content (at once when the reader has it at hand). */
  data?: () => Uint8Array | Promise<Uint8Array>;
  /** A large file's content, chunk by chunk (read at most once). */
  stream?: () => AsyncIterable<Uint8Array>;
}

/**
 * Raised by readers for a damaged archive; turned into the user's message.
 *
 * @example
 * ```ts
 * throw new BadArchive("no central directory");
 * ```
 */
export class BadArchive extends Error {}

/**
 * Raised by readers for a member name the reader itself finds unsafe.
 *
 * @example
 * ```ts
 * throw new UnsafeEntry("../evil");
 * ```
 */
export class UnsafeEntry extends Error {
  constructor(readonly entry: string) {
    super(entry);
  }
}

/**
 * The message of an error, or the value as text.
 *
 * @example
 * ```ts
 * reason(new Error("boom")); // "boom"
 * ```
 */
export function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
