/**
 * The shared download cache against a real WebDAV store (Debian's nginx):
 * two machines with separate download caches share one store; a tampered
 * object, a store that is down and install-from-cache / offline runs.
 *
 * Pages come from one server and files from another (as PyPI's index and
 * its file host), so "no request upstream" is the file host's empty log.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { hasNginx, type Nginx, startNginx } from "../support/nginx.ts";
import { recordKey } from "../../src/fetch/shared_backend.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const DEMO = "demo-0.2-py3.11.egg";
const NEEDED = "demoneeded-1.1.zip";
const ignore = !(await hasNginx());

const sha256 = async (path: string) =>
  createHash("sha256").update(await Deno.readFile(path)).digest("hex");

interface World {
  dir: string;
  upstream: LinkServer;
  store: Nginx;
  demoSha: string;
  neededSha: string;
  /** Write `<dir>/<name>/buildout.cfg` and run buildout there. */
  run(name: string, extra?: string): Promise<{ code: number; out: string }>;
  /** nginx log lines since the last call. */
  storeLog(): Promise<string[]>;
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const upstream = await startLinkServer(LINKS, { logging: true });
    // The page: demo with its sha256 in the link (asked by content),
    // demoneeded without (asked by name).
    const pagesDir = join(dir, "pages");
    await Deno.mkdir(pagesDir);
    const demoSha = await sha256(join(LINKS, DEMO));
    const neededSha = await sha256(join(LINKS, NEEDED));
    await Deno.writeTextFile(
      join(pagesDir, "links.html"),
      `<html><body>\n<a href="${upstream.url}${DEMO}#sha256=${demoSha}">${DEMO}</a><br>\n` +
        `<a href="${upstream.url}${NEEDED}">${NEEDED}</a><br>\n</body></html>\n`,
    );
    const pages = await startLinkServer(pagesDir);
    await Deno.mkdir(join(dir, "nginx"));
    const store = await startNginx(join(dir, "nginx"));
    let seen = 0;
    const w: World = {
      dir,
      upstream,
      store,
      demoSha,
      neededSha,
      async run(name, extra = "") {
        const here = join(dir, name);
        await Deno.mkdir(here, { recursive: true });
        await Deno.writeTextFile(
          join(here, "buildout.cfg"),
          `[buildout]\nparts = eggs\n` +
            (extra.includes("download-cache")
              ? ""
              : `download-cache = ${here}/cache\n`) +
            `find-links = ${pages.url}links.html\nindex = ${pages.url}index/\n` +
            `shared-cache = ${store.url}\n${extra}\n` +
            `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`,
        );
        const r = await runCli([], { cwd: here });
        return { code: r.code, out: r.stdout + r.stderr };
      },
      async storeLog() {
        const all = await store.log();
        const fresh = all.slice(seen);
        seen = all.length;
        return fresh.sort();
      },
    };
    try {
      await fn(w);
    } finally {
      await store.close();
      await pages.close();
      await upstream.close();
    }
  });
}

const GOT = ["Got demo 0.2.", "Got demoneeded 1.1."];
const got = (out: string) => GOT.every((l) => out.includes(l + "\n"));
const warnings = (out: string) =>
  out.split("\n").filter((l) => l.startsWith("The shared cache"));

/** Machine one installs from upstream and pushes both files. */
async function firstMachine(w: World): Promise<void> {
  const r = await w.run("one", "shared-cache-push = true\n");
  assert.equal(r.code, 0, r.out);
  assert.ok(got(r.out), r.out);
  assert.deepEqual(warnings(r.out), []);
  assert.deepEqual(w.upstream.log().sort(), [
    `GET 200 /${DEMO}`,
    `GET 200 /${NEEDED}`,
  ]);
  const demoKey = recordKey(DEMO);
  const neededKey = recordKey(NEEDED);
  assert.deepEqual(
    await w.storeLog(),
    [
      // demo's link carries its sha256: asked by content.
      `GET 404 /cas/${w.demoSha}`,
      // demoneeded's does not: asked by name.
      `GET 404 /ac/${neededKey}`,
      `HEAD 404 /cas/${w.demoSha}`,
      `PUT 201 /cas/${w.demoSha}`,
      `HEAD 404 /ac/${demoKey}`,
      `PUT 201 /ac/${demoKey}`,
      `HEAD 404 /cas/${w.neededSha}`,
      `PUT 201 /cas/${w.neededSha}`,
      `HEAD 404 /ac/${neededKey}`,
      `PUT 201 /ac/${neededKey}`,
    ].sort(),
  );
  assert.equal(await sha256(join(w.store.root, "cas", w.demoSha)), w.demoSha);
  assert.deepEqual(
    JSON.parse(
      await Deno.readTextFile(join(w.store.root, "ac", neededKey)),
    ),
    {
      sha256: w.neededSha,
      filename: NEEDED,
      size: (await Deno.stat(join(LINKS, NEEDED))).size,
    },
  );
  w.upstream.clearLog();
}

Deno.test({
  name: "shared cache: the second machine installs with no request upstream",
  ignore,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      const r = await w.run("two");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), []);
      assert.deepEqual(w.upstream.log(), []);
      assert.deepEqual(
        await w.storeLog(),
        [
          `GET 200 /cas/${w.demoSha}`,
          `GET 200 /ac/${recordKey(NEEDED)}`,
          `GET 200 /cas/${w.neededSha}`,
        ].sort(),
      );
      // Into machine two's own download cache, byte for byte.
      for (const [name, sha] of [[DEMO, w.demoSha], [NEEDED, w.neededSha]]) {
        assert.equal(await sha256(join(w.dir, "two/cache/dist", name)), sha);
      }
      assert.ok(
        (await Deno.stat(join(w.dir, "two/eggs", DEMO))).isDirectory ||
          (await Deno.stat(join(w.dir, "two/eggs", DEMO))).isFile,
      );
    }),
});

Deno.test({
  name: "shared cache: used without a download cache too",
  ignore,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      const r = await w.run("two", "download-cache =\n");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(w.upstream.log(), []);
      assert.equal((await w.storeLog()).length, 3);
      await assert.rejects(Deno.stat(join(w.dir, "two/cache")));
    }),
});

Deno.test({
  name:
    "shared cache: a tampered object is discarded, fetched upstream and pushed again",
  ignore,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      const object = join(w.store.root, "cas", w.neededSha);
      await Deno.writeTextFile(object, "not the zip you are looking for\n");
      const bad = await sha256(object);
      const r = await w.run("two", "shared-cache-push = true\n");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), [
        `The shared cache sent ${NEEDED} with a wrong sha256 (expected ${w.neededSha}, got ${bad}); discarded, downloading it from upstream.`,
      ]);
      assert.deepEqual(w.upstream.log(), [`GET 200 /${NEEDED}`]);
      assert.equal(
        await sha256(join(w.dir, "two/cache/dist", NEEDED)),
        w.neededSha,
      );
      // The bad copy was replaced (no HEAD: it is known to be bad).
      assert.equal(await sha256(object), w.neededSha);
      const log = await w.storeLog();
      assert.ok(log.includes(`PUT 204 /cas/${w.neededSha}`), log.join("\n"));
    }),
});

Deno.test({
  name: "shared cache: tampering the demo object by content is caught too",
  ignore,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      await Deno.writeTextFile(join(w.store.root, "cas", w.demoSha), "x");
      const r = await w.run("two");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.equal(warnings(r.out).length, 1, r.out);
      assert.ok(warnings(r.out)[0].startsWith(`The shared cache sent ${DEMO}`));
      assert.deepEqual(w.upstream.log(), [`GET 200 /${DEMO}`]);
    }),
});

Deno.test({
  name:
    "shared cache: a store that is down is one warning, and the install goes on upstream",
  ignore,
  fn: () =>
    withWorld(async (w) => {
      // 503 for everything under /broken/.
      let r = await w.run(
        "one",
        `shared-cache = ${w.store.url}broken/\nshared-cache-push = true\n`,
      );
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), [
        `The shared cache ${w.store.url}broken/ is unavailable (503 Service Unavailable); downloading from upstream for the rest of this run.`,
      ]);
      assert.equal(w.upstream.log().length, 2);
      const log = await w.storeLog();
      assert.ok(
        log.length >= 1 && log.every((l) => / 503 /.test(l)),
        log.join("\n"),
      );
      // Nothing listening: connection refused.
      await w.store.close();
      w.upstream.clearLog();
      r = await w.run("two", "shared-cache-push = true\n");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      assert.deepEqual(warnings(r.out), [
        `The shared cache ${w.store.url} is unavailable (connection refused); downloading from upstream for the rest of this run.`,
      ]);
      assert.equal(w.upstream.log().length, 2);
    }),
});

Deno.test({
  name: "shared cache: install-from-cache and offline make no request to it",
  ignore,
  fn: () =>
    withWorld(async (w) => {
      await firstMachine(w);
      // Machine one again, from its own cache.
      await Deno.remove(join(w.dir, "one/eggs"), { recursive: true });
      let r = await w.run("one", "install-from-cache = true\n");
      assert.equal(r.code, 0, r.out);
      assert.ok(got(r.out), r.out);
      // A machine whose cache is empty: not found, and still nothing asked.
      r = await w.run("three", "install-from-cache = true\n");
      assert.equal(r.code, 1, r.out);
      assert.ok(
        r.out.includes("Error: Couldn't find a distribution for 'demo'."),
        r.out,
      );
      r = await w.run("four", "offline = true\n");
      assert.equal(r.code, 1, r.out);
      assert.deepEqual(await w.storeLog(), []);
      assert.deepEqual(w.upstream.log(), []);
    }),
});
