import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DownloadError, downloadTo, getText } from "../../src/fetch/http.ts";
import { isTempName, tempNameFor } from "../../src/fetch/part_files.ts";
import { UserError } from "../../src/errors.ts";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";

const FAST = { backoffMs: 1, timeoutSeconds: 5 };
const DATA = new Uint8Array(10_000).map((_, i) => i % 251);
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function withServer(
  fn: (s: LinkServer, served: string, out: string) => Promise<void>,
): Promise<void> {
  const served = await Deno.makeTempDir({ prefix: "http-served-" });
  const out = await Deno.makeTempDir({ prefix: "http-out-" });
  await Deno.writeFile(join(served, "demo-0.2.zip"), DATA);
  await Deno.writeTextFile(join(served, "page.html"), "<html>hi</html>");
  const server = await startLinkServer(served, { logging: true });
  try {
    await fn(server, served, out);
  } finally {
    await server.close();
    await Deno.remove(served, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("getText returns pages and 404 statuses without throwing", async () => {
  await withServer(async (server) => {
    const page = await getText(server.url + "page.html", FAST);
    const { headers, ...rest } = page;
    assert.deepEqual(rest, {
      url: server.url + "page.html",
      status: 200,
      contentType: "text/html",
      body: "<html>hi</html>",
    });
    assert.equal(headers.get("content-type"), "text/html");
    const missing = await getText(server.url + "index/demo/", FAST);
    assert.equal(missing.status, 404);
    assert.equal(missing.body, "<html><body>Not Found</body></html>");
    assert.deepEqual(server.log(), [
      "GET 200 /page.html",
      "GET 404 /index/demo/",
    ]);
  });
});

Deno.test("getText retries a 500 page and then reports the status", async () => {
  await withServer(async (server) => {
    server.fault("/index/", { kind: "status", status: 500 });
    const page = await getText(server.url + "index/", FAST);
    assert.equal(page.status, 500);
    assert.deepEqual(server.log(), [
      "GET 500 /index/",
      "GET 500 /index/",
      "GET 500 /index/",
    ]);
  });
});

Deno.test("downloadTo writes a verified file and leaves no temp file", async () => {
  await withServer(async (server, _served, out) => {
    const target = join(out, "demo-0.2.zip");
    await downloadTo(server.url + "demo-0.2.zip", target, {
      ...FAST,
      hashes: {
        sha256: sha256(DATA),
        md5: createHash("md5").update(DATA).digest("hex"),
        blake2b: "ignored",
      },
    });
    assert.deepEqual(await Deno.readFile(target), DATA);
    assert.deepEqual(await entries(out), ["demo-0.2.zip"]);
  });
});

Deno.test("downloadTo fails at once on 404 with the status in the message", async () => {
  await withServer(async (server, _served, out) => {
    const url = server.url + "missing.zip";
    await assert.rejects(
      downloadTo(url, join(out, "missing.zip"), FAST),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === `Can't download ${url}: 404 Not Found`,
    );
    assert.deepEqual(server.log(), ["GET 404 /missing.zip"]);
    assert.deepEqual(await entries(out), []);
  });
});

Deno.test("downloadTo retries a 500 twice, then fails", async () => {
  await withServer(async (server, _served, out) => {
    server.fault("/demo-0.2.zip", { kind: "status", status: 500 });
    const url = server.url + "demo-0.2.zip";
    await assert.rejects(
      downloadTo(url, join(out, "demo-0.2.zip"), FAST),
      { message: `Can't download ${url}: 500 Internal Server Error` },
    );
    assert.deepEqual(server.log(), [
      "GET 500 /demo-0.2.zip",
      "GET 500 /demo-0.2.zip",
      "GET 500 /demo-0.2.zip",
    ]);
    assert.deepEqual(await entries(out), []);
  });
});

Deno.test("downloadTo recovers when a retry succeeds", async () => {
  await withServer(async (server, _served, out) => {
    server.fault("/demo-0.2.zip", { kind: "status", status: 503, times: 1 });
    const target = join(out, "demo-0.2.zip");
    await downloadTo(server.url + "demo-0.2.zip", target, FAST);
    assert.deepEqual(await Deno.readFile(target), DATA);
    assert.deepEqual(server.log(), [
      "GET 503 /demo-0.2.zip",
      "GET 200 /demo-0.2.zip",
    ]);
  });
});

Deno.test("a truncated body is retried and never lands under the final name", async () => {
  await withServer(async (server, _served, out) => {
    server.fault("/demo-0.2.zip", { kind: "truncate", bytes: 4000 });
    const url = server.url + "demo-0.2.zip";
    await assert.rejects(
      downloadTo(url, join(out, "demo-0.2.zip"), { ...FAST, retries: 1 }),
      (e: unknown) =>
        e instanceof DownloadError && e.fault === "network" &&
        e.message.startsWith(`Can't download ${url}: `),
    );
    assert.equal(server.log().length, 2);
    assert.deepEqual(await entries(out), []);
  });
});

Deno.test("a stalled download times out with one clear line", async () => {
  await withServer(async (server, _served, out) => {
    server.fault("/demo-0.2.zip", { kind: "stall", bytes: 100 });
    const url = server.url + "demo-0.2.zip";
    await assert.rejects(
      downloadTo(url, join(out, "demo-0.2.zip"), {
        ...FAST,
        timeoutSeconds: 0.3,
      }),
      { message: `Timed out downloading ${url} after 0.3 seconds` },
    );
    assert.deepEqual(server.log(), ["GET 200 /demo-0.2.zip"]);
    assert.deepEqual(await entries(out), []);
  });
});

Deno.test("a hash mismatch rejects the file: nothing kept, no temp file", async () => {
  await withServer(async (server, _served, out) => {
    const target = join(out, "demo-0.2.zip");
    await Deno.writeTextFile(target, "older good copy");
    await assert.rejects(
      downloadTo(server.url + "demo-0.2.zip", target, {
        ...FAST,
        hashes: { sha256: "0".repeat(64) },
      }),
      {
        message:
          "sha256 validation failed for demo-0.2.zip; possible download problem?",
      },
    );
    assert.equal(await Deno.readTextFile(target), "older good copy");
    assert.deepEqual(await entries(out), ["demo-0.2.zip"]);
    assert.equal(server.log().length, 1);
  });
});

Deno.test("an HTML page served for a distribution is refused when asked", async () => {
  await withServer(async (server, served, out) => {
    await Deno.writeTextFile(
      join(served, "fake-1.0.tar.bz2"),
      "<!DOCTYPE html><html><body>login</body></html>",
    );
    const url = server.url + "fake-1.0.tar.bz2";
    await assert.rejects(
      downloadTo(url, join(out, "fake-1.0.tar.bz2"), {
        ...FAST,
        rejectHtml: true,
      }),
      { message: `Unexpected HTML page found at ${url}` },
    );
    assert.deepEqual(await entries(out), []);
    // A real archive the server labels text/html is still accepted.
    await Deno.writeFile(join(served, "real-1.0.tar.bz2"), DATA);
    await downloadTo(server.url + "real-1.0.tar.bz2", join(out, "r.tar.bz2"), {
      ...FAST,
      rejectHtml: true,
    });
    assert.deepEqual(await entries(out), ["r.tar.bz2"]);
  });
});

Deno.test("a refused connection is reported once, not retried", async () => {
  const out = await Deno.makeTempDir();
  const server = await startLinkServer(out);
  const url = server.url + "gone.zip";
  await server.close();
  try {
    await assert.rejects(
      downloadTo(url, join(out, "gone.zip"), FAST),
      { message: `Can't download ${url}: connection refused` },
    );
    assert.deepEqual(await entries(out), []);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("without net permission a download fails with a clear error", async () => {
  await withServer(async (server, _served, out) => {
    const script = join(out, "nonet.ts");
    const http = pathToFileURL(join(Deno.cwd(), "src/fetch/http.ts")).href;
    await Deno.writeTextFile(
      script,
      `import { downloadTo } from ${JSON.stringify(http)};
await Deno.permissions.revoke({ name: "net" });
try {
  await downloadTo(Deno.args[0], Deno.args[1]);
} catch (e) {
  console.log(e.message);
  console.log(e.cause instanceof Deno.errors.NotCapable);
}`,
    );
    const url = server.url + "demo-0.2.zip";
    const { stdout, code } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-net",
        script,
        url,
        join(out, "demo-0.2.zip"),
      ],
    }).output();
    assert.equal(code, 0);
    assert.equal(
      new TextDecoder().decode(stdout),
      `Network access is disabled (install-from-cache): ${url}\ntrue\n`,
    );
    assert.deepEqual(server.log(), []);
    assert.deepEqual(await entries(out), ["nonet.ts"]);
  });
});

Deno.test("temp names are hidden and recognisable", () => {
  const t = tempNameFor("/c/dist/demo-0.2.zip");
  assert.match(t, /^\/c\/dist\/\.demo-0\.2\.zip\.part-[0-9a-f]{8}$/);
  assert.equal(isTempName(t.slice("/c/dist/".length)), true);
  assert.equal(isTempName("demo-0.2.zip"), false);
});
