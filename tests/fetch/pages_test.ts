import assert from "node:assert/strict";
import { join } from "node:path";
import { getText } from "../../src/fetch/http.ts";
import { PageCache, storable } from "../../src/fetch/pages.ts";
import { startLinkServer } from "../support/link_server.ts";

const FAST = { backoffMs: 1, timeoutSeconds: 5 };
const URL1 = "http://127.0.0.1:1/simple/demo/";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pages-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function store(
  cache: PageCache,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<void> {
  const w = await cache.writer(url, url, new Headers(headers));
  const bytes = new TextEncoder().encode(body);
  await w.write(bytes.subarray(0, 3));
  await w.write(bytes.subarray(3));
  await w.commit();
}

Deno.test("a stored page comes back with its validators, one file per URL", async () => {
  await withDir(async (dir) => {
    const cache = new PageCache(join(dir, "pages"));
    assert.equal(await cache.read(URL1), undefined);
    await store(cache, URL1, "<a href='x'>\nx</a>\n", {
      "content-type": "text/html",
      etag: '"v1"',
      "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
    });
    const page = await cache.read(URL1);
    assert.ok(page);
    assert.equal(new TextDecoder().decode(page.body), "<a href='x'>\nx</a>\n");
    assert.equal(page.contentType, "text/html");
    assert.deepEqual(PageCache.conditional(page), {
      "if-none-match": '"v1"',
      "if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT",
    });
    assert.deepEqual(
      [...Deno.readDirSync(join(dir, "pages"))].map((e) => e.name),
      [
        cache.pathOf(URL1).split("/").pop(),
      ],
    );
    assert.equal(await cache.read(URL1 + "other/"), undefined);
  });
});

Deno.test("a corrupt, truncated or foreign entry is ignored", async () => {
  await withDir(async (dir) => {
    const cache = new PageCache(dir);
    await store(cache, URL1, "<html>body</html>", { etag: '"v1"' });
    const path = cache.pathOf(URL1);
    const whole = await Deno.readFile(path);
    assert.ok(await cache.read(URL1));
    // Body bytes changed, size kept.
    const flipped = whole.slice();
    flipped[2] ^= 1;
    await Deno.writeFile(path, flipped);
    assert.equal(await cache.read(URL1), undefined);
    // Cut short.
    await Deno.writeFile(path, whole.subarray(0, whole.length - 5));
    assert.equal(await cache.read(URL1), undefined);
    // Garbage.
    await Deno.writeTextFile(path, "not a page\n");
    assert.equal(await cache.read(URL1), undefined);
    // Another URL's entry under this name.
    await store(cache, "http://elsewhere/", "<html>body</html>", {
      etag: '"v1"',
    });
    await Deno.copyFile(cache.pathOf("http://elsewhere/"), path);
    assert.equal(await cache.read(URL1), undefined);
  });
});

Deno.test("an aborted write leaves nothing behind", async () => {
  await withDir(async (dir) => {
    const cache = new PageCache(dir);
    const w = await cache.writer(URL1, URL1, new Headers({ etag: '"1"' }));
    await w.write(new TextEncoder().encode("half"));
    await w.abort();
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("only answers with a validator and without no-store are kept", () => {
  assert.equal(storable(new Headers({ etag: '"1"' })), true);
  assert.equal(
    storable(new Headers({ "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT" })),
    true,
  );
  assert.equal(storable(new Headers({})), false);
  assert.equal(
    storable(
      new Headers({ etag: '"1"', "cache-control": "max-age=0, no-store" }),
    ),
    false,
  );
  assert.equal(
    storable(new Headers({ etag: '"1"', "cache-control": "no-cache" })),
    true,
  );
});

Deno.test("getText sends conditional headers, copies a 200 body and reports a 304", async () => {
  const served = await Deno.makeTempDir({ prefix: "pages-served-" });
  await Deno.writeTextFile(join(served, "page.html"), "<html>hi</html>");
  const server = await startLinkServer(served, {
    logging: true,
    validators: true,
  });
  try {
    await withDir(async (dir) => {
      const cache = new PageCache(dir);
      const url = server.url + "page.html";
      const first = await getText(url, {
        ...FAST,
        save: (finalUrl, headers) => cache.writer(url, finalUrl, headers),
      });
      assert.equal(first.status, 200);
      assert.equal(first.body, "<html>hi</html>");
      const kept = await cache.read(url);
      assert.ok(kept);
      assert.match(kept.etag ?? "", /^"[0-9a-f]{16}"$/);
      assert.ok(kept.lastModified);
      assert.equal(new TextDecoder().decode(kept.body), "<html>hi</html>");
      const again = await getText(url, {
        ...FAST,
        headers: PageCache.conditional(kept),
        save: () => {
          throw new Error("no body expected");
        },
      });
      assert.equal(again.status, 304);
      assert.equal(again.body, "");
      const modifiedOnly = await getText(url, {
        ...FAST,
        headers: { "if-modified-since": kept.lastModified! },
      });
      assert.equal(modifiedOnly.status, 304);
      const stale = await getText(url, {
        ...FAST,
        headers: { "if-none-match": '"old"' },
      });
      assert.equal(stale.status, 200);
      assert.equal(stale.body, "<html>hi</html>");
      assert.deepEqual(server.log(), [
        "GET 200 /page.html",
        "GET 304 /page.html (if-none-match, if-modified-since)",
        "GET 304 /page.html (if-modified-since)",
        "GET 200 /page.html (if-none-match)",
      ]);
    });
  } finally {
    await server.close();
    await Deno.remove(served, { recursive: true });
  }
});
