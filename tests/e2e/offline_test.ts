/**
 * install-from-cache: no request reaches the server, and the runtime refuses
 * any network access for the rest of the run (Deno's NotCapable).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { TASK_FLAGS, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const PROBE = fileURLToPath(
  new URL("../support/net_probe.ts", import.meta.url),
);

async function probe(dir: string, url: string) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...TASK_FLAGS, PROBE],
    cwd: dir,
    env: { HOME: dir, BUILDOUT_HOME: join(dir, "nohome"), NET_PROBE_URL: url },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: r.code,
    stdout: dec.decode(r.stdout),
    stderr: dec.decode(r.stderr),
  };
}

Deno.test("install-from-cache: zero requests, and the process has no network left", async () => {
  const server = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (dir) => {
      const cache = join(dir, "cache");
      await Deno.mkdir(join(cache, "dist"), { recursive: true });
      await Deno.copyFile(
        join(LINKS, "demo-0.2-py3.11.egg"),
        join(cache, "dist", "demo-0.2-py3.11.egg"),
      );
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts = eggs\ndownload-cache = ${cache}\ninstall-from-cache = true\n` +
          `find-links = ${server.url}\nindex = ${server.url}index/\n\n` +
          `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`,
      );
      const r = await probe(dir, server.url);
      // demoneeded is on the server but not in the cache: not found, nothing asked.
      assert.equal(r.code, 1);
      assert.deepEqual(r.stderr.trim().split("\n"), [
        "While:",
        "  Installing eggs.",
        "  Getting distribution for 'demoneeded'.",
        "Error: Couldn't find a distribution for 'demoneeded'.",
      ]);
      assert.ok(r.stdout.includes("Got demo 0.2.\n"));
      assert.ok(r.stdout.endsWith("net: NotCapable\n"), r.stdout);
      assert.deepEqual(server.log(), []);
      // Without install-from-cache the same probe reaches the server.
      const cfg = await Deno.readTextFile(join(dir, "buildout.cfg"));
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        cfg.replace("install-from-cache = true\n", ""),
      );
      const online = await probe(dir, server.url + "ping");
      assert.ok(online.stdout.endsWith("net: ok\n"), online.stdout);
      assert.ok(server.log().includes("GET 404 /ping"));
    });
  } finally {
    await server.close();
  }
});

Deno.test("installed distributions satisfying == pins need no network at all", async () => {
  const server = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (dir) => {
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts = eggs\nfind-links = ${server.url}\nindex = ${server.url}index/\n\n` +
          `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n\n[versions]\ndemo = 0.2\ndemoneeded = 1.1\n`,
      );
      let r = await probe(dir, server.url);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(server.log().includes("GET 200 /demo-0.2-py3.11.egg"));
      server.clearLog();
      r = await probe(dir, server.url + "after");
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, "Updating eggs.\nnet: ok\n");
      // Only the probe's own request after the run: buildout asked for nothing.
      assert.deepEqual(server.log(), ["GET 404 /after"]);
    });
  } finally {
    await server.close();
  }
});
