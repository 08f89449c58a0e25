/**
 * Getting a cmmi part's sources: download through the download cache,
 * extract into a build folder, find the source folder inside it, fetch
 * patches.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { UserError } from "../../errors.ts";
import { Logger } from "../../log.ts";
import { Download } from "../../fetch/download.ts";
import { archiveKind, extractArchive } from "../../extract/archive.ts";
import type { ExtractLimits } from "../../extract/limits.ts";
import { exists } from "../../fsutil.ts";
import { urlFilename } from "../download.ts";
import type { PatchSpec } from "./options.ts";

/**
 * A logger that puts `part: ` before every message, as buildout's per-part
 * loggers do.
 *
 * @example
 * ```ts
 * partLogger(log, "foo").info("Downloading x"); // "foo: Downloading x"
 * ```
 */
export function partLogger(log: Logger, part: string): Logger {
  const base = log;
  return new (class extends Logger {
    override debug(m: string) {
      base.debug(`${part}: ${m}`);
    }
    override info(m: string) {
      base.info(`${part}: ${m}`);
    }
    override warn(m: string) {
      base.warn(`${part}: ${m}`);
    }
    override error(m: string) {
      base.error(`${part}: ${m}`);
    }
  })(log.level, log.sink, log.format);
}

/**
 * Download `url` (through the cache when there is one) and extract it into
 * the existing, empty folder `into` (`onFetched` runs in between). The archive type comes from the URL's
 * file name when the cached file's name does not tell it (hashed names).
 *
 * @example
 * ```ts
 * await fetchAndExtract(download, "http://h/foo-1.0.tgz", undefined, "/tmp/build-foo", limits);
 * ```
 */
export async function fetchAndExtract(
  download: Download,
  url: string,
  md5: string | undefined,
  into: string,
  limits: ExtractLimits,
  onFetched: () => void = () => {},
): Promise<void> {
  const name = urlFilename(url);
  const got = await download.download(url, { md5 });
  onFetched();
  let linkDir: string | undefined;
  try {
    let archive = got.path;
    if (!archiveKind(archive)) {
      if (!archiveKind(name)) {
        throw new UserError(
          `Cannot extract ${url}: unsupported archive type (.tar.gz, .tgz, .tar.bz2, .tar.xz, .tar, .zip).`,
        );
      }
      linkDir = await Deno.makeTempDir({ prefix: "buildout-cmmi-" });
      archive = join(linkDir, name);
      await Deno.link(got.path, archive).catch(() =>
        Deno.copyFile(got.path, archive)
      );
    }
    await extractArchive(archive, into, { direct: true, limits });
  } finally {
    if (got.isTemp) await Deno.remove(got.path).catch(() => {});
    if (linkDir) {
      await Deno.remove(linkDir, { recursive: true }).catch(() => {});
    }
  }
}

/**
 * The source folder in an extracted build folder: the folder itself, or its
 * only entry when that is a folder and none of `markers` (e.g. `configure`) is at
 * the top.
 *
 * @example
 * ```ts
 * await sourceFolder("/tmp/build-foo", ["configure"]); // "/tmp/build-foo/foo-1.0"
 * ```
 */
export async function sourceFolder(
  dir: string,
  markers: string[] = [],
): Promise<string> {
  for (const m of markers) if (m && await exists(join(dir, m))) return dir;
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  if (entries.length === 1 && entries[0].isDirectory) {
    return join(dir, entries[0].name);
  }
  return dir;
}

/**
 * A patch's local file: downloaded (cached) when it is a URL; a relative
 * path is taken from the buildout folder, else from the source folder.
 *
 * @example
 * ```ts
 * await fetchPatch(download, { url: "patches/fix.patch" }, "/b", "/tmp/src"); // { path: "/b/patches/fix.patch", isTemp: false }
 * ```
 */
export async function fetchPatch(
  download: Download,
  spec: PatchSpec,
  buildoutDir: string,
  srcDir: string,
): Promise<{ path: string; isTemp: boolean }> {
  let url = spec.url;
  const isUrl = /^[A-Za-z][A-Za-z0-9+.-]+:/.test(url);
  if (!isUrl && !isAbsolute(url)) {
    const inBuildout = resolve(buildoutDir, url);
    const inSource = resolve(srcDir, url);
    url = !(await exists(inBuildout)) && await exists(inSource)
      ? inSource
      : inBuildout;
  }
  return await download.download(url, { md5: spec.md5 });
}
