/**
 * Limits that stop a decompression bomb: how much one archive may expand to,
 * and how far one member may outgrow its compressed size. The `[buildout]`
 * options `max-extract-size` and `max-compression-ratio` set the first two.
 *
 * @module
 */
import type { Settings } from "../config/settings.ts";

/** The limits one extraction runs under. */
export interface ExtractLimits {
  /** Total bytes all members of one archive may decompress to (`max-extract-size`). */
  maxExtractSize: number;
  /** Largest decompressed/compressed ratio (`max-compression-ratio`); 0 turns the check off. */
  maxCompressionRatio: number;
  /** The ratio is checked only for members (zip) or streams (tar) larger than this. */
  ratioMinSize: number;
}

/**
 * 4 GiB per archive: far above any real distribution or download (the largest
 * wheels on PyPI are well under 2 GiB unpacked), yet a bound on the disk one
 * archive can fill.
 */
export const DEFAULT_MAX_EXTRACT_SIZE = 4 * 1024 ** 3;

/**
 * 1000: deflate cannot exceed about 1032:1, so only content that is nearly one
 * repeated byte reaches it: the signature of a bomb, not of a real file.
 */
export const DEFAULT_MAX_COMPRESSION_RATIO = 1000;

/** 10 MiB: small files, however compressible, never trip the ratio check. */
export const DEFAULT_RATIO_MIN_SIZE = 10 * 1024 * 1024;

/**
 * The default limits.
 *
 * @example
 * ```ts
 * await extractArchive(file, dest, { limits: { ...DEFAULT_LIMITS, maxExtractSize: 1e9 } });
 * ```
 */
export const DEFAULT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxExtractSize: DEFAULT_MAX_EXTRACT_SIZE,
  maxCompressionRatio: DEFAULT_MAX_COMPRESSION_RATIO,
  ratioMinSize: DEFAULT_RATIO_MIN_SIZE,
});

/**
 * Raised while reading when a limit is crossed; turned into the user's line
 * `Refusing to extract <file>: member '<name>' <why>`.
 *
 * @example
 * ```ts
 * throw new LimitExceeded("big.bin", "would decompress to more than 10 bytes (max-extract-size)");
 * ```
 */
export class LimitExceeded extends Error {
  constructor(readonly member: string, readonly why: string) {
    super(`member '${member}' ${why}`);
  }
}

/**
 * Check a member's (or a stream's) decompressed size against the limits:
 * `total` is the archive's decompressed bytes so far (this member included),
 * `size` and `compressed` the sizes the ratio compares.
 *
 * @example
 * ```ts
 * checkLimits(DEFAULT_LIMITS, "big.bin", 5e9, 5e9, 1e6); // throws LimitExceeded
 * ```
 */
export function checkLimits(
  limits: ExtractLimits,
  member: string,
  total: number,
  size: number,
  compressed: number,
): void {
  if (total > limits.maxExtractSize) {
    throw new LimitExceeded(
      member,
      `would decompress to more than ${limits.maxExtractSize} bytes (max-extract-size)`,
    );
  }
  const ratio = limits.maxCompressionRatio;
  if (
    ratio > 0 && size > limits.ratioMinSize && size > ratio * compressed
  ) {
    throw new LimitExceeded(
      member,
      `would decompress to more than ${ratio} times its compressed size (max-compression-ratio)`,
    );
  }
}

/**
 * The extraction limits the settings give (`max-extract-size`,
 * `max-compression-ratio`).
 *
 * @example
 * ```ts
 * await extractArchive(file, dest, { limits: extractLimits(settings) });
 * ```
 */
export function extractLimits(
  s: Pick<Settings, "maxExtractSize" | "maxCompressionRatio">,
): ExtractLimits {
  return {
    ...DEFAULT_LIMITS,
    maxExtractSize: s.maxExtractSize,
    maxCompressionRatio: s.maxCompressionRatio,
  };
}
