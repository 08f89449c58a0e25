/**
 * Conformance with zc.buildout's src/zc/buildout/tests/downloadcache.txt: the
 * `download-cache` option for distributions, `install-from-cache`, creating
 * the cache folder, and relative cache paths.
 *
 * Differences that apply (README.md, "How it differs from zc.buildout"): the
 * sample distributions are the seed's `.egg` files and zip sdists, eggs live
 * in `eggs/` (not `eggs/v5/`), and install-from-cache prints no
 * `Not found: <cache>/dist/<name>/` lines.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { lines, LINKS, ls, runScript, sampleBuildout } from "./sample.ts";

async function removeDemoEggs(dir: string) {
  for await (const e of Deno.readDir(join(dir, "eggs"))) {
    if (e.name.startsWith("demo")) {
      await Deno.remove(join(dir, "eggs", e.name), { recursive: true });
    }
  }
}

Deno.test("downloadcache.txt: distributions go through the download cache", async (t) => {
  const server = await startLinkServer(LINKS);
  try {
    await withTempDir(async (root) => {
      const s = await sampleBuildout(root);
      const { dir } = s;
      const cache = join(root, "cache");
      await Deno.mkdir(cache);
      const cfg = (eggs: string, extra = "") =>
        s.write(
          `[buildout]\nparts = eggs\ndownload-cache = ${cache}\n${extra}` +
            `find-links = ${server.url}\n\n[eggs]\nrecipe = zc.recipe.egg\neggs = ${eggs}\n`,
        );
      const ok = async () => {
        const r = await s.run();
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        return lines(r.stdout);
      };
      await fetch(server.url + "enable_server_logging").then((r) => r.text());
      assert.deepEqual(server.log(), ["GET 200 /enable_server_logging"]);

      await t.step(
        "a first run downloads from the link server and fills <cache>/dist",
        async () => {
          await cfg("demo ==0.2");
          server.clearLog();
          assert.deepEqual(await ok(), [
            "Installing eggs.",
            "Getting distribution for 'demo==0.2'.",
            "Got demo 0.2.",
            "Getting distribution for 'demoneeded'.",
            "Got demoneeded 1.1.",
            `Generated script '${dir}/bin/demo'.`,
          ]);
          // zc.buildout's log: "GET ..." (the page), then the two files.
          assert.deepEqual(server.log().slice(-2), [
            "GET 200 /demo-0.2-py3.11.egg",
            "GET 200 /demoneeded-1.1.zip",
          ]);
          assert.ok(
            server.log().slice(0, -2).every((l) => !/\.(egg|zip)$/.test(l)),
          );
          assert.deepEqual(await ls(cache), ["d  dist"]);
          assert.deepEqual(await ls(cache, "dist"), [
            "-  demo-0.2-py3.11.egg",
            "-  demoneeded-1.1.zip",
          ]);
        },
      );

      await t.step(
        "with the eggs removed, a rerun installs from the cache, downloading nothing",
        async () => {
          await removeDemoEggs(dir);
          server.clearLog();
          assert.deepEqual(await ok(), [
            "Updating eggs.",
            "Getting distribution for 'demo==0.2'.",
            "Got demo 0.2.",
            "Getting distribution for 'demoneeded'.",
            "Got demoneeded 1.1.",
          ]);
          assert.ok(server.log().every((l) => !/\.(egg|zip)$/.test(l)));
        },
      );

      await t.step(
        "install-from-cache installs only what the cache has",
        async () => {
          await removeDemoEggs(dir);
          await cfg("demo", "install-from-cache = true\n");
          server.clearLog();
          assert.deepEqual(await ok(), [
            "Uninstalling eggs.",
            "Installing eggs.",
            "Getting distribution for 'demo'.",
            "Got demo 0.2.",
            "Getting distribution for 'demoneeded'.",
            "Got demoneeded 1.1.",
            `Generated script '${dir}/bin/demo'.`,
          ]);
          // Not in the doctest, which cannot see it: no request at all.
          assert.deepEqual(server.log(), []);
          assert.equal(await runScript(join(dir, "bin", "demo")), "2 1\n");
        },
      );

      await t.step("a missing download-cache folder is created", async () => {
        await s.write(
          `[buildout]\nparts =\ndownload-cache = ${cache}/newdir\n`,
        );
        assert.deepEqual(await ok(), [
          `Creating directory '${cache}/newdir'.`,
          "Uninstalling eggs.",
        ]);
        assert.deepEqual(await ls(cache), ["d  dist", "d  newdir"]);
      });
    });
  } finally {
    await server.close();
  }
});

Deno.test("downloadcache.txt: a relative download-cache is relative to the file that sets it", async () => {
  await withTempDir(async (root) => {
    const s = await sampleBuildout(root);
    const basedir = join(root, "basecfg");
    await Deno.mkdir(basedir);
    await Deno.writeTextFile(
      join(basedir, "base.cfg"),
      "[buildout]\ndownload-cache = cache\n",
    );
    await s.write(`[buildout]\nextends = ${basedir}/base.cfg\nparts =\n`);
    const r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await ls(basedir), ["-  base.cfg", "d  cache"]);
  });
});

/** A remote base.cfg setting `download-cache = cache`, extended by the sample buildout. */
async function remoteRelativeCache(): Promise<
  { url: string; stderr: string; code: number; stdout: string }
> {
  let out = { url: "", stderr: "", code: -1, stdout: "" };
  await withTempDir(async (root) => {
    const s = await sampleBuildout(root);
    const data = join(root, "server_data");
    await Deno.mkdir(data);
    await Deno.writeTextFile(
      join(data, "base.cfg"),
      "[buildout]\ndownload-cache = cache\n",
    );
    const server = await startLinkServer(data);
    try {
      await s.write(`[buildout]\nextends = ${server.url}base.cfg\nparts =\n`);
      out = { url: server.url, ...(await s.run()) };
    } finally {
      await server.close();
    }
  });
  return out;
}

const ambiguous = (url: string) =>
  'Error: Setting "download-cache" to a non absolute location ("cache") within a\n' +
  `remote configuration file ("${url}base.cfg") is ambiguous.\n`;

Deno.test("downloadcache.txt: a relative download-cache in a remote file is an error", async () => {
  const r = await remoteRelativeCache();
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.ok(r.stderr.endsWith(ambiguous(r.url)), r.stderr);
});

Deno.test({
  name:
    "downloadcache.txt: the remote relative download-cache error is reported while initializing",
  fn: async () => {
    const r = await remoteRelativeCache();
    assert.equal(r.stderr, "While:\n  Initializing.\n" + ambiguous(r.url));
  },
});

Deno.test("downloadcache.txt: all generated folders can be grouped below one folder", async () => {
  await withTempDir(async (root) => {
    const nested = join(root, "test_nested");
    await Deno.mkdir(nested);
    await Deno.writeTextFile(
      join(nested, "buildout.cfg"),
      "[buildout]\n" +
        "download-cache = ${buildout:directory}/var/cache\n" +
        "eggs-directory = ${buildout:directory}/var/eggs\n" +
        "parts-directory = ${buildout:directory}/var/parts\n" +
        "develop-eggs-directory = ${buildout:directory}/var/develop-eggs\n",
    );
    const r = await runCli([], {
      cwd: nested,
      env: { BUILDOUT_HOME: join(root, "nohome") },
    });
    // The doctest ignores this run's output: without a `parts` option it
    // fails (zc.buildout has no default for it), after the folders are made.
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Installing.\nError: Missing option: buildout:parts\n",
    );
    // No parts installed: no .installed.cfg either.
    assert.deepEqual(await ls(nested), [
      "d  bin",
      "-  buildout.cfg",
      "d  var",
    ]);
    assert.deepEqual(await ls(nested, "var"), [
      "d  cache",
      "d  develop-eggs",
      "d  eggs",
      "d  parts",
    ]);
  });
});
