/**
 * A small OCI distribution (v1.1) client for one repository: blob existence, upload
 * (monolithic `POST` + `PUT ?digest=`, or chunked `PATCH`es when a blob is larger than the
 * chunk size and the registry accepts them), manifest put/get, blob get. Authentication on a
 * `401` as in `auth.ts`. HTTPS, except for localhost or hosts in `BUILDOUT_INSECURE_REGISTRIES`
 * (comma-separated `host` or `host:port`). Every failure is a one-line UserError.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import {
  basicAuth,
  type Credentials,
  fetchToken,
  findCredentials,
  firstLine,
  parseChallenge,
} from "./auth.ts";
import { MANIFEST_TYPE } from "./media.ts";
import type { RegistryRef } from "./ref.ts";
import { watchedFetch } from "./watch.ts";

/** A request body that can be made again (for a retry after authenticating). */
export type Body = () => BodyInit | Uint8Array | null;

/** The default chunk size of uploads (bytes); `BUILDOUT_OCI_CHUNK_SIZE` overrides it. */
export const DEFAULT_CHUNK = 32 * 1024 * 1024;

/** Seconds of silence after which a request is given up (buildout's `socket-timeout`). */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * Request bodies up to this size are sent under the timeout; an upload of
 * blob data is not (sending it is silence on the answer's side).
 */
const WATCHED_BODY = 1024 * 1024;

/**
 * True when `host` may be spoken to over plain HTTP.
 *
 * @example
 * ```ts
 * isInsecure("127.0.0.1:5000", {}); // true
 * isInsecure("reg.lan:5000", { BUILDOUT_INSECURE_REGISTRIES: "reg.lan:5000" }); // true
 * isInsecure("ghcr.io", {}); // false
 * ```
 */
export function isInsecure(
  host: string,
  env: Record<string, string | undefined>,
): boolean {
  const name = host.replace(/:[0-9]+$/, "");
  if (["localhost", "127.0.0.1", "[::1]"].includes(name)) return true;
  const list = (env.BUILDOUT_INSECURE_REGISTRIES ?? "").split(",").map((s) =>
    s.trim()
  );
  return list.includes(host) || list.includes(name);
}

/** The client of one repository. */
export class RegistryClient {
  readonly base: string;
  readonly chunkSize: number;
  private authorization?: string;
  private creds?: Credentials | null;
  private chunked = true;

  /**
   * @example
   * ```ts
   * const c = new RegistryClient(parseOciRef("oci://localhost:5000/app:1") as RegistryRef, Deno.env.toObject(), "pull");
   * ```
   */
  constructor(
    readonly ref: RegistryRef,
    readonly env: Record<string, string | undefined>,
    readonly actions: "pull" | "pull,push",
    readonly timeoutSeconds = DEFAULT_TIMEOUT_SECONDS,
  ) {
    const scheme = isInsecure(ref.host, env) ? "http" : "https";
    this.base = `${scheme}://${ref.host}`;
    const n = Number(env.BUILDOUT_OCI_CHUNK_SIZE);
    this.chunkSize = Number.isInteger(n) && n > 0 ? n : DEFAULT_CHUNK;
  }

  private url(path: string): string {
    return new URL(path, this.base).href;
  }

  private async credentials(): Promise<Credentials | undefined> {
    if (this.creds === undefined) {
      this.creds = (await findCredentials(this.ref.host, this.env)) ?? null;
    }
    return this.creds ?? undefined;
  }

  /** One request; on a 401 with a challenge, authenticate and try once more. */
  async request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body: Body = () => null,
  ): Promise<Response> {
    const unreachable = (why: string) =>
      new UserError(
        `Registry ${this.ref.host} unreachable (${this.base}): ${why}`,
      );
    const send = async () => {
      const h: Record<string, string> = { ...headers };
      if (this.authorization) h.authorization = this.authorization;
      const payload = body();
      const init = { method, headers: h, body: payload as BodyInit | null };
      const watched = payload === null ||
        (payload instanceof Uint8Array && payload.length <= WATCHED_BODY);
      try {
        return watched
          ? await watchedFetch(
            this.url(path),
            init,
            this.timeoutSeconds,
            unreachable,
          )
          : await fetch(this.url(path), init);
      } catch (e) {
        if (e instanceof UserError) throw e;
        throw unreachable(firstLine(e));
      }
    };
    let res = await send();
    if (res.status !== 401) return res;
    const header = res.headers.get("www-authenticate") ?? "";
    await res.body?.cancel();
    const ch = parseChallenge(header);
    const creds = await this.credentials();
    const before = this.authorization;
    if (ch.scheme === "bearer") {
      const scope = `repository:${this.ref.repo}:${this.actions}`;
      this.authorization = `Bearer ${await fetchToken(
        ch.params,
        scope,
        creds,
      )}`;
    } else if (ch.scheme === "basic" && creds) {
      this.authorization = basicAuth(creds);
    }
    if (this.authorization === before) return res;
    res = await send();
    return res;
  }

  /** A one-line UserError for an unexpected answer, with the registry's own message. */
  async fail(res: Response, what: string): Promise<never> {
    let detail = "";
    try {
      const body = await res.json();
      const e = body?.errors?.[0];
      if (e) detail = `: ${e.message ?? e.code}`;
    } catch {
      // not JSON
    }
    if (res.status === 401) {
      detail += " (no valid credentials: set BUILDOUT_REGISTRY_USER and " +
        "BUILDOUT_REGISTRY_PASSWORD, or log in so ~/.docker/config.json has them)";
    }
    throw new UserError(
      `${what}: HTTP ${res.status} ${res.statusText}${detail}`.replace(
        /\s+/g,
        " ",
      ),
    );
  }

  private get repoPath(): string {
    return `/v2/${this.ref.repo}`;
  }

  /**
   * True when the registry holds the blob (`HEAD /v2/<repo>/blobs/<digest>`).
   *
   * @example
   * ```ts
   * await client.hasBlob("sha256:ab12..."); // false
   * ```
   */
  async hasBlob(digest: string): Promise<boolean> {
    const res = await this.request("HEAD", `${this.repoPath}/blobs/${digest}`);
    await res.body?.cancel();
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return await this.fail(res, `Checking blob ${digest} on ${this.ref.host}`);
  }

  /**
   * Upload a blob: monolithic when it fits in one chunk (or the registry refuses `PATCH`),
   * otherwise chunked. `read(offset, length)` gives the bytes.
   *
   * @example
   * ```ts
   * await client.uploadBlob("sha256:ab12...", 3, async () => new Uint8Array([1, 2, 3]));
   * ```
   */
  async uploadBlob(
    digest: string,
    size: number,
    read: (offset: number, length: number) => Promise<Uint8Array>,
  ): Promise<"monolithic" | "chunked"> {
    const what =
      `Uploading blob ${digest} to ${this.ref.host}/${this.ref.repo}`;
    let res = await this.request("POST", `${this.repoPath}/blobs/uploads/`, {
      "content-length": "0",
    });
    if (res.status !== 202) return await this.fail(res, what);
    await res.body?.cancel();
    let location = this.location(res, what);
    const min = Number(res.headers.get("oci-chunk-min-length") ?? 0);
    const chunk = Math.max(this.chunkSize, min || 0);
    let mode: "monolithic" | "chunked" = "monolithic";
    if (this.chunked && size > chunk) {
      let offset = 0;
      while (offset < size) {
        const data = await read(offset, Math.min(chunk, size - offset));
        res = await this.request("PATCH", location, {
          "content-type": "application/octet-stream",
          "content-length": String(data.length),
          "content-range": `${offset}-${offset + data.length - 1}`,
        }, () => data);
        if (offset === 0 && [404, 405, 501].includes(res.status)) {
          await res.body?.cancel();
          this.chunked = false; // the registry wants monolithic uploads
          return await this.uploadBlob(digest, size, read);
        }
        if (res.status !== 202) return await this.fail(res, what);
        await res.body?.cancel();
        location = this.location(res, what);
        offset += data.length;
      }
      mode = "chunked";
    }
    const put = new URL(location);
    put.searchParams.set("digest", digest);
    const rest = mode === "chunked" ? new Uint8Array() : await read(0, size);
    res = await this.request("PUT", put.href, {
      "content-type": "application/octet-stream",
      "content-length": String(rest.length),
    }, () => rest);
    if (res.status !== 201) return await this.fail(res, what);
    await res.body?.cancel();
    return mode;
  }

  private location(res: Response, what: string): string {
    const loc = res.headers.get("location");
    if (!loc) {
      throw new UserError(`${what}: the registry gave no upload location`);
    }
    return new URL(loc, this.base).href;
  }

  /**
   * Put a manifest under a tag (or digest); returns the digest the registry reports.
   *
   * @example
   * ```ts
   * await client.putManifest("1.0", bytes); // "sha256:..."
   * ```
   */
  async putManifest(
    reference: string,
    bytes: Uint8Array,
  ): Promise<string | null> {
    const res = await this.request(
      "PUT",
      `${this.repoPath}/manifests/${reference}`,
      { "content-type": MANIFEST_TYPE },
      () => bytes,
    );
    if (res.status !== 201) {
      return await this.fail(
        res,
        `Pushing the manifest to ${this.ref.host}/${this.ref.repo}:${reference}`,
      );
    }
    await res.body?.cancel();
    return res.headers.get("docker-content-digest");
  }

  /**
   * Get a manifest's bytes (an OCI image manifest is asked for).
   *
   * @example
   * ```ts
   * await client.getManifest("1.0"); // Uint8Array of the manifest JSON
   * ```
   */
  async getManifest(reference: string): Promise<Uint8Array> {
    const res = await this.request(
      "GET",
      `${this.repoPath}/manifests/${reference}`,
      {
        accept: MANIFEST_TYPE,
      },
    );
    if (res.status !== 200) {
      return await this.fail(
        res,
        `Getting the manifest of ${this.ref.host}/${this.ref.repo}:${reference}`,
      );
    }
    return new Uint8Array(await res.arrayBuffer());
  }

  /**
   * Get a blob's body (redirects followed); the caller checks its digest.
   *
   * @example
   * ```ts
   * const body = await client.getBlob("sha256:ab12...");
   * ```
   */
  async getBlob(digest: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.request("GET", `${this.repoPath}/blobs/${digest}`);
    if (res.status !== 200 || !res.body) {
      return await this.fail(
        res,
        `Getting blob ${digest} from ${this.ref.host}/${this.ref.repo}`,
      );
    }
    return res.body;
  }
}
