/**
 * Pushing an artifact to a registry (blobs the registry already has are not sent again), and
 * reading one from a registry as an {@link ArtifactSource}.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { type Artifact, readBlob } from "./build.ts";
import type { RegistryClient } from "./client.ts";
import type { ArtifactSource } from "./layout.ts";
import { formatOciRef } from "./ref.ts";

/** What a push did. */
export interface PushResult {
  /** Blobs uploaded. */
  sent: number;
  /** Of those, uploaded in chunks. */
  chunked: number;
  /** Blobs the registry already held. */
  present: number;
  /** The manifest digest. */
  digest: string;
}

/**
 * Push blobs (each checked with `HEAD` first), then the manifest under the reference's tag.
 * A registry that reports another manifest digest than ours is an error.
 *
 * @example
 * ```ts
 * await pushArtifact(client, artifact); // { sent: 3, chunked: 0, present: 9, digest: "sha256:..." }
 * ```
 */
export async function pushArtifact(
  client: RegistryClient,
  a: Artifact,
): Promise<PushResult> {
  const r: PushResult = { sent: 0, chunked: 0, present: 0, digest: a.digest };
  const seen = new Set<string>();
  for (const b of a.blobs) {
    const d = b.descriptor;
    if (seen.has(d.digest)) continue;
    seen.add(d.digest);
    if (await client.hasBlob(d.digest)) {
      r.present++;
      continue;
    }
    const mode = await client.uploadBlob(
      d.digest,
      d.size,
      (offset, length) => readBlob(b, offset, length),
    );
    r.sent++;
    if (mode === "chunked") r.chunked++;
  }
  const got = await client.putManifest(client.ref.reference, a.manifestBytes);
  if (got && got !== a.digest) {
    throw new UserError(
      `${
        formatOciRef(client.ref)
      }: the registry stored the manifest as ${got}, not ${a.digest}`,
    );
  }
  return r;
}

/**
 * A registry reference as an {@link ArtifactSource}.
 *
 * @example
 * ```ts
 * const src = registrySource(new RegistryClient(ref, env, "pull"));
 * ```
 */
export function registrySource(client: RegistryClient): ArtifactSource {
  const reference = client.ref.reference;
  return {
    name: formatOciRef(client.ref),
    manifest: async () => ({
      bytes: await client.getManifest(reference),
      expected: reference.startsWith("sha256:") ? reference : undefined,
    }),
    blob: (digest) => client.getBlob(digest),
  };
}
