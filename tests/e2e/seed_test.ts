/**
 * The contract: ../shared/spec/seed-download-cache.txt, run for real: the
 * `buildout` program (main.ts under the compiled binary's permission flags)
 * against the test link server serving fixtures/links.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runSubprocess, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** A sample buildout as buildout's tests have it: the usual folders exist, no user defaults but an empty index. */
async function sampleBuildout(
  root: string,
): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = join(root, "sample-buildout");
  for (const d of ["bin", "eggs", "develop-eggs", "parts"]) {
    await Deno.mkdir(join(dir, d), { recursive: true });
  }
  const home = join(root, "home");
  await Deno.mkdir(join(root, "empty-index"), { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  await Deno.writeTextFile(
    join(home, "default.cfg"),
    `[buildout]\nindex = ${join(root, "empty-index")}\n`,
  );
  return { dir, env: { BUILDOUT_HOME: home } };
}

async function removeDemoEggs(dir: string) {
  for await (const e of Deno.readDir(join(dir, "eggs"))) {
    if (e.name.startsWith("demo")) {
      await Deno.remove(join(dir, "eggs", e.name), { recursive: true });
    }
  }
}

async function listNames(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("seed scenario: download cache, warm cache, install-from-cache, new cache folder", async () => {
  const server = await startLinkServer(LINKS);
  try {
    await withTempDir(async (root) => {
      const { dir, env } = await sampleBuildout(root);
      const cache = join(root, "cache");
      await Deno.mkdir(cache);
      const cfg = (extra: string, eggs: string) =>
        `[buildout]\nparts = eggs\ndownload-cache = ${cache}\n${extra}find-links = ${server.url}\n\n` +
        `[eggs]\nrecipe = zc.recipe.egg\neggs = ${eggs}\n`;
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        cfg("", "demo ==0.2"),
      );
      await fetch(server.url + "enable_server_logging").then((r) => r.text());
      assert.deepEqual(server.log(), ["GET 200 /enable_server_logging"]);
      server.clearLog();

      // Run 1: cold cache.
      let r = await runSubprocess([], { cwd: dir, env });
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.deepEqual(server.log(), [
        "GET 200 /",
        "GET 200 /demo-0.2-py3.11.egg",
        "GET 200 /demoneeded-1.1.zip",
      ]);
      assert.deepEqual(lines(r.stdout), [
        "Installing eggs.",
        "Getting distribution for 'demo==0.2'.",
        "Got demo 0.2.",
        "Getting distribution for 'demoneeded'.",
        "Got demoneeded 1.1.",
        `Generated script '${dir}/bin/demo'.`,
      ]);
      assert.deepEqual(await listNames(cache), ["dist"]);
      assert.deepEqual(await listNames(join(cache, "dist")), [
        "demo-0.2-py3.11.egg",
        "demoneeded-1.1.zip",
      ]);
      const demo = await new Deno.Command(join(dir, "bin", "demo")).output();
      assert.equal(new TextDecoder().decode(demo.stdout), "2 1\n");

      // Run 2: eggs removed, the cache serves the files; the page is still read.
      await removeDemoEggs(dir);
      server.clearLog();
      r = await runSubprocess([], { cwd: dir, env });
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.deepEqual(server.log(), ["GET 200 /"]);
      assert.deepEqual(lines(r.stdout), [
        "Updating eggs.",
        "Getting distribution for 'demo==0.2'.",
        "Got demo 0.2.",
        "Getting distribution for 'demoneeded'.",
        "Got demoneeded 1.1.",
      ]);

      // Run 3: install-from-cache, unpinned: only what is cached, no request at all.
      await removeDemoEggs(dir);
      server.clearLog();
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        cfg("install-from-cache = true\n", "demo"),
      );
      r = await runSubprocess([], { cwd: dir, env });
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.deepEqual(server.log(), []);
      assert.deepEqual(lines(r.stdout), [
        "Uninstalling eggs.",
        "Installing eggs.",
        "Getting distribution for 'demo'.",
        "Got demo 0.2.",
        "Getting distribution for 'demoneeded'.",
        "Got demoneeded 1.1.",
        `Generated script '${dir}/bin/demo'.`,
      ]);
      const again = await new Deno.Command(join(dir, "bin", "demo")).output();
      assert.equal(new TextDecoder().decode(again.stdout), "2 1\n");

      // Run 4: a download cache that does not exist yet is created.
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts =\ndownload-cache = ${cache}/newdir\nfind-links = ${server.url}\n`,
      );
      r = await runSubprocess([], { cwd: dir, env });
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.deepEqual(lines(r.stdout), [
        `Creating directory '${cache}/newdir'.`,
        "Uninstalling eggs.",
      ]);
      assert.deepEqual(await listNames(join(cache, "newdir")), ["dist"]);
      await assert.rejects(Deno.stat(join(dir, "bin", "demo")));
    });
  } finally {
    await server.close();
  }
});
