import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BlobWriter, configure, TextReader, ZipWriter } from "@zip.js/zip.js";
import { DistCache } from "../../src/fetch/cache.ts";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";

configure({ useWebWorkers: false });

async function zipBytes(): Promise<Uint8Array> {
  const writer = new ZipWriter(new BlobWriter("application/zip"));
  await writer.add("eggrecipedemo.py", new TextReader("x = 2\n".repeat(50)));
  const blob = await writer.close();
  return new Uint8Array(await blob.arrayBuffer());
}

async function gzipBytes(): Promise<Uint8Array> {
  const stream = new Blob([new Uint8Array(5000).fill(65)]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function withDirs(
  fn: (server: LinkServer, served: string, dist: string) => Promise<void>,
): Promise<void> {
  const served = await Deno.makeTempDir({ prefix: "cache-served-" });
  const cacheRoot = await Deno.makeTempDir({ prefix: "cache-" });
  const server = await startLinkServer(served, { logging: true });
  try {
    await fn(server, served, join(cacheRoot, "dist"));
  } finally {
    await server.close();
    await Deno.remove(served, { recursive: true });
    await Deno.remove(cacheRoot, { recursive: true });
  }
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("DistCache lists parsable files once, indexed by normalised name", async () => {
  await withDirs(async (_server, _served, dist) => {
    await Deno.mkdir(dist);
    for (
      const f of [
        "demo-0.2-py3-none-any.whl",
        "Demo_Needed-1.1.zip",
        "notes.txt",
        ".demo-0.3-py3-none-any.whl.part-0a1b2c3d",
      ]
    ) await Deno.writeTextFile(join(dist, f), "x");
    await Deno.mkdir(join(dist, "demo-0.1.zip"));
    const cache = new DistCache(dist);
    assert.deepEqual((await cache.list()).map((f) => f.filename), [
      "Demo_Needed-1.1.zip",
      "demo-0.2-py3-none-any.whl",
    ]);
    // Listed once: a file dropped in later is not seen by this object.
    await Deno.writeTextFile(join(dist, "demo-0.4-py3-none-any.whl"), "x");
    assert.deepEqual(
      (await cache.byKey("demo")).map((f) => f.filename),
      ["demo-0.2-py3-none-any.whl"],
    );
    assert.deepEqual(
      (await cache.byKey("demo.needed")).map((f) => f.version),
      ["1.1"],
    );
    assert.equal(await cache.has("demo-0.2-py3-none-any.whl"), true);
    assert.equal(await cache.has("demo-0.4-py3-none-any.whl"), false);
    assert.equal(cache.pathOf("x/demo-0.2.zip"), join(dist, "demo-0.2.zip"));
  });
});

Deno.test("a missing dist folder is an empty cache", async () => {
  const cache = new DistCache("/nonexistent/cache/dist");
  assert.deepEqual(await cache.list(), []);
});

Deno.test("addLocal copies a find-links file in and keeps an existing entry", async () => {
  await withDirs(async (_server, served, dist) => {
    const src = join(served, "demoneeded-1.1.zip");
    await Deno.writeTextFile(src, "v1");
    const cache = new DistCache(dist);
    assert.equal(await cache.addLocal(src), join(dist, "demoneeded-1.1.zip"));
    await Deno.writeTextFile(src, "edited later");
    await cache.addLocal(src);
    assert.equal(
      await Deno.readTextFile(join(dist, "demoneeded-1.1.zip")),
      "v1",
    );
    assert.deepEqual(await names(dist), ["demoneeded-1.1.zip"]);
    assert.deepEqual((await cache.list()).map((f) => f.filename), [
      "demoneeded-1.1.zip",
    ]);
  });
});

Deno.test("fetchInto downloads into dist/ and a hash mismatch caches nothing", async () => {
  await withDirs(async (server, served, dist) => {
    await Deno.writeFile(
      join(served, "demo-0.2-py3-none-any.whl"),
      await zipBytes(),
    );
    const cache = new DistCache(dist, { backoffMs: 1 });
    await assert.rejects(
      cache.fetchInto(
        server.url + "demo-0.2-py3-none-any.whl",
        "demo-0.2-py3-none-any.whl",
        { md5: "0".repeat(32) },
      ),
      {
        message:
          "md5 validation failed for demo-0.2-py3-none-any.whl; possible download problem?",
      },
    );
    assert.deepEqual(await names(dist), []);
    assert.deepEqual(await cache.list(), []);

    const path = await cache.fetchInto(
      server.url + "demo-0.2-py3-none-any.whl",
      "demo-0.2-py3-none-any.whl",
    );
    assert.equal(path, join(dist, "demo-0.2-py3-none-any.whl"));
    assert.deepEqual((await cache.byKey("demo")).map((f) => f.version), [
      "0.2",
    ]);
    assert.equal(await cache.isReadable("demo-0.2-py3-none-any.whl"), true);
    assert.deepEqual(server.log(), [
      "GET 200 /demo-0.2-py3-none-any.whl",
      "GET 200 /demo-0.2-py3-none-any.whl",
    ]);
  });
});

Deno.test("truncated cached archives are reported unreadable", async () => {
  await withDirs(async (_server, _served, dist) => {
    await Deno.mkdir(dist);
    const zip = await zipBytes();
    const gz = await gzipBytes();
    await Deno.writeFile(join(dist, "good-1.0.zip"), zip);
    await Deno.writeFile(
      join(dist, "cut-1.0.zip"),
      zip.subarray(0, zip.length - 10),
    );
    await Deno.writeFile(join(dist, "good-1.0.tar.gz"), gz);
    await Deno.writeFile(
      join(dist, "cut-1.0.tar.gz"),
      gz.subarray(0, gz.length - 4),
    );
    await Deno.writeFile(
      join(dist, "empty-1.0-py3-none-any.whl"),
      new Uint8Array(),
    );
    const cache = new DistCache(dist);
    const verdicts: Record<string, boolean> = {};
    for (const f of await names(dist)) verdicts[f] = await cache.isReadable(f);
    assert.deepEqual(verdicts, {
      "cut-1.0.tar.gz": false,
      "cut-1.0.zip": false,
      "empty-1.0-py3-none-any.whl": false,
      "good-1.0.tar.gz": true,
      "good-1.0.zip": true,
    });
    assert.equal(await cache.isReadable("absent-1.0.zip"), false);
    await cache.remove("cut-1.0.zip");
    await cache.remove("absent-1.0.zip");
    assert.equal(await cache.has("cut-1.0.zip"), false);
    assert.equal((await names(dist)).includes("cut-1.0.zip"), false);
  });
});

Deno.test("matchesHashes checks a cached file against given digests", async () => {
  await withDirs(async (_server, _served, dist) => {
    await Deno.mkdir(dist);
    await Deno.writeTextFile(join(dist, "demo-0.2.zip"), "hello");
    const cache = new DistCache(dist);
    const sha256 =
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    assert.equal(await cache.matchesHashes("demo-0.2.zip", { sha256 }), true);
    assert.equal(
      await cache.matchesHashes("demo-0.2.zip", { md5: "0".repeat(32) }),
      false,
    );
  });
});

Deno.test("a killed download leaves no file under the final name", async () => {
  await withDirs(async (server, served, dist) => {
    const big = new Uint8Array(400_000).fill(1);
    await Deno.writeFile(join(served, "demo-0.2.zip"), big);
    server.fault("/demo-0.2.zip", {
      kind: "slow",
      chunkSize: 2048,
      intervalMs: 10,
    });
    const script = join(served, "fetch.ts");
    const cacheModule =
      pathToFileURL(join(Deno.cwd(), "src/fetch/cache.ts")).href;
    await Deno.writeTextFile(
      script,
      `import { DistCache } from ${JSON.stringify(cacheModule)};
await new DistCache(Deno.args[0]).fetchInto(Deno.args[1], "demo-0.2.zip");
console.log("finished");`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-all",
        "--config",
        join(Deno.cwd(), "deno.json"),
        script,
        dist,
        server.url + "demo-0.2.zip",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Wait until the child has written part of the file, then kill it.
    let part: string | undefined;
    let exited = false;
    const outcome = child.output().finally(() => exited = true);
    for (let i = 0; i < 1000 && !part && !exited; i++) {
      await new Promise((r) => setTimeout(r, 20));
      const found = (await names(dist).catch(() => [])).find((n) =>
        n.startsWith(".demo-0.2.zip.part-")
      );
      if (found && (await Deno.stat(join(dist, found))).size > 0) part = found;
    }
    if (!exited) child.kill("SIGKILL");
    const { stdout, stderr } = await outcome;
    assert.ok(part, new TextDecoder().decode(stderr));
    assert.equal(new TextDecoder().decode(stdout), "");
    assert.deepEqual(await names(dist), [part]);
    assert.ok((await Deno.stat(join(dist, part))).size < big.length);

    // The next run does not see the leftover and downloads the file anew.
    server.fault("/demo-0.2.zip", undefined);
    const cache = new DistCache(dist);
    assert.deepEqual(await cache.list(), []);
    await cache.fetchInto(server.url + "demo-0.2.zip", "demo-0.2.zip");
    assert.deepEqual(await Deno.readFile(join(dist, "demo-0.2.zip")), big);
    assert.deepEqual((await cache.list()).map((f) => f.filename), [
      "demo-0.2.zip",
    ]);
  });
});
