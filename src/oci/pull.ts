/**
 * Fetching a bundle artifact into a folder, checking everything: the manifest's digest (when
 * known), its artifact type, every blob's digest and size, and finally the files against the
 * bundle's `MANIFEST`. Names in the artifact cannot escape the folder.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { UserError } from "../errors.ts";
import { CACHE_DIR } from "../bundle/bundle.ts";
import {
  compareManifest,
  MANIFEST,
  parseManifest,
  type Problem,
  sha256Hex,
} from "../bundle/manifest.ts";
import { readTarGz } from "../bundle/tarball.ts";
import type { ArtifactSource } from "./layout.ts";
import {
  ARTIFACT_TYPE,
  CONFIG_TYPE,
  CONFIGS_LAYER_TYPE,
  type Descriptor,
  FILE_LAYER_TYPE,
  type ImageManifest,
  TITLE,
} from "./media.ts";

/** A fetched bundle. */
export interface Fetched {
  /** The manifest digest. */
  digest: string;
  /** The main configuration file's name (first `MANIFEST` line). */
  main: string;
  /** Number of `MANIFEST` entries checked. */
  checked: number;
  problems: Problem[];
}

function safeName(name: string, where: string): string {
  const parts = name.split("/");
  if (
    !name || name.startsWith("/") || name.includes("\\") ||
    parts.some((p) => p === ".." || p === "." || p === "")
  ) {
    throw new UserError(`${where}: unsafe file name ${JSON.stringify(name)}`);
  }
  return name;
}

/** Stream a blob into `path`, checking its sha256 and size; returns nothing or throws. */
async function saveBlob(
  src: ArtifactSource,
  d: Descriptor,
  path: string,
  label: string,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const h = createHash("sha256");
  let size = 0;
  const out = await Deno.open(path, { write: true, createNew: true });
  const body = await src.blob(d.digest);
  await body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        h.update(chunk);
        size += chunk.length;
        c.enqueue(chunk);
      },
    }),
  ).pipeTo(out.writable);
  const got = `sha256:${h.digest("hex")}`;
  if (got !== d.digest || size !== d.size) {
    throw new UserError(
      `${src.name}: blob ${d.digest} (${label}) digest mismatch: got ${got}, ${size} bytes for ${d.size}`,
    );
  }
}

/**
 * Fetch the artifact of `src` into the empty folder `dir` and check it. Problems with the
 * bundle's own `MANIFEST` are returned; a wrong digest or a foreign artifact is thrown.
 *
 * @example
 * ```ts
 * const f = await fetchArtifact(await openLayout("/media/usb/app"), "/tmp/x");
 * f.problems; // []
 * ```
 */
export async function fetchArtifact(
  src: ArtifactSource,
  dir: string,
): Promise<Fetched> {
  const { bytes, expected } = await src.manifest();
  const digest = `sha256:${sha256Hex(bytes)}`;
  if (expected && expected !== digest) {
    throw new UserError(
      `${src.name}: manifest digest mismatch: expected ${expected}, got ${digest}`,
    );
  }
  let m: ImageManifest;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new UserError(`${src.name}: the manifest is not JSON`);
  }
  const type = m.artifactType ?? m.config?.mediaType;
  if (type !== ARTIFACT_TYPE || m.config?.mediaType !== CONFIG_TYPE) {
    throw new UserError(
      `${src.name} is not a buildout bundle (artifact type ${type ?? "none"})`,
    );
  }
  const layers = m.layers ?? [];
  if (layers[0]?.mediaType !== CONFIGS_LAYER_TYPE) {
    throw new UserError(
      `${src.name}: the first layer is not the configuration files`,
    );
  }
  const work = join(dir, ".oci");
  await Deno.mkdir(work, { recursive: true });
  await saveBlob(src, m.config, join(work, "config.json"), "config");
  const configs = join(work, "configs.tar.gz");
  await saveBlob(src, layers[0], configs, "configuration files");
  const found = new Map<string, string>();
  let manifestText: string | undefined;
  for await (const e of readTarGz(configs)) {
    const name = safeName(e.name, src.name);
    const data = new Uint8Array(await new Response(e.body).arrayBuffer());
    if (name === MANIFEST) manifestText = new TextDecoder().decode(data);
    else found.set(name, sha256Hex(data));
    await Deno.mkdir(dirname(join(dir, name)), { recursive: true });
    await Deno.writeFile(join(dir, name), data);
  }
  await Deno.remove(work, { recursive: true });
  if (manifestText === undefined) {
    throw new UserError(`${src.name} has no ${MANIFEST}: not a bundle`);
  }
  for (const l of layers.slice(1)) {
    const title = l.annotations?.[TITLE] ?? "";
    if (l.mediaType !== FILE_LAYER_TYPE || !title.startsWith(`${CACHE_DIR}/`)) {
      throw new UserError(
        `${src.name}: unexpected layer ${l.digest} (${l.mediaType})`,
      );
    }
    const path = join(dir, safeName(title, src.name));
    if (found.has(title)) {
      throw new UserError(`${src.name}: ${title} appears twice`);
    }
    await saveBlob(src, l, path, title);
    found.set(title, l.digest.slice("sha256:".length));
  }
  const manifest = parseManifest(manifestText, `${src.name}:${MANIFEST}`);
  if (!manifest.length) throw new UserError(`${src.name}: empty ${MANIFEST}`);
  return {
    digest,
    main: manifest[0].path,
    checked: manifest.length,
    problems: compareManifest(manifest, found, true),
  };
}
