/**
 * The HTTP shape of the shared download cache: `GET`/`HEAD`/`PUT` on
 * `<base>/cas/<sha256>` (file contents) and `<base>/ac/<key>` (JSON name
 * records), as bazel-remote and any WebDAV or S3-style store answer them.
 *
 * @module
 */
import { DownloadError, statusError, withRetries } from "./attempts.ts";
import { bodyChunks } from "./chunks.ts";
import {
  MAX_RECORD_BYTES,
  parseRecord,
  type SharedCacheBackend,
  type SharedRecord,
} from "./shared_backend.ts";

/** Options of {@link HttpSharedCache}. */
export interface HttpSharedCacheOptions {
  /** Connect timeout and longest pause between chunks (default 30). */
  timeoutSeconds?: number;
}

/**
 * A shared cache served over HTTP(S). Requests are not retried: a store that
 * fails is a cache miss, and the caller goes upstream.
 *
 * @example
 * ```ts
 * const store = new HttpSharedCache("http://127.0.0.1:9090/buildout/");
 * await store.put(sha, "/cache/dist/demo-0.2.zip"); // PUT /buildout/cas/<sha>
 * ```
 */
export class HttpSharedCache implements SharedCacheBackend {
  readonly location: string;
  #base: string;

  constructor(base: string, readonly o: HttpSharedCacheOptions = {}) {
    this.location = base;
    this.#base = base.endsWith("/") ? base : base + "/";
  }

  #url(kind: "cas" | "ac", id: string): string {
    return `${this.#base}${kind}/${id}`;
  }

  /** One request; `body` reads the answer while the idle timer runs. */
  #request<T>(
    url: string,
    init: RequestInit,
    body: (res: Response, touch: () => void) => Promise<T>,
  ): Promise<T> {
    return withRetries(
      url,
      { timeoutSeconds: this.o.timeoutSeconds, retries: 0 },
      async (timer) => {
        const res = await fetch(url, {
          ...init,
          signal: timer.controller.signal,
        });
        timer.touch();
        return await body(res, () => timer.touch());
      },
    );
  }

  get(sha256: string, dest: string): Promise<boolean> {
    const url = this.#url("cas", sha256);
    return this.#request(url, {
      headers: { "accept-encoding": "identity" },
    }, async (res, touch) => {
      if (res.status === 404) {
        await res.body?.cancel();
        return false;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw statusError(url, res);
      }
      const file = await Deno.open(dest, { write: true, createNew: true });
      try {
        for await (const chunk of bodyChunks(res.body)) {
          touch();
          for (let at = 0; at < chunk.length;) {
            at += await file.write(chunk.subarray(at));
          }
        }
        await file.sync();
      } finally {
        file.close();
      }
      return true;
    });
  }

  lookup(key: string): Promise<SharedRecord | undefined> {
    const url = this.#url("ac", key);
    return this.#request(url, {}, async (res) => {
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw statusError(url, res);
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > MAX_RECORD_BYTES) {
        throw new DownloadError(
          `The record ${url} is larger than ${MAX_RECORD_BYTES} bytes`,
          url,
          "too-large",
          `larger than ${MAX_RECORD_BYTES} bytes`,
        );
      }
      return parseRecord(new TextDecoder().decode(bytes));
    });
  }

  has(kind: "cas" | "ac", id: string): Promise<boolean> {
    const url = this.#url(kind, id);
    return this.#request(url, { method: "HEAD" }, async (res) => {
      await res.body?.cancel();
      if (res.status === 404) return false;
      if (!res.ok) throw statusError(url, res);
      return true;
    });
  }

  async put(sha256: string, file: string): Promise<void> {
    const size = (await Deno.stat(file)).size;
    const url = this.#url("cas", sha256);
    const f = await Deno.open(file);
    try {
      await this.#send(url, f.readable, size, "application/octet-stream");
    } finally {
      try {
        f.close();
      } catch {
        // the request body stream closed it already
      }
    }
  }

  putRecord(key: string, record: SharedRecord): Promise<void> {
    const body = new TextEncoder().encode(JSON.stringify(record) + "\n");
    return this.#send(
      this.#url("ac", key),
      body,
      body.length,
      "application/json",
    );
  }

  #send(
    url: string,
    body: BodyInit,
    size: number,
    type: string,
  ): Promise<void> {
    return this.#request(url, {
      method: "PUT",
      body,
      headers: { "content-type": type, "content-length": String(size) },
    }, async (res) => {
      await res.body?.cancel();
      if (!res.ok) throw statusError(url, res);
    });
  }
}
