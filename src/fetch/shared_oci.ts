/**
 * The OCI shape of the shared download cache (`oci://HOST[:PORT]/REPO`):
 * objects are blobs of the repository (digest `sha256:<hex>`), a name record
 * is a small image manifest tagged `ac-<key>` whose config blob is the record
 * JSON and whose one layer is the file's blob, so that a registry's garbage
 * collection keeps the object while the record is there.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { sha256Hex } from "../sha256.ts";
import { firstLine } from "../oci/auth.ts";
import { RegistryClient } from "../oci/client.ts";
import { type ImageManifest, MANIFEST_TYPE, TITLE } from "../oci/media.ts";
import { parseOciRef, type RegistryRef } from "../oci/ref.ts";
import { DownloadError, statusError, statusLine } from "./attempts.ts";
import { bodyChunks } from "./chunks.ts";
import {
  BadRecord,
  MAX_RECORD_BYTES,
  parseRecord,
  type SharedCacheBackend,
  type SharedRecord,
} from "./shared_backend.ts";

/** The media type of a record's config blob (and the manifest's `artifactType`). */
export const RECORD_TYPE = "application/vnd.buildout.shared-record.v1+json";
/** The media type of the layer that is the file itself. */
export const OBJECT_TYPE = "application/vnd.buildout.shared-object.v1";

/** The tag of the record under `key` (tags allow 128 characters; the key is 64). */
export const recordTag = (key: string): string => `ac-${key}`;

/**
 * The repository named by a `shared-cache = oci://HOST[:PORT]/REPO` value; a
 * tag, a digest or a malformed value is a one-line UserError.
 *
 * @example
 * ```ts
 * parseSharedOciUrl("oci://127.0.0.1:5000/team/cache");
 * // { kind: "registry", host: "127.0.0.1:5000", repo: "team/cache", reference: "latest" }
 * ```
 */
export function parseSharedOciUrl(url: string): RegistryRef {
  const bare = url.replace(/\/+$/, "");
  const bad = (why: string) =>
    new UserError(
      `Invalid value for 'shared-cache' option: '${url}' (oci://HOST[:PORT]/REPO: ${why})`,
    );
  let ref;
  try {
    ref = parseOciRef(bare);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    throw bad(err.message.replace(/^.*: /, ""));
  }
  if (ref.kind !== "registry") throw bad("not a registry");
  const tail = bare.slice(bare.lastIndexOf("/") + 1);
  if (tail.includes(":") || tail.includes("@")) {
    throw bad("a repository, without a tag or digest");
  }
  return ref;
}

/**
 * A shared cache kept in an OCI registry repository, through the registry
 * client of `src/oci/` (its credentials and insecure-localhost rules).
 * Missing blobs and manifests (404) are ordinary answers; every other failure
 * is thrown as a `DownloadError`, so the tier warns once.
 *
 * @example
 * ```ts
 * const store = new OciSharedCache("oci://127.0.0.1:5000/cache", Deno.env.toObject(), true);
 * await store.put(sha, "/cache/dist/demo-0.2.zip"); // a blob sha256:<sha>
 * ```
 */
export class OciSharedCache implements SharedCacheBackend {
  readonly client: RegistryClient;

  constructor(
    readonly location: string,
    env: Record<string, string | undefined>,
    push: boolean,
    timeoutSeconds?: number,
  ) {
    this.client = new RegistryClient(
      parseSharedOciUrl(location),
      env,
      push ? "pull,push" : "pull",
      timeoutSeconds,
    );
  }

  #path(kind: "blobs" | "manifests", id: string): string {
    return `/v2/${this.client.ref.repo}/${kind}/${id}`;
  }

  /** Run `fn`, turning the client's UserErrors into DownloadErrors. */
  async #call<T>(path: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof DownloadError || err instanceof BadRecord) throw err;
      if (!(err instanceof UserError)) throw err;
      const url = this.client.base + path;
      const status = /: HTTP ([0-9]{3})\b/.exec(err.message);
      if (status) {
        const n = Number(status[1]);
        throw new DownloadError(
          err.message,
          url,
          "status",
          statusLine(n, ""),
          n,
        );
      }
      const text = firstLine(err).replace(
        /^Registry .*? unreachable \([^)]*\): /,
        "",
      );
      const reason = /connection refused/i.test(text)
        ? "connection refused"
        : text;
      throw new DownloadError(err.message, url, "network", reason);
    }
  }

  /** One request whose answer `body` reads; a status other than 200/404 throws. */
  #ask<T>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: (res: Response) => Promise<T>,
    missing: T,
  ): Promise<T> {
    return this.#call(path, async () => {
      const res = await this.client.request(method, path, headers);
      if (res.status === 404) {
        await res.body?.cancel();
        return missing;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw statusError(this.client.base + path, res);
      }
      return await body(res);
    });
  }

  get(sha256: string, dest: string): Promise<boolean> {
    const path = this.#path("blobs", `sha256:${sha256}`);
    return this.#ask("GET", path, {}, async (res) => {
      const file = await Deno.open(dest, { write: true, createNew: true });
      try {
        for await (const chunk of bodyChunks(res.body)) {
          for (let at = 0; at < chunk.length;) {
            at += await file.write(chunk.subarray(at));
          }
        }
        await file.sync();
      } finally {
        file.close();
      }
      return true;
    }, false);
  }

  async lookup(key: string): Promise<SharedRecord | undefined> {
    const path = this.#path("manifests", recordTag(key));
    const bytes = await this.#ask(
      "GET",
      path,
      { accept: MANIFEST_TYPE },
      (res) => small(res),
      undefined,
    );
    if (!bytes) return undefined;
    const config = recordConfig(bytes);
    const json = await this.#ask(
      "GET",
      this.#path("blobs", config.digest),
      {},
      (res) => small(res),
      undefined,
    );
    if (!json) throw new BadRecord(`its config blob ${config.digest} is gone`);
    if (digestOf(json) !== config.digest) {
      throw new BadRecord(`its config blob is not ${config.digest}`);
    }
    const record = parseRecord(new TextDecoder().decode(json));
    if (config.layer !== `sha256:${record.sha256}`) {
      throw new BadRecord("its layer is not the recorded file");
    }
    return record;
  }

  has(kind: "cas" | "ac", id: string): Promise<boolean> {
    const path = kind === "cas"
      ? this.#path("blobs", `sha256:${id}`)
      : this.#path("manifests", recordTag(id));
    const headers: Record<string, string> = kind === "ac"
      ? { accept: MANIFEST_TYPE }
      : {};
    return this.#ask("HEAD", path, headers, async (res) => {
      await res.body?.cancel();
      return true;
    }, false);
  }

  async put(sha256: string, file: string): Promise<void> {
    const digest = `sha256:${sha256}`;
    const size = (await Deno.stat(file)).size;
    const blob = { descriptor: { mediaType: OBJECT_TYPE, digest, size }, file };
    // The bundle code (and its tar package) only for uploads.
    const { readBlob } = await import("../oci/build.ts");
    await this.#call(
      this.#path("blobs", digest),
      () =>
        this.client.uploadBlob(
          digest,
          size,
          (offset, length) => readBlob(blob, offset, length),
        ),
    );
  }

  async putRecord(key: string, record: SharedRecord): Promise<void> {
    const json = new TextEncoder().encode(JSON.stringify(record) + "\n");
    const config = digestOf(json);
    const configPath = this.#path("blobs", config);
    await this.#call(configPath, async () => {
      if (!(await this.client.hasBlob(config))) {
        await this.client.uploadBlob(
          config,
          json.length,
          (o, n) => Promise.resolve(json.subarray(o, o + n)),
        );
      }
    });
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      artifactType: RECORD_TYPE,
      config: { mediaType: RECORD_TYPE, digest: config, size: json.length },
      layers: [{
        mediaType: OBJECT_TYPE,
        digest: `sha256:${record.sha256}`,
        size: record.size,
        annotations: { [TITLE]: record.filename },
      }],
    };
    const tag = recordTag(key);
    await this.#call(
      this.#path("manifests", tag),
      () =>
        this.client.putManifest(
          tag,
          new TextEncoder().encode(JSON.stringify(manifest)),
        ),
    );
  }
}

/** A record-sized body, or a DownloadError. */
async function small(res: Response): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length > MAX_RECORD_BYTES) {
    throw new BadRecord(`larger than ${MAX_RECORD_BYTES} bytes`);
  }
  return bytes;
}

function digestOf(bytes: Uint8Array): string {
  return "sha256:" + sha256Hex(bytes);
}

/** The config digest and the layer digest of a record manifest. */
function recordConfig(bytes: Uint8Array): { digest: string; layer: string } {
  let m: Partial<ImageManifest> | null;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new BadRecord("its manifest is not JSON");
  }
  const digest = m?.config?.digest;
  const layer = m?.layers?.[0]?.digest;
  if (
    m?.config?.mediaType !== RECORD_TYPE || typeof digest !== "string" ||
    !/^sha256:[0-9a-f]{64}$/.test(digest) || typeof layer !== "string" ||
    (m.config.size ?? 0) > MAX_RECORD_BYTES
  ) {
    throw new BadRecord(`its manifest is not a ${RECORD_TYPE} record`);
  }
  return { digest, layer };
}
