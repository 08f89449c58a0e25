import assert from "node:assert/strict";
import { join } from "node:path";
import { SIMPLE_JSON, startLinkServer } from "../support/link_server.ts";
import { createHash } from "node:crypto";

async function fixtureDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "linksrv-" });
  await Deno.writeTextFile(join(dir, "demo-0.2-py3-none-any.whl"), "wheel");
  await Deno.writeTextFile(join(dir, "demoneeded-1.1.zip"), "zip");
  await Deno.writeTextFile(join(dir, "demo-0.3-py3.11.egg"), "egg");
  await Deno.writeTextFile(join(dir, "extdemo-1.4.tar.gz"), "gz");
  await Deno.writeTextFile(join(dir, "base.cfg"), "[buildout]\n");
  await Deno.mkdir(join(dir, "index"));
  return dir;
}

async function get(url: string): Promise<[number, string, string]> {
  const r = await fetch(url);
  return [r.status, r.headers.get("content-type") ?? "", await r.text()];
}

Deno.test("link server lists a directory as buildout's test server does", async () => {
  const dir = await fixtureDir();
  const server = await startLinkServer(dir);
  try {
    const [status, type, body] = await get(server.url);
    assert.equal(status, 200);
    assert.equal(type, "text/html");
    assert.equal(
      body,
      [
        "<html><body>",
        '<a href="base.cfg">base.cfg</a><br>',
        '<a href="demo-0.2-py3-none-any.whl">demo-0.2-py3-none-any.whl</a><br>',
        '<a href="demo-0.3-py3.11.egg">demo-0.3-py3.11.egg</a><br>',
        '<a href="demoneeded-1.1.zip">demoneeded-1.1.zip</a><br>',
        '<a href="extdemo-1.4.tar.gz">extdemo-1.4.tar.gz</a><br>',
        '<a href="index/">index/</a><br>',
        "</body></html>",
        "",
      ].join("\n"),
    );
    assert.deepEqual(await get(server.url + "index/"), [
      200,
      "text/html",
      "<html><body>\n</body></html>\n",
    ]);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("link server sends buildout's content types and 404 page", async () => {
  const dir = await fixtureDir();
  const server = await startLinkServer(dir);
  try {
    const types: Record<string, string> = {};
    for (
      const f of [
        "demo-0.2-py3-none-any.whl",
        "demoneeded-1.1.zip",
        "demo-0.3-py3.11.egg",
        "extdemo-1.4.tar.gz",
        "base.cfg",
      ]
    ) {
      const [status, type, body] = await get(server.url + f);
      assert.equal(status, 200);
      assert.equal(body, await Deno.readTextFile(join(dir, f)));
      types[f] = type;
    }
    assert.deepEqual(types, {
      "demo-0.2-py3-none-any.whl": "application/octet-stream",
      "demoneeded-1.1.zip": "application/x-gzip",
      "demo-0.3-py3.11.egg": "application/zip",
      "extdemo-1.4.tar.gz": "application/x-gzip",
      "base.cfg": "text/html",
    });
    assert.deepEqual(await get(server.url + "index/demo/"), [
      404,
      "text/html",
      "<html><body>Not Found</body></html>",
    ]);
    assert.equal((await get(server.url + "..%2f..%2fetc%2fpasswd"))[0], 404);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("link server logs requests only while logging is on", async () => {
  const dir = await fixtureDir();
  const server = await startLinkServer(dir);
  try {
    await get(server.url + "demoneeded-1.1.zip");
    assert.deepEqual(await get(server.url + "enable_server_logging"), [
      200,
      "text/html",
      "k",
    ]);
    await get(server.url);
    await get(server.url + "index/demo/");
    await get(server.url + "demo-0.2-py3-none-any.whl");
    await get(server.url + "disable_server_logging");
    await get(server.url + "demoneeded-1.1.zip");
    assert.deepEqual(server.log(), [
      "GET 200 /enable_server_logging",
      "GET 200 /",
      "GET 404 /index/demo/",
      "GET 200 /demo-0.2-py3-none-any.whl",
    ]);
    server.clearLog();
    assert.deepEqual(server.log(), []);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("link server injects faults and still closes with hanging responses", async () => {
  const dir = await fixtureDir();
  await Deno.writeFile(join(dir, "big.zip"), new Uint8Array(4096).fill(7));
  const server = await startLinkServer(dir, { logging: true });
  try {
    server.fault("/big.zip", { kind: "status", status: 503, times: 1 });
    assert.equal((await get(server.url + "big.zip"))[0], 503);
    assert.equal((await get(server.url + "big.zip"))[0], 200);

    server.fault("/big.zip", { kind: "truncate", bytes: 100 });
    const r = await fetch(server.url + "big.zip");
    assert.equal(r.headers.get("content-length"), "4096");
    await assert.rejects(r.arrayBuffer());

    server.fault("/big.zip", { kind: "slow", chunkSize: 1000, intervalMs: 1 });
    assert.equal(
      (await fetch(server.url + "big.zip").then((r) => r.bytes())).length,
      4096,
    );

    server.fault("/big.zip", { kind: "stall", bytes: 10 });
    const stalled = await fetch(server.url + "big.zip");
    const reader = stalled.body!.getReader();
    assert.equal((await reader.read()).value?.length, 10);
    server.fault("/big.zip", { kind: "slow", chunkSize: 1, intervalMs: 1000 });
    const slow = await fetch(server.url + "big.zip");
    const pending = [reader.read(), slow.body!.getReader().read()];
    await server.close();
    await Promise.allSettled(pending);
    assert.deepEqual(server.log(), [
      "GET 503 /big.zip",
      "GET 200 /big.zip",
      "GET 200 /big.zip",
      "GET 200 /big.zip",
      "GET 200 /big.zip",
      "GET 200 /big.zip",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without an index/ folder the server answers an empty index", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "demo-0.2-py3-none-any.whl"), "w");
  await Deno.writeTextFile(join(dir, ".gitkeep"), "");
  const server = await startLinkServer(dir, { logging: true });
  try {
    assert.equal(
      (await get(server.url))[2],
      "<html><body>\n" +
        '<a href="demo-0.2-py3-none-any.whl">demo-0.2-py3-none-any.whl</a><br>\n' +
        '<a href="index/">index/</a><br>\n</body></html>\n',
    );
    assert.equal(
      (await get(server.url + "index/"))[2],
      "<html><body>\n</body></html>\n",
    );
    assert.equal((await get(server.url + "index/demo/"))[0], 404);
    assert.deepEqual(server.log(), [
      "GET 200 /",
      "GET 200 /index/",
      "GET 404 /index/demo/",
    ]);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the simple index serves PEP 503 pages and PEP 691 JSON", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "demo-0.2-py3-none-any.whl"), "w");
  await Deno.writeTextFile(join(dir, "demo-0.3.tar.gz"), "s");
  await Deno.writeTextFile(join(dir, "Demo_Needed-1.1.zip"), "z");
  const server = await startLinkServer(dir, {
    index: "simple",
    indexMeta: {
      "demo-0.3.tar.gz": { requiresPython: ">=3.8", yanked: "bad" },
    },
  });
  const sha = (s: string) => createHash("sha256").update(s).digest("hex");
  try {
    assert.equal(
      (await get(server.url + "index/"))[2],
      '<html><body>\n<a href="demo-needed/">demo-needed/</a><br>\n' +
        '<a href="demo/">demo/</a><br>\n</body></html>\n',
    );
    assert.equal(
      (await get(server.url + "index/demo/"))[2],
      "<html><body>\n" +
        `<a href="../../demo-0.2-py3-none-any.whl#sha256=${
          sha("w")
        }">demo-0.2-py3-none-any.whl</a><br>\n` +
        `<a href="../../demo-0.3.tar.gz#sha256=${
          sha("s")
        }" data-requires-python="&gt;=3.8" data-yanked="bad">demo-0.3.tar.gz</a><br>\n` +
        "</body></html>\n",
    );
    const r = await fetch(server.url + "index/demo-needed/", {
      headers: { accept: SIMPLE_JSON },
    });
    assert.equal(r.headers.get("content-type"), SIMPLE_JSON);
    assert.deepEqual(await r.json(), {
      meta: { "api-version": "1.0" },
      name: "demo-needed",
      files: [{
        filename: "Demo_Needed-1.1.zip",
        url: "../../Demo_Needed-1.1.zip",
        hashes: { sha256: sha("z") },
      }],
    });
    assert.equal((await get(server.url + "index/other/"))[0], 404);
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});
