/**
 * Conformance with zc.buildout's tests/extends-cache.txt, basic use: remote
 * `extends` in offline mode, the `extends-cache` (files named by the MD5 of
 * their URL), the cache as a fall-back only, and install-from-cache.
 *
 * Which remote base was read shows in the unused-option warning (`foo` or
 * `bar`); its wording is checked only in the pending test below. Not covered
 * yet: the later sections on caches and offline settings given in user
 * defaults and in extended files.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { lines, withSample } from "./support.ts";
import { startLinkServer } from "../support/link_server.ts";

Deno.test("extends-cache.txt: remote extends offline, then cached and used as a fall-back", async () => {
  await withSample({
    "served/base.cfg": "[buildout]\nparts =\nfoo = bar\n",
  }, async (s) => {
    const server = await startLinkServer(join(s.dir, "served"));
    const url = `${server.url}base.cfg`;
    try {
      await s.write("buildout.cfg", `[buildout]\nextends = ${url}\n`);
      const off = await s.run("-o");
      assert.equal(off.code, 1);
      assert.equal(
        lines(off.stderr).at(-1),
        `Error: Couldn't download '${url}' in offline mode.`,
      );
      const on = await s.run();
      assert.equal(on.code, 0);
      assert.match(on.stdout, /'foo'/);
      // No cache configured: offline still fails.
      assert.equal((await s.run("-o")).code, 1);

      await s.write(
        "buildout.cfg",
        `[buildout]\nextends = ${url}\nextends-cache = cache\n`,
      );
      await Deno.mkdir(join(s.dir, "cache"));
      assert.equal((await s.run()).code, 0);
      const md5 = createHash("md5").update(url).digest("hex");
      assert.deepEqual(await s.ls("cache"), [`-  ${md5}`]);
      assert.equal(
        await s.read(`cache/${md5}`),
        "[buildout]\nparts =\nfoo = bar\n",
      );
      const cached = await s.run("-o");
      assert.equal(cached.code, 0);
      assert.match(cached.stdout, /'foo'/);

      // The server's copy changes: offline (and install-from-cache) runs
      // keep the cached one, an online run refreshes the cache.
      await s.write("served/base.cfg", "[buildout]\nparts =\nbar = baz\n");
      assert.match((await s.run("-o")).stdout, /'foo'/);
      const ifc = await s.run("install-from-cache=true", "download-cache=.");
      assert.equal(ifc.code, 0);
      assert.match(ifc.stdout, /'foo'/);
      assert.match((await s.run()).stdout, /'bar'/);
      assert.match((await s.run("-o")).stdout, /'bar'/);
    } finally {
      await server.close();
    }
  });
});

Deno.test(
  {
    name: "extends-cache.txt: exact offline error and unused-option warning",
    // pending: `While: Initializing.` on config errors; unused-option
    // warning wording (zc.buildout 3's words + hint line)
    ignore: true,
  },
  async () => {
    await withSample({
      "served/base.cfg": "[buildout]\nparts =\nfoo = bar\n",
    }, async (s) => {
      const server = await startLinkServer(join(s.dir, "served"));
      const url = `${server.url}base.cfg`;
      try {
        await s.write("buildout.cfg", `[buildout]\nextends = ${url}\n`);
        assert.equal(
          (await s.run("-o")).stderr,
          `While:\n  Initializing.\nError: Couldn't download '${url}' in offline mode.\n`,
        );
        assert.deepEqual(lines((await s.run()).stdout).slice(-2), [
          "Section `buildout` contains unused option(s): 'foo'.",
          "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
        ]);
      } finally {
        await server.close();
      }
    });
  },
);
