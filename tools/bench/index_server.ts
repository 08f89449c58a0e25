/**
 * A local PEP 503 index for the benchmark: `/simple/` and `/simple/<name>/`
 * over a folder of distribution files (served from `/files/`), with `ETag`
 * and `Last-Modified` on the pages and `304` answers to requests whose
 * validators still match, as a real index (or a caching proxy) answers.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { join } from "node:path";
import { parseDistFilename } from "../../src/pypa/filename.ts";

/** A running bench index. */
export interface BenchIndex {
  /** `http://127.0.0.1:PORT/simple/` */
  url: string;
  /** Answers by status since the last {@link BenchIndex.reset}, e.g. `{ 304: 84 }`. */
  counts(): Record<number, number>;
  reset(): void;
  /** Hold every page answer this long (a remote index's round trip). */
  latencyMs: number;
  close(): Promise<void>;
}

/**
 * Serve `dir` as a simple index on 127.0.0.1 (pages built once, at start):
 * a folder of distribution files, or a PEP 503 tree (`simple/`, `files/`).
 *
 * @example
 * ```ts
 * const index = await serveIndex("/tmp/wheelhouse");
 * // index = ${index.url} in buildout.cfg ...
 * index.counts(); // { 200: 85 } on a cold run, { 304: 85 } on a rerun
 * await index.close();
 * ```
 */
export async function serveIndex(dir: string): Promise<BenchIndex> {
  const { pages, files } = await readPages(dir);
  let counts: Record<number, number> = {};
  const answer = (status: number, body: BodyInit | null, headers = {}) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return new Response(body, { status, headers });
  };
  const state = { latencyMs: 0 };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const path = new URL(req.url).pathname;
      const p = pages.get(path);
      if (p) {
        if (state.latencyMs) {
          await new Promise((r) => setTimeout(r, state.latencyMs));
        }
        const headers = {
          "content-type": "text/html",
          etag: p.etag,
          "last-modified": MODIFIED,
        };
        const inm = req.headers.get("if-none-match");
        if (inm && inm.split(",").some((t) => t.trim() === p.etag)) {
          return answer(304, null, headers);
        }
        return answer(200, p.body, headers);
      }
      if (path.startsWith("/files/") && !path.slice(7).includes("/")) {
        try {
          const file = await Deno.open(join(files, path.slice(7)));
          return answer(200, file.readable, {
            "content-type": "application/octet-stream",
          });
        } catch { /* not there */ }
      }
      return answer(404, "Not Found");
    },
  );
  const { port } = server.addr as Deno.NetAddr;
  return {
    get latencyMs() {
      return state.latencyMs;
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms;
    },
    url: `http://127.0.0.1:${port}/simple/`,
    counts: () => ({ ...counts }),
    reset() {
      counts = {};
    },
    close: () => server.shutdown(),
  };
}

/** When the server started: the pages' `Last-Modified`. */
const MODIFIED = new Date(Math.floor(Date.now() / 1000) * 1000).toUTCString();

interface Page {
  body: string;
  etag: string;
}

function page(body: string): Page {
  return {
    body,
    etag: `"${createHash("sha256").update(body).digest("hex")}"`,
  };
}

/**
 * The pages to serve and the folder files come from: a PEP 503 tree already
 * laid out (`simple/<name>/index.html` linking `../../files/<file>`, as a
 * mirror on disk), else pages made for a flat folder of distribution files.
 */
async function readPages(
  dir: string,
): Promise<{ pages: Map<string, Page>; files: string }> {
  const pages = new Map<string, Page>();
  const simple = join(dir, "simple");
  if (await Deno.stat(simple).then((s) => s.isDirectory, () => false)) {
    for await (const e of Deno.readDir(simple)) {
      if (!e.isDirectory) continue;
      const body = await Deno.readTextFile(join(simple, e.name, "index.html"))
        .catch(() => undefined);
      if (body !== undefined) pages.set(`/simple/${e.name}/`, page(body));
    }
    pages.set(
      "/simple/",
      page(await Deno.readTextFile(join(simple, "index.html"))),
    );
    return { pages, files: join(dir, "files") };
  }
  const byKey = new Map<string, string[]>();
  for await (const e of Deno.readDir(dir)) {
    const parsed = e.isFile ? parseDistFilename(e.name) : undefined;
    if (parsed) byKey.set(parsed.key, [...byKey.get(parsed.key) ?? [], e.name]);
  }
  const html = (links: string[]) =>
    `<!DOCTYPE html>\n<html><body>\n${links.join("<br>\n")}\n</body></html>\n`;
  const keys = [...byKey.keys()].sort();
  pages.set(
    "/simple/",
    page(html(keys.map((k) => `<a href="${k}/">${k}</a>`))),
  );
  for (const k of keys) {
    const links: string[] = [];
    for (const f of byKey.get(k)!.sort()) {
      const hash = createHash("sha256");
      const file = await Deno.open(join(dir, f));
      for await (const chunk of file.readable) hash.update(chunk);
      const sha = hash.digest("hex");
      links.push(`<a href="../../files/${f}#sha256=${sha}">${f}</a>`);
    }
    pages.set(`/simple/${k}/`, page(html(links)));
  }
  return { pages, files: dir };
}
