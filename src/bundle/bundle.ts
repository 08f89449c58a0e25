/**
 * Offline bundles: create one from a buildout (its configuration files made local plus its
 * download cache), check one against its `MANIFEST`, unpack one.
 *
 * Layout of a bundle (no top-level folder): the main configuration file first, the files it
 * extends, `download-cache/...`, and `MANIFEST` last.
 *
 * @module
 */
import { dirname, join, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.ts";
import { extractArchive } from "../extract/archive.ts";
import { collectConfigs, type FetchText } from "./configs.ts";
import {
  compareManifest,
  formatManifest,
  MANIFEST,
  type ManifestEntry,
  parseManifest,
  type Problem,
  sha256Hex,
  sha256Stream,
} from "./manifest.ts";
import { readTarGz, type TarSource, writeTarGz } from "./tarball.ts";

/** The folder of the bundled download cache, relative to the bundle root. */
export const CACHE_DIR = "download-cache";

/** What {@link createBundle} needs. */
export interface BundleOptions {
  /** The main configuration file: absolute path or URL. */
  configFile: string;
  /** The configured download cache (absolute). */
  downloadCache: string;
  /** The `.tar.gz` to write. */
  output: string;
  /** Reads remote `extends`. */
  fetchText: FetchText;
}

/** What a bundle holds. */
export interface BundleSummary {
  configs: string[];
  cacheFiles: number;
  manifest: ManifestEntry[];
}

/**
 * The files below `dir` (following symlinks), as sorted `/`-separated relative paths.
 *
 * @example
 * ```ts
 * await listFiles("/b/downloads"); // ["dist/demo-0.2.tar.gz", "download/tool-1.0.tgz"]
 * ```
 */
export async function listFiles(dir: string, skip?: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for await (const e of Deno.readDir(d)) {
      const p = join(d, e.name);
      if (p === skip) continue;
      const st = await Deno.stat(p);
      if (st.isDirectory) await walk(p);
      else if (st.isFile) out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  await walk(dir);
  return out.sort();
}

/** A bundle's contents before they are written anywhere. */
export interface BundleContents {
  /** The configuration files' local names, main one first. */
  configs: string[];
  /** Configs (in memory), cache files (on disk), then `MANIFEST` last. */
  sources: TarSource[];
  manifest: ManifestEntry[];
  /** The cache files' paths relative to the download cache, sorted. */
  cacheFiles: string[];
}

/**
 * Gather what goes in a bundle: configuration files (local names, `extends` rewritten, the
 * main one pointing `download-cache` at the bundled cache), the whole download cache (minus
 * `skip`), and the `MANIFEST` text listing them all.
 *
 * @example
 * ```ts
 * (await collectBundle({ configFile: "/b/buildout.cfg", downloadCache: "/b/downloads",
 *   fetchText })).configs; // ["buildout.cfg"]
 * ```
 */
export async function collectBundle(
  o: Omit<BundleOptions, "output">,
  skip?: string,
): Promise<BundleContents> {
  const st = await Deno.stat(o.downloadCache).catch(() => undefined);
  if (!st?.isDirectory) {
    throw new UserError(
      `The download cache ${o.downloadCache} doesn't exist: run buildout first to fill it.`,
    );
  }
  const configs = await collectConfigs(o.configFile, CACHE_DIR, o.fetchText);
  const enc = new TextEncoder();
  const sources: TarSource[] = configs.map((c) => ({
    name: c.name,
    data: enc.encode(c.text),
  }));
  const manifest: ManifestEntry[] = sources.map((s) => ({
    path: s.name,
    sha256: sha256Hex(s.data!),
  }));
  const files = await listFiles(o.downloadCache, skip);
  for (const rel of files) {
    const file = join(o.downloadCache, rel);
    const f = await Deno.open(file);
    const sha256 = await sha256Stream(f.readable);
    const name = `${CACHE_DIR}/${rel}`;
    sources.push({ name, file });
    manifest.push({ path: name, sha256 });
  }
  sources.push({ name: MANIFEST, data: enc.encode(formatManifest(manifest)) });
  return {
    configs: configs.map((c) => c.name),
    sources,
    manifest,
    cacheFiles: files,
  };
}

/**
 * Write a bundle `.tar.gz`: the contents {@link collectBundle} gathers.
 *
 * @example
 * ```ts
 * await createBundle({ configFile: "/b/buildout.cfg", downloadCache: "/b/downloads",
 *   output: "/b/bundle.tar.gz", fetchText });
 * ```
 */
export async function createBundle(o: BundleOptions): Promise<BundleSummary> {
  const c = await collectBundle(o, resolve(o.output));
  await Deno.mkdir(dirname(resolve(o.output)), { recursive: true });
  await writeTarGz(resolve(o.output), c.sources);
  return {
    configs: c.configs,
    cacheFiles: c.cacheFiles.length,
    manifest: c.manifest,
  };
}

/** The outcome of a verification. */
export interface Verification {
  /** The manifest used (a path, or `<bundle>:MANIFEST`). */
  manifestPath: string;
  /** Number of files checked. */
  checked: number;
  problems: Problem[];
}

/**
 * Check a bundle archive against the `MANIFEST` inside it (files not listed are problems too).
 *
 * @example
 * ```ts
 * (await verifyBundleFile("bundle.tar.gz")).problems; // [] when intact
 * ```
 */
export async function verifyBundleFile(file: string): Promise<Verification> {
  const found = new Map<string, string>();
  let manifestText: string | undefined;
  for await (const e of readTarGz(file)) {
    if (e.name === MANIFEST) manifestText = await new Response(e.body).text();
    else found.set(e.name, await sha256Stream(e.body));
  }
  if (manifestText === undefined) {
    throw new UserError(`${file} has no ${MANIFEST}: not a bundle.`);
  }
  const manifest = parseManifest(manifestText, `${file}:${MANIFEST}`);
  return {
    manifestPath: `${file}:${MANIFEST}`,
    checked: manifest.length,
    problems: compareManifest(manifest, found, true),
  };
}

/**
 * Check a folder (an unpacked bundle, or its download cache) against the nearest `MANIFEST`
 * in it or above it; only the entries below `dir` are checked.
 *
 * @example
 * ```ts
 * (await verifyDirectory("/b/download-cache")).manifestPath; // "/b/MANIFEST"
 * ```
 */
export async function verifyDirectory(dir: string): Promise<Verification> {
  dir = resolve(dir);
  let root = dir;
  while (!(await isFile(join(root, MANIFEST)))) {
    if (dirname(root) === root) {
      throw new UserError(`No ${MANIFEST} found in ${dir} or above it.`);
    }
    root = dirname(root);
  }
  const manifestPath = join(root, MANIFEST);
  const prefix = relative(root, dir).split(sep).join("/");
  const all = parseManifest(
    await Deno.readTextFile(manifestPath),
    manifestPath,
  );
  const entries = prefix
    ? all.filter((e) => e.path.startsWith(prefix + "/"))
    : all;
  if (!entries.length) {
    throw new UserError(`${manifestPath} lists no files below ${dir}.`);
  }
  const found = new Map<string, string>();
  for (const e of entries) {
    const f = await Deno.open(join(root, e.path)).catch(() => undefined);
    if (f) found.set(e.path, await sha256Stream(f.readable));
  }
  return {
    manifestPath,
    checked: entries.length,
    problems: compareManifest(entries, found, false),
  };
}

/**
 * Unpack a bundle into `dir` (refusing entries that escape it; nothing half-unpacked) and
 * return the main configuration's path.
 *
 * @example
 * ```ts
 * await unpackBundle("bundle.tar.gz", "/srv/app"); // "/srv/app/buildout.cfg"
 * ```
 */
export async function unpackBundle(file: string, dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const work = await Deno.makeTempDir({ dir, prefix: ".bundle-" });
  try {
    const archive = join(work, "bundle.tar.gz");
    await Deno.link(file, archive).catch(() => Deno.copyFile(file, archive));
    await extractArchive(archive, join(work, "out"));
    const manifest = parseManifest(
      await Deno.readTextFile(join(work, "out", MANIFEST)),
    );
    if (!manifest.length) throw new UserError(`${file}: empty ${MANIFEST}.`);
    for await (const e of Deno.readDir(join(work, "out"))) {
      const target = join(dir, e.name);
      await Deno.remove(target, { recursive: true }).catch(() => {});
      await Deno.rename(join(work, "out", e.name), target);
    }
    return join(dir, manifest[0].path);
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

async function isFile(p: string): Promise<boolean> {
  return (await Deno.stat(p).catch(() => undefined))?.isFile ?? false;
}
