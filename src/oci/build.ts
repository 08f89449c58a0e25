/**
 * Building the OCI artifact of a bundle, reproducibly: the same configuration files and cache
 * give byte-identical blobs and manifest (tar entries in a fixed order with mtime 0, uid/gid 0,
 * mode 0644; gzip without a timestamp; JSON with a fixed key order; the creation time only
 * when asked).
 *
 * @module
 */
import { createTarPacker } from "modern-tar";
import { sha256Hex } from "../bundle/manifest.ts";
import type { BundleContents } from "../bundle/bundle.ts";
import { VERSION } from "../version.ts";
import {
  ARTIFACT_TYPE,
  CONFIG_TYPE,
  CONFIGS_LAYER_TYPE,
  CREATED,
  type Descriptor,
  FILE_LAYER_TYPE,
  type ImageManifest,
  MANIFEST_TYPE,
  TITLE,
  TOOL_VERSION,
} from "./media.ts";

/** A blob to store: its descriptor and its bytes (in memory or a file on disk). */
export interface Blob {
  descriptor: Descriptor;
  data?: Uint8Array;
  file?: string;
}

/** An artifact ready to push or write. */
export interface Artifact {
  /** Config blob, configs layer, then the cache files, in manifest order. */
  blobs: Blob[];
  manifest: ImageManifest;
  manifestBytes: Uint8Array;
  /** `sha256:...` of `manifestBytes`. */
  digest: string;
}

/**
 * A gzipped tar of in-memory files, byte-for-byte reproducible.
 *
 * @example
 * ```ts
 * await reproducibleTarGz([{ name: "a.cfg", data: new TextEncoder().encode("[x]\n") }]);
 * ```
 */
export async function reproducibleTarGz(
  files: { name: string; data: Uint8Array }[],
): Promise<Uint8Array> {
  const { readable, controller } = createTarPacker();
  const out = new Response(readable.pipeThrough(new CompressionStream("gzip")))
    .arrayBuffer();
  for (const f of files) {
    const body = controller.add({
      name: f.name,
      size: f.data.length,
      mode: 0o644,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      uname: "",
      gname: "",
      type: "file",
    });
    const w = body.getWriter();
    await w.write(f.data);
    await w.close();
  }
  controller.finalize();
  return new Uint8Array(await out);
}

const enc = new TextEncoder();

/**
 * Turn bundle contents into an artifact. `created` (an ISO time) adds the
 * `org.opencontainers.image.created` annotation.
 *
 * @example
 * ```ts
 * const a = await buildArtifact(await collectBundle(o));
 * a.digest; // "sha256:..."; the same on any machine for the same inputs
 * ```
 */
export async function buildArtifact(
  c: BundleContents,
  created?: string,
): Promise<Artifact> {
  const inMemory = c.sources.filter((s) => s.data !== undefined);
  const configsLayer = await reproducibleTarGz(
    inMemory.map((s) => ({ name: s.name, data: s.data! })),
  );
  const config = enc.encode(JSON.stringify({
    tool: "buildout",
    version: VERSION,
    main: c.configs[0],
    configs: c.configs,
    files: c.cacheFiles.length,
  }));
  const blob = (mediaType: string, data: Uint8Array): Blob => ({
    descriptor: {
      mediaType,
      digest: `sha256:${sha256Hex(data)}`,
      size: data.length,
    },
    data,
  });
  const blobs: Blob[] = [
    blob(CONFIG_TYPE, config),
    blob(CONFIGS_LAYER_TYPE, configsLayer),
  ];
  const sums = new Map(c.manifest.map((m) => [m.path, m.sha256]));
  for (const s of c.sources) {
    if (s.file === undefined) continue;
    const st = await Deno.stat(s.file);
    blobs.push({
      descriptor: {
        mediaType: FILE_LAYER_TYPE,
        digest: `sha256:${sums.get(s.name)}`,
        size: st.size,
        annotations: { [TITLE]: s.name },
      },
      file: s.file,
    });
  }
  const annotations: Record<string, string> = { [TOOL_VERSION]: VERSION };
  if (created) annotations[CREATED] = created;
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MANIFEST_TYPE,
    artifactType: ARTIFACT_TYPE,
    config: blobs[0].descriptor,
    layers: blobs.slice(1).map((b) => b.descriptor),
    annotations,
  };
  const manifestBytes = enc.encode(JSON.stringify(manifest));
  return {
    blobs,
    manifest,
    manifestBytes,
    digest: `sha256:${sha256Hex(manifestBytes)}`,
  };
}

/**
 * Read `length` bytes at `offset` of a blob.
 *
 * @example
 * ```ts
 * await readBlob(a.blobs[2], 0, 10);
 * ```
 */
export async function readBlob(
  b: Blob,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  if (b.data) return b.data.subarray(offset, offset + length);
  const f = await Deno.open(b.file!);
  try {
    await f.seek(offset, Deno.SeekMode.Start);
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = await f.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    f.close();
  }
}
