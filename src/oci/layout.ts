/**
 * OCI image layout folders (`oci-layout`, `index.json`, `blobs/sha256/<hex>`): writing an
 * artifact into one, and reading one back as an {@link ArtifactSource}. A layout written by
 * `bundle` holds one bundle: its `index.json` lists that manifest only (blobs already in the
 * folder are kept and not copied again).
 *
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../fsutil.ts";
import { UserError } from "../errors.ts";
import type { Artifact } from "./build.ts";
import {
  ARTIFACT_TYPE,
  type Descriptor,
  INDEX_TYPE,
  REF_NAME,
} from "./media.ts";

/** Where manifests and blobs are read from, registry or layout. */
export interface ArtifactSource {
  /** The display name (`oci://...` or `oci-layout:...`). */
  name: string;
  /** The manifest bytes, and the digest they must have when it is known beforehand. */
  manifest(): Promise<{ bytes: Uint8Array; expected?: string }>;
  /** A blob's bytes (unchecked: the caller checks the digest). */
  blob(digest: string): Promise<ReadableStream<Uint8Array>>;
}

function blobPath(dir: string, digest: string): string {
  const [alg, hex] = digest.split(":");
  if (alg !== "sha256" || !/^[0-9a-f]{64}$/.test(hex ?? "")) {
    throw new UserError(`Unsupported digest ${digest}`);
  }
  return join(dir, "blobs", alg, hex);
}

async function exists(p: string): Promise<boolean> {
  return (await Deno.stat(p).catch(() => undefined)) !== undefined;
}

/**
 * Write an artifact into an OCI image layout folder; returns how many blobs were written
 * (blobs already there are not).
 *
 * @example
 * ```ts
 * await writeLayout("/media/usb/app", artifact); // 12
 * ```
 */
export async function writeLayout(dir: string, a: Artifact): Promise<number> {
  await Deno.mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  await writeFileAtomic(
    join(dir, "oci-layout"),
    JSON.stringify({ imageLayoutVersion: "1.0.0" }),
  );
  let written = 0;
  for (const b of a.blobs) {
    const p = blobPath(dir, b.descriptor.digest);
    if (await exists(p)) continue;
    const tmp = `${p}.${crypto.randomUUID()}.tmp`;
    if (b.data) await Deno.writeFile(tmp, b.data);
    else await Deno.copyFile(b.file!, tmp);
    await Deno.rename(tmp, p);
    written++;
  }
  await writeFileAtomic(blobPath(dir, a.digest), a.manifestBytes);
  const entry: Descriptor = {
    mediaType: a.manifest.mediaType,
    digest: a.digest,
    size: a.manifestBytes.length,
    artifactType: ARTIFACT_TYPE,
    annotations: { [REF_NAME]: "latest" },
  };
  await writeFileAtomic(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: INDEX_TYPE,
      manifests: [entry],
    }),
  );
  return written;
}

/**
 * Open an OCI image layout folder for reading: the manifest is the bundle listed in
 * `index.json` (the last one when there are several).
 *
 * @example
 * ```ts
 * const src = await openLayout("/media/usb/app");
 * (await src.manifest()).expected; // "sha256:..."
 * ```
 */
export async function openLayout(dir: string): Promise<ArtifactSource> {
  const name = `oci-layout:${dir}`;
  let index;
  try {
    index = JSON.parse(await Deno.readTextFile(join(dir, "index.json")));
  } catch (e) {
    throw new UserError(
      `${name} is not an OCI image layout: ${
        e instanceof Deno.errors.NotFound
          ? "no index.json"
          : (e as Error).message
      }`,
    );
  }
  const manifests: Descriptor[] = Array.isArray(index?.manifests)
    ? index.manifests
    : [];
  const ours = manifests.filter((m) =>
    !m.artifactType || m.artifactType === ARTIFACT_TYPE
  );
  const chosen = ours.at(-1);
  if (!chosen) throw new UserError(`${name}: index.json lists no bundle`);
  const read = async (digest: string) => {
    try {
      return (await Deno.open(blobPath(dir, digest))).readable;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new UserError(`${name}: blob ${digest} missing`);
      }
      throw e;
    }
  };
  return {
    name,
    manifest: async () => ({
      bytes: new Uint8Array(
        await new Response(await read(chosen.digest)).arrayBuffer(),
      ),
      expected: chosen.digest,
    }),
    blob: read,
  };
}
