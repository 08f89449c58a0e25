import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheName, Download } from "../../src/fetch/download.ts";
import { pyRepr } from "../../src/pyrepr.ts";
import { UserError } from "../../src/errors.ts";
import { Logger } from "../../src/log.ts";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

interface Env {
  server: LinkServer;
  served: string;
  cache: string;
  lines: string[];
  log: Logger;
}

async function withEnv(fn: (e: Env) => Promise<void>): Promise<void> {
  const served = await Deno.makeTempDir({ prefix: "dl-served-" });
  const cache = await Deno.makeTempDir({ prefix: "dl-cache-" });
  await Deno.writeTextFile(join(served, "foo.txt"), "This is a foo text.");
  await Deno.mkdir(join(served, "other"));
  await Deno.writeTextFile(join(served, "other", "foo.txt"), "Other foo.");
  const server = await startLinkServer(served, { logging: true });
  const lines: string[] = [];
  try {
    await fn({
      server,
      served,
      cache: await Deno.realPath(cache),
      lines,
      log: new Logger(20, (l) => lines.push(l)),
    });
  } finally {
    await server.close();
    await Deno.remove(served, { recursive: true });
    await Deno.remove(cache, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

const http = { backoffMs: 1 };

Deno.test("without a cache a download goes to a temp file the caller removes", async () => {
  await withEnv(async ({ server, log, lines }) => {
    const dl = new Download({ offline: false, log, http });
    const url = server.url + "foo.txt";
    const { path, isTemp } = await dl.download(url);
    assert.equal(isTemp, true);
    assert.match(path, /buildout-/);
    assert.equal(await Deno.readTextFile(path), "This is a foo text.");
    await Deno.remove(path);
    assert.deepEqual(lines, [`Downloading ${url}`]);
  });
});

Deno.test("offline mode refuses remote URLs but serves local files", async () => {
  await withEnv(async ({ server, served, log }) => {
    const dl = new Download({ offline: true, log });
    const url = server.url + "foo.txt";
    await assert.rejects(dl.download(url), {
      message: `Couldn't download '${url}' in offline mode.`,
    });
    const local = join(served, "foo.txt");
    assert.deepEqual(await dl.download(local), { path: local, isTemp: false });
    assert.deepEqual(
      await dl.download(pathToFileURL(local).href),
      { path: local, isTemp: false },
    );
    assert.deepEqual(server.log(), []);
  });
});

Deno.test("the cache root must exist", async () => {
  await withEnv(async ({ server, cache, log }) => {
    const root = join(cache, "missing");
    const dl = new Download({ cacheRoot: root, offline: false, log });
    await assert.rejects(dl.download(server.url + "foo.txt"), {
      message:
        `The directory:\n'${root}'\nto be used as a download cache doesn't exist.`,
    });
  });
});

Deno.test("cache hits need no network; the namespace folder is created", async () => {
  await withEnv(async ({ server, cache, log, lines }) => {
    const dl = new Download({
      cacheRoot: cache,
      namespace: "test",
      offline: false,
      log,
    });
    const url = server.url + "foo.txt";
    const first = await dl.download(url);
    assert.deepEqual(first, {
      path: join(cache, "test", "foo.txt"),
      isTemp: false,
    });
    assert.deepEqual(await names(cache), ["test"]);
    const offline = new Download({
      cacheRoot: cache,
      namespace: "test",
      offline: true,
      log,
    });
    assert.deepEqual(await offline.download(url), first);
    // Same basename from another URL: buildout's documented sharing.
    const other = await dl.download(server.url + "other/foo.txt");
    assert.equal(await Deno.readTextFile(other.path), "This is a foo text.");
    assert.deepEqual(server.log(), ["GET 200 /foo.txt"]);
    assert.deepEqual(lines, [`Downloading ${url}`]);
  });
});

Deno.test("hash-named cache entries keep same-basename URLs apart", async () => {
  await withEnv(async ({ server, cache, lines }) => {
    const log = new Logger(10, (l) => lines.push(l));
    const dl = new Download({
      cacheRoot: cache,
      hashName: true,
      offline: false,
      log,
    });
    const a = await dl.download(server.url + "foo.txt");
    const b = await dl.download(server.url + "other/foo.txt");
    assert.equal(a.path, join(cache, md5(server.url + "foo.txt")));
    assert.equal(await Deno.readTextFile(a.path), "This is a foo text.");
    assert.equal(await Deno.readTextFile(b.path), "Other foo.");
    const url = server.url + "foo.txt";
    await dl.download(url);
    assert.deepEqual(lines.slice(0, 3), [
      `Searching cache at ${cache}/`,
      `Cache miss; will cache ${url} as ${a.path}`,
      `Downloading ${url}`,
    ]);
    assert.deepEqual(lines.slice(-2), [
      `Searching cache at ${cache}/`,
      `Using cache file ${a.path}`,
    ]);
  });
});

Deno.test("checksum texts: download, cached copy and local resource", async () => {
  await withEnv(async ({ server, served, cache, log }) => {
    const url = server.url + "foo.txt";
    const bad = "0".repeat(32);
    const plain = new Download({ offline: false, log, http });
    await assert.rejects(plain.download(url, { md5: bad }), {
      name: "ChecksumError",
      message: `MD5 checksum mismatch downloading '${url}'`,
    });
    const cached = new Download({
      cacheRoot: cache,
      offline: false,
      log,
      http,
    });
    await assert.rejects(cached.download(url, { md5: bad }), {
      message: `MD5 checksum mismatch downloading '${url}'`,
    });
    assert.deepEqual(await names(cache), []); // nothing cached, no temp file
    const good = md5("This is a foo text.");
    await cached.download(url, { md5: good });
    await assert.rejects(cached.download(url, { md5: bad }), {
      message: `MD5 checksum mismatch for cached download from '${url}' at '${
        join(cache, "foo.txt")
      }'`,
    });
    assert.deepEqual(await names(cache), ["foo.txt"]); // left in place
    const local = join(served, "foo.txt");
    await assert.rejects(plain.download(local, { md5: bad }), {
      message: `MD5 checksum mismatch for local resource at '${local}'.`,
    });
    await assert.rejects(
      plain.download(url, { sha256: sha256("other") }),
      { message: `SHA256 checksum mismatch downloading '${url}'` },
    );
    const ok = await plain.download(url, {
      md5: good,
      sha256: sha256("This is a foo text."),
    });
    await Deno.remove(ok.path);
  });
});

Deno.test("HTTP failures say 'Error downloading <url>' and cache nothing", async () => {
  await withEnv(async ({ server, cache, log }) => {
    const dl = new Download({ cacheRoot: cache, offline: false, log, http });
    const url = server.url + "nothere.cfg";
    await assert.rejects(
      dl.download(url),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === `Error downloading ${url}: 404 Not Found`,
    );
    assert.deepEqual(await names(cache), []);
  });
});

Deno.test("fallback mode refreshes the cache and falls back when the server fails", async () => {
  await withEnv(async ({ server, served, cache, log }) => {
    const url = server.url + "foo.txt";
    const dl = new Download({
      cacheRoot: cache,
      fallback: true,
      hashName: true,
      offline: false,
      log,
      http,
    });
    const { path } = await dl.download(url);
    await Deno.writeTextFile(join(served, "foo.txt"), "The wonderful new foo.");
    await dl.download(url);
    assert.equal(await Deno.readTextFile(path), "The wonderful new foo.");
    server.fault("/foo.txt", { kind: "status", status: 500 });
    assert.equal((await dl.download(url)).path, path);
    assert.equal(await Deno.readTextFile(path), "The wonderful new foo.");
    server.fault("/foo.txt", undefined);
    await assert.rejects(dl.download(url, { md5: "0".repeat(32) }), {
      message: `MD5 checksum mismatch downloading '${url}'`,
    });
    assert.equal(await Deno.readTextFile(path), "The wonderful new foo.");
  });
});

Deno.test("local files are copied into the cache and later edits are ignored", async () => {
  await withEnv(async ({ served, cache, log }) => {
    const local = join(served, "foo.txt");
    const dl = new Download({ cacheRoot: cache, offline: true, log });
    const { path } = await dl.download(local);
    assert.equal(path, join(cache, "foo.txt"));
    await Deno.writeTextFile(local, "edited");
    assert.equal(
      await Deno.readTextFile((await dl.download(local)).path),
      "This is a foo text.",
    );
  });
});

Deno.test("a target path is linked to the cache entry", async () => {
  await withEnv(async ({ server, served, cache, log }) => {
    const dl = new Download({ cacheRoot: cache, offline: false, log });
    const target = join(served, "copy.txt");
    const r = await dl.download(server.url + "foo.txt", { path: target });
    assert.deepEqual(r, { path: target, isTemp: false });
    assert.equal(await Deno.readTextFile(target), "This is a foo text.");
    assert.equal(
      await Deno.readTextFile(join(cache, "foo.txt")),
      "This is a foo text.",
    );
  });
});

Deno.test("cache names: basename, hashed, and path-less URLs", () => {
  assert.equal(cacheName("http://h/a/foo.txt?x=1#f", false), "foo.txt");
  assert.equal(cacheName("http://h/a/dir/", false), "dir");
  assert.equal(cacheName("/srv/base.cfg", false), "base.cfg");
  assert.equal(cacheName("http://h/", false), md5("http://h/"));
  assert.equal(
    cacheName("http://h/a/foo.txt", true),
    md5("http://h/a/foo.txt"),
  );
  assert.equal(pyRepr("it's"), `"it's"`);
});
