/**
 * The shape of the typed `[buildout]` settings every stage reads (read and
 * checked by `parts/settings.ts`). Here, in the configuration layer, so that
 * every stage can name it without depending on the part lifecycle.
 *
 * @module
 */
import type { Logger } from "../log.ts";

/**
 * The `[buildout]` settings every stage reads.
 *
 * @example
 * ```ts
 * const where: Settings["eggsDirectory"] = "/b/eggs";
 * ```
 */
export interface Settings {
  /**
   * The user's cache folder for this tool (`$XDG_CACHE_HOME/buildout` or
   * `~/.cache/buildout`), shared by their buildouts: the target
   * interpreter's answers are kept there too. None: only in the eggs directory.
   */
  userCacheDir?: string;
  directory: string;
  /** Absolute path of `.installed.cfg`; `""` with `installed =`: no installation database. */
  installed: string;
  binDirectory: string;
  partsDirectory: string;
  developEggsDirectory: string;
  eggsDirectory: string;
  downloadCache?: string;
  extendsCache?: string;
  installFromCache: boolean;
  offline: boolean;
  newest: boolean;
  findLinks: string[];
  index: string;
  allowHosts: string[];
  preferFinal: boolean;
  useDependencyLinks: boolean;
  allowUnknownExtras: boolean;
  /** Normalised project name -> pin as written (`0.2`, `==0.2`, `>=1`). */
  versions: Map<string, string>;
  allowPickedVersions: boolean;
  showPickedVersions: boolean;
  /** Absolute path, or undefined when unset. */
  updateVersionsFile?: string;
  /** `update-versions-file` as written (what the report names). */
  updateVersionsFileName?: string;
  executable: string;
  /** undefined: the default timeout. */
  timeoutSeconds?: number;
  /** Effective log level (log-level minus verbosity). */
  logLevel: number;
  log: Logger;
  /** `max-extract-size`: bytes one archive may decompress to. */
  maxExtractSize: number;
  /** `max-compression-ratio`: 0 turns the check off. */
  maxCompressionRatio: number;
  /** `max-page-size`: bytes a find-links or index page may have (absent: 64 MiB). */
  maxPageSize?: number;
  /** `cache-builds`: sdist builds kept in `<download-cache>/built/`. */
  cacheBuilds: boolean;
  /** `require-hashes`: every distribution file must match its pin's `[hashes]`. */
  requireHashes?: boolean;
  /** `[hashes]`: normalised project name -> `sha256:<hex>` digests. */
  hashes?: Map<string, string[]>;
  /** `shared-cache`: the remote tier under the download cache (a URL), when set. */
  sharedCache?: string;
  /** `shared-cache-push`: files fetched upstream are uploaded to the shared cache. */
  sharedCachePush?: boolean;
}
