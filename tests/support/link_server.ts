/**
 * The test link server: serves one directory over HTTP on 127.0.0.1 the way
 * buildout's own test server does (listing pages, content types, the
 * `GET <status> <path>` request log), plus fault injection for download tests.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join, normalize, resolve, sep } from "node:path";
import { parseDistFilename } from "../../src/pypa/filename.ts";
import { normalizeName } from "../../src/pypa/name.ts";

/** A fault the server injects for one path (see {@link LinkServer.fault}). */
export type Fault =
  /** Answer `status` (default 500) to the first `times` requests (default: all). */
  | { kind: "status"; status?: number; times?: number }
  /** Declare the full Content-Length, send only `bytes` (default: half) and close. */
  | { kind: "truncate"; bytes?: number }
  /** Send the headers and `bytes` (default: half) of the body, then hang until closed. */
  | { kind: "stall"; bytes?: number }
  /** Stream the body `chunkSize` bytes (default 1024) every `intervalMs` (default 20). */
  | { kind: "slow"; chunkSize?: number; intervalMs?: number };

/** Options of {@link startLinkServer}. */
export interface LinkServerOptions {
  /** Start with request logging on (default off, as buildout's server). */
  logging?: boolean;
  /**
   * How `/index/` answers when `dir` has no `index/` folder (git keeps no
   * empty folders): `"empty"` (default) lists nothing, so every project page
   * 404s as in buildout's tests; `"simple"` is a PEP 503 / PEP 691 index of
   * the distribution files in `dir`.
   */
  index?: "empty" | "simple";
  /** Simple-index extras per file name: `data-requires-python`, `data-yanked`. */
  indexMeta?: Record<string, { requiresPython?: string; yanked?: string }>;
  /**
   * Send `ETag` (from the content) and `Last-Modified` (the file's, or for
   * listings and the synthetic index the served folder's, modification time)
   * with pages (HTML and JSON answers), and answer `304` to `If-None-Match` /
   * `If-Modified-Since` requests that still match. Requests carrying either
   * header are logged with their names: `GET 304 /index/demo/ (if-none-match,
   * if-modified-since)`.
   */
  validators?: boolean;
  /** Extra response headers by path, e.g. `{ "/index/demo/": { "cache-control": "no-store" } }`. */
  headers?: Record<string, Record<string, string>>;
  /** Hold every answer this long (to see requests overlap). */
  delayMs?: number;
}

/** The PEP 691 JSON content type. */
export const SIMPLE_JSON = "application/vnd.pypi.simple.v1+json";

/** A running link server. */
export interface LinkServer {
  /** Base URL with a trailing slash: `http://127.0.0.1:PORT/`. */
  url: string;
  /** Logged requests so far: `GET <status> <path>` lines. */
  log(): string[];
  /** Forget the logged requests (logging stays as it is) and the peak. */
  clearLog(): void;
  /** The most requests under way at once since the start or {@link clearLog}. */
  peak(): number;
  /** Inject `fault` for requests to `path` (e.g. `/demo-0.2.zip`); `undefined` removes it. */
  fault(path: string, fault: Fault | undefined): void;
  /** Stop the server (hanging responses are ended). */
  close(): Promise<void>;
}

const NOT_FOUND = "<html><body>Not Found</body></html>";

/**
 * The content type buildout's test server sends for a file name.
 *
 * @example
 * ```ts
 * contentTypeFor("demo-0.2-py3-none-any.whl"); // "application/octet-stream"
 * contentTypeFor("demoneeded-1.1.zip"); // "application/x-gzip"
 * ```
 */
export function contentTypeFor(name: string): string {
  if (name.endsWith(".egg")) return "application/zip";
  if (name.endsWith(".gz") || name.endsWith(".zip")) {
    return "application/x-gzip";
  }
  if (name.endsWith(".whl")) return "application/octet-stream";
  return "text/html";
}

/**
 * The HTML listing page for directory entries (names of subdirectories end with `/`).
 *
 * @example
 * ```ts
 * listingPage(["b.zip", "a/"]);
 * // "<html><body>\n<a href=\"a/\">a/</a><br>\n<a href=\"b.zip\">b.zip</a><br>\n</body></html>\n"
 * ```
 */
export function listingPage(entries: string[]): string {
  const sorted = [...entries].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const lines = sorted.map((n) => `<a href="${n}">${n}</a><br>`);
  return ["<html><body>", ...lines, "</body></html>", ""].join("\n");
}

/**
 * Serve `dir` on 127.0.0.1 with a free port.
 *
 * @example
 * ```ts
 * const server = await startLinkServer("fixtures/dists");
 * await fetch(server.url + "enable_server_logging").then((r) => r.text());
 * // ... run something against server.url ...
 * server.log(); // ["GET 200 /enable_server_logging", "GET 200 /", ...]
 * await server.close();
 * ```
 */
export function startLinkServer(
  dir: string,
  opts: LinkServerOptions = {},
): Promise<LinkServer> {
  const root = resolve(dir);
  const faults = new Map<string, Fault & { served: number }>();
  const hanging = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let logging = opts.logging ?? false;
  let lines: string[] = [];
  let active = 0;
  let peak = 0;

  const handle = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = decodeURIComponent(url.pathname);
    if (path === "/enable_server_logging") {
      logging = true;
      return text(200, "k", "text/html");
    }
    if (path === "/disable_server_logging") {
      logging = false;
      return text(200, "k", "text/html");
    }
    const fault = faults.get(path);
    if (fault?.kind === "status") {
      fault.served++;
      if (fault.times === undefined || fault.served <= fault.times) {
        return text(fault.status ?? 500, "<html><body>Error</body></html>");
      }
    }
    if (path === "/index" || path.startsWith("/index/")) {
      const synthetic = await syntheticIndex(
        root,
        path,
        opts,
        (req.headers.get("accept") ?? "").includes(SIMPLE_JSON),
      );
      if (synthetic) return synthetic;
    }
    const local = normalize(join(root, path));
    if (local !== root && !local.startsWith(root + sep)) {
      return text(404, NOT_FOUND);
    }
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(local);
    } catch {
      return text(404, NOT_FOUND);
    }
    if (info.isDirectory) {
      if (!path.endsWith("/")) {
        return new Response(null, {
          status: 301,
          headers: { location: url.pathname + "/" },
        });
      }
      const entries: string[] = [];
      for await (const e of Deno.readDir(local)) {
        if (e.name.startsWith(".")) continue;
        entries.push(e.isDirectory ? e.name + "/" : e.name);
      }
      if (path === "/" && !entries.includes("index/")) entries.push("index/");
      return text(200, listingPage(entries));
    }
    const body = await Deno.readFile(local);
    const type = contentTypeFor(local);
    if (fault && fault.kind !== "status") return faulty(fault, body, type);
    return new Response(body, {
      status: 200,
      headers: { "content-type": type, "content-length": `${body.length}` },
    });
  };

  const faulty = (f: Fault, body: Uint8Array, type: string): Response => {
    const headers = {
      "content-type": type,
      "content-length": `${body.length}`,
    };
    let stream: ReadableStream<Uint8Array>;
    if (f.kind === "slow") {
      const size = f.chunkSize ?? 1024;
      let at = 0;
      stream = new ReadableStream({
        start: (c) => void hanging.add(c),
        pull: (c) =>
          new Promise<void>((done) => {
            const t = setTimeout(() => {
              timers.delete(t);
              try {
                c.enqueue(body.subarray(at, at + size));
                at += size;
                if (at >= body.length) {
                  c.close();
                  hanging.delete(c);
                }
              } catch { /* the client went away */ }
              done();
            }, f.intervalMs ?? 20);
            timers.add(t);
          }),
      });
    } else {
      const part = body.subarray(
        0,
        (f.kind === "truncate" || f.kind === "stall") && f.bytes !== undefined
          ? f.bytes
          : Math.floor(body.length / 2),
      );
      stream = new ReadableStream({
        start(c) {
          c.enqueue(part);
          if (f.kind === "truncate") c.close();
          else hanging.add(c);
        },
        cancel() {/* client gave up */},
      });
    }
    return new Response(stream, { status: 200, headers });
  };

  return new Promise((ready) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
    }, async (req) => {
      const u = new URL(req.url);
      const path = decodeURIComponent(u.pathname);
      peak = Math.max(peak, ++active);
      let res: Response;
      try {
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        res = await handle(req);
      } finally {
        active--;
      }
      if (opts.validators && !faults.has(path)) {
        res = await validate(req, res, root, path);
      }
      for (const [k, v] of Object.entries(opts.headers?.[path] ?? {})) {
        res.headers.set(k, v);
      }
      if (logging) {
        const asked = ["if-none-match", "if-modified-since"].filter((h) =>
          req.headers.has(h)
        );
        lines.push(
          `${req.method} ${res.status} ${u.pathname}${u.search}` +
            (asked.length ? ` (${asked.join(", ")})` : ""),
        );
      }
      return res;
    });
    const { port } = server.addr as Deno.NetAddr;
    ready({
      url: `http://127.0.0.1:${port}/`,
      log: () => [...lines],
      clearLog: () => {
        lines = [];
        peak = active;
      },
      peak: () => peak,
      fault(path, fault) {
        if (fault) faults.set(path, { ...fault, served: 0 });
        else faults.delete(path);
      },
      async close() {
        for (const t of timers) clearTimeout(t);
        for (const c of hanging) {
          try {
            c.error(new Error("server closed"));
          } catch { /* already closed */ }
        }
        await server.shutdown();
      },
    });
  });
}

/**
 * `/index/...` answers when `root` has no real `index/` folder; undefined
 * when the real folder should be served.
 */
async function syntheticIndex(
  root: string,
  path: string,
  opts: LinkServerOptions,
  json: boolean,
): Promise<Response | undefined> {
  try {
    if ((await Deno.stat(join(root, "index"))).isDirectory) return undefined;
  } catch { /* no real index folder */ }
  if (path === "/index") {
    return new Response(null, {
      status: 301,
      headers: { location: "/index/" },
    });
  }
  const files: { name: string; key: string }[] = [];
  if (opts.index === "simple") {
    for await (const e of Deno.readDir(root)) {
      const parsed = e.isFile ? parseDistFilename(e.name) : undefined;
      if (parsed) files.push({ name: e.name, key: parsed.key });
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const rest = path.slice("/index/".length);
  if (rest === "") {
    const keys = [...new Set(files.map((f) => f.key))].sort();
    if (json) {
      return jsonPage({ projects: keys.map((k) => ({ name: k })) });
    }
    return text(200, listingPage(keys.map((k) => k + "/")));
  }
  const key = normalizeName(rest.replace(/\/$/, ""));
  const mine = files.filter((f) => f.key === key);
  if (!mine.length || !rest.endsWith("/")) return text(404, NOT_FOUND);
  const entries = await Promise.all(mine.map(async (f) => {
    const data = await Deno.readFile(join(root, f.name));
    const sha256 = createHash("sha256").update(data).digest("hex");
    return { ...f, sha256, meta: opts.indexMeta?.[f.name] ?? {} };
  }));
  if (json) {
    return jsonPage({
      name: key,
      files: entries.map((f) => ({
        filename: f.name,
        url: `../../${f.name}`,
        hashes: { sha256: f.sha256 },
        ...(f.meta.requiresPython
          ? { "requires-python": f.meta.requiresPython }
          : {}),
        ...(f.meta.yanked !== undefined
          ? { yanked: f.meta.yanked || true }
          : {}),
      })),
    });
  }
  const attr = (v: string) =>
    v.replace(/&/g, "&amp;").replace(/</g, "&lt;")
      .replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const links = entries.map((f) => {
    const extra = (f.meta.requiresPython
      ? ` data-requires-python="${attr(f.meta.requiresPython)}"`
      : "") +
      (f.meta.yanked !== undefined
        ? ` data-yanked="${attr(f.meta.yanked)}"`
        : "");
    return `<a href="../../${f.name}#sha256=${f.sha256}"${extra}>${f.name}</a><br>`;
  });
  return text(200, ["<html><body>", ...links, "</body></html>", ""].join("\n"));
}

/** Add validators to a page answer; `304` when the request's still match. */
async function validate(
  req: Request,
  res: Response,
  root: string,
  path: string,
): Promise<Response> {
  const type = res.headers.get("content-type") ?? "";
  if (res.status !== 200 || !/html|json/.test(type)) return res;
  const body = new Uint8Array(await res.arrayBuffer());
  const etag = `"${
    createHash("sha256").update(body).digest("hex").slice(0, 16)
  }"`;
  let mtime: Date | null = null;
  try {
    mtime = (await Deno.stat(normalize(join(root, path)))).mtime;
  } catch {
    mtime = (await Deno.stat(root)).mtime;
  }
  const modified = new Date(Math.floor((mtime?.getTime() ?? 0) / 1000) * 1000);
  const headers = new Headers(res.headers);
  headers.set("etag", etag);
  headers.set("last-modified", modified.toUTCString());
  const inm = req.headers.get("if-none-match");
  const ims = req.headers.get("if-modified-since");
  const fresh = inm !== null
    ? inm.split(",").map((t) => t.trim()).some((t) => t === etag || t === "*")
    : ims !== null && Date.parse(ims) >= modified.getTime();
  if (fresh) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers });
}

function jsonPage(body: Record<string, unknown>): Response {
  return new Response(
    JSON.stringify({ meta: { "api-version": "1.0" }, ...body }),
    { status: 200, headers: { "content-type": SIMPLE_JSON } },
  );
}

function text(status: number, body: string, type = "text/html"): Response {
  return new Response(body, { status, headers: { "content-type": type } });
}
