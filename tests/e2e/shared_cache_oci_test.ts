/**
 * The shared download cache in an OCI repository (`shared-cache = oci://...`)
 * of a real registry (Debian's docker-registry) behind a logging front: two
 * machines share it, a tampered blob, a registry that is down, and
 * install-from-cache.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import {
  type Front,
  HAVE_REGISTRY,
  type Registry,
  startFront,
  startRegistry,
} from "../oci/registry.ts";
import { recordKey } from "../../src/fetch/shared_backend.ts";
import { RECORD_TYPE } from "../../src/fetch/shared_oci.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const DEMO = "demo-0.2-py3.11.egg";
const NEEDED = "demoneeded-1.1.zip";
const REPO = "team/buildout-cache";

const sha256 = (bytes: Uint8Array) =>
  createHash("sha256").update(bytes).digest("hex");

interface World {
  dir: string;
  upstream: LinkServer;
  registry: Registry;
  front: Front;
  demoSha: string;
  neededSha: string;
  run(name: string, extra?: string): Promise<{ code: number; out: string }>;
  /** Registry requests since the last call, sorted. */
  registryLog(): string[];
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const upstream = await startLinkServer(LINKS, { logging: true });
    const pagesDir = join(dir, "pages");
    await Deno.mkdir(pagesDir);
    const demoSha = sha256(await Deno.readFile(join(LINKS, DEMO)));
    const neededSha = sha256(await Deno.readFile(join(LINKS, NEEDED)));
    // demo's link carries its sha256 (asked by content), demoneeded's not.
    await Deno.writeTextFile(
      join(pagesDir, "links.html"),
      `<html><body>\n<a href="${upstream.url}${DEMO}#sha256=${demoSha}">${DEMO}</a><br>\n` +
        `<a href="${upstream.url}${NEEDED}">${NEEDED}</a><br>\n</body></html>\n`,
    );
    const pages = await startLinkServer(pagesDir);
    const registry = await startRegistry(join(dir, "reg"));
    const front = startFront(registry.host);
    let seen = 0;
    const w: World = {
      dir,
      upstream,
      registry,
      front,
      demoSha,
      neededSha,
      async run(name, extra = "") {
        const here = join(dir, name);
        await Deno.mkdir(here, { recursive: true });
        await Deno.writeTextFile(
          join(here, "buildout.cfg"),
          `[buildout]\nparts = eggs\ndownload-cache = ${here}/cache\n` +
            `find-links = ${pages.url}links.html\nindex = ${pages.url}index/\n` +
            `shared-cache = oci://${front.host}/${REPO}\n${extra}\n` +
            `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`,
        );
        const r = await runCli([], { cwd: here });
        return { code: r.code, out: r.stdout + r.stderr };
      },
      registryLog() {
        const fresh = front.log.slice(seen);
        seen = front.log.length;
        return fresh.sort();
      },
    };
    try {
      await fn(w);
    } finally {
      await front.close();
      await registry.stop();
      await pages.close();
      await upstream.close();
    }
  });
}

const GOT = ["Got demo 0.2.", "Got demoneeded 1.1."];
const got = (out: string) => GOT.every((l) => out.includes(l + "\n"));
const warnings = (out: string) =>
  out.split("\n").filter((l) => l.startsWith("The shared cache"));

/** The data file of a blob in the registry's storage. */
const blobFile = (w: World, hex: string) =>
  join(
    w.registry.storage,
    "docker/registry/v2/blobs/sha256",
    hex.slice(0, 2),
    hex,
    "data",
  );

/** Machine one installs from upstream and pushes both files with their records. */
async function firstMachine(w: World): Promise<void> {
  const r = await w.run("one", "shared-cache-push = true\n");
  assert.equal(r.code, 0, r.out);
  assert.ok(got(r.out), r.out);
  assert.deepEqual(warnings(r.out), []);
  assert.deepEqual(w.upstream.log().sort(), [
    `GET 200 /${DEMO}`,
    `GET 200 /${NEEDED}`,
  ]);
  const log = w.registryLog();
  const v2 = `/v2/${REPO}`;
  for (
    const line of [
      `GET ${v2}/blobs/sha256:${w.demoSha}`,
      `GET ${v2}/manifests/ac-${recordKey(NEEDED)}`,
      `HEAD ${v2}/blobs/sha256:${w.demoSha}`,
      `PUT ${v2}/manifests/ac-${recordKey(DEMO)}`,
      `PUT ${v2}/manifests/ac-${recordKey(NEEDED)}`,
    ]
  ) {
    assert.ok(log.includes(line), `${line} not in\n${log.join("\n")}`);
  }
  // Both files are blobs, byte for byte.
  for (const hex of [w.demoSha, w.neededSha]) {
    assert.equal(sha256(await Deno.readFile(blobFile(w, hex))), hex);
  }
  // The record is a manifest tagged ac-<key>: config = the record, layer = the file.
  const res = await fetch(
    `http://${w.registry.host}/v2/${REPO}/manifests/ac-${recordKey(NEEDED)}`,
    { headers: { accept: "application/vnd.oci.image.manifest.v1+json" } },
  );
  const m = await res.json();
  assert.equal(m.config.mediaType, RECORD_TYPE);
  assert.equal(m.layers[0].digest, `sha256:${w.neededSha}`);
  const config = await fetch(
    `http://${w.registry.host}/v2/${REPO}/blobs/${m.config.digest}`,
  );
  assert.deepEqual(await config.json(), {
    sha256: w.neededSha,
    filename: NEEDED,
    size: (await Deno.stat(join(LINKS, NEEDED))).size,
  });
  w.upstream.clearLog();
}

Deno.test({
  name:
    "oci shared cache: the second machine installs with no request upstream",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      const r = await w.run("two");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), []);
      assert.deepEqual(w.upstream.log(), []);
      const log = w.registryLog();
      const v2 = `/v2/${REPO}`;
      assert.deepEqual(
        log.filter((l) => !l.startsWith("GET")),
        [],
        log.join("\n"),
      );
      for (
        const line of [
          `GET ${v2}/blobs/sha256:${w.demoSha}`,
          `GET ${v2}/manifests/ac-${recordKey(NEEDED)}`,
          `GET ${v2}/blobs/sha256:${w.neededSha}`,
        ]
      ) {
        assert.ok(log.includes(line), `${line} not in\n${log.join("\n")}`);
      }
      for (const [name, hex] of [[DEMO, w.demoSha], [NEEDED, w.neededSha]]) {
        const file = join(w.dir, "two/cache/dist", name);
        assert.equal(sha256(await Deno.readFile(file)), hex);
      }
    }),
});

Deno.test({
  name:
    "oci shared cache: a tampered blob is one warning and the file comes from upstream",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      // Same length, other bytes: the registry serves it as the blob.
      const file = blobFile(w, w.neededSha);
      const bytes = await Deno.readFile(file);
      const bad = bytes.map((b) => b ^ 0xff);
      await Deno.writeFile(file, bad);
      const r = await w.run("two");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), [
        `The shared cache sent ${NEEDED} with a wrong sha256 (expected ${w.neededSha}, got ${
          sha256(bad)
        }); discarded, downloading it from upstream.`,
      ]);
      assert.deepEqual(w.upstream.log(), [`GET 200 /${NEEDED}`]);
      assert.equal(
        sha256(await Deno.readFile(join(w.dir, "two/cache/dist", NEEDED))),
        w.neededSha,
      );
    }),
});

Deno.test({
  name:
    "oci shared cache: a registry that is down is one warning, the install goes on",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withWorld(async (w) => {
      await w.front.close();
      const r = await w.run("one", "shared-cache-push = true\n");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), [
        `The shared cache oci://${w.front.host}/${REPO} is unavailable (connection refused); downloading from upstream for the rest of this run.`,
      ]);
      assert.equal(w.upstream.log().length, 2);
    }),
});

Deno.test({
  name: "oci shared cache: install-from-cache makes no request to the registry",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      await Deno.remove(join(w.dir, "one/eggs"), { recursive: true });
      let r = await w.run("one", "install-from-cache = true\n");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      r = await w.run("three", "install-from-cache = true\n");
      assert.equal(r.code, 1, r.out);
      assert.ok(
        r.out.includes("Error: Couldn't find a distribution for 'demo'."),
        r.out,
      );
      assert.deepEqual(w.registryLog(), []);
      assert.deepEqual(w.upstream.log(), []);
    }),
});

Deno.test("oci shared cache: a tag in the value is refused with one line", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      `[buildout]\nparts = eggs\nfind-links = ${dir}\nindex = ${dir}\n` +
        `shared-cache = oci://registry.example/cache:v1\n\n` +
        `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`,
    );
    const r = await runCli([], { cwd: dir });
    assert.equal(r.code, 1);
    assert.ok(
      r.stderr.trimEnd().endsWith(
        "Error: Invalid value for 'shared-cache' option: 'oci://registry.example/cache:v1' (oci://HOST[:PORT]/REPO: a repository, without a tag or digest)",
      ),
      r.stderr,
    );
  });
});

Deno.test({
  name:
    "oci shared cache: a record whose layer is not its file is ignored with a warning",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      // Re-tag demoneeded's record with a manifest whose layer is demo's blob.
      const base = `http://${w.registry.host}/v2/${REPO}`;
      const tag = `ac-${recordKey(NEEDED)}`;
      const type = "application/vnd.oci.image.manifest.v1+json";
      const m = await (await fetch(`${base}/manifests/${tag}`, {
        headers: { accept: type },
      })).json();
      m.layers[0].digest = `sha256:${w.demoSha}`;
      m.layers[0].size = (await Deno.stat(join(LINKS, DEMO))).size;
      const put = await fetch(`${base}/manifests/${tag}`, {
        method: "PUT",
        headers: { "content-type": type },
        body: JSON.stringify(m),
      });
      assert.equal(put.status, 201, await put.text());
      const r = await w.run("two");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), [
        `The shared cache's record for ${NEEDED} is unreadable (its layer is not the recorded file); ignored.`,
      ]);
      assert.deepEqual(w.upstream.log(), [`GET 200 /${NEEDED}`]);
    }),
});
