import assert from "node:assert/strict";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";

const write = (p: string, text: string) => Deno.writeTextFile(p, text);

Deno.test("remote extends: fetched once into extends-cache, then used offline", async () => {
  await withTempDir(async (dir) => {
    const served = join(dir, "served");
    await Deno.mkdir(served);
    await write(
      join(served, "base.cfg"),
      "[buildout]\nparts =\ncolour = blue\n",
    );
    const server = await startLinkServer(served, { logging: true });
    try {
      const url = `${server.url}base.cfg`;
      await Deno.mkdir(join(dir, "extends-cache"));
      await write(
        join(dir, "buildout.cfg"),
        `[buildout]\nextends = ${url}\nextends-cache = extends-cache\n`,
      );
      let r = await runCli(["query", "colour"], { cwd: dir });
      assert.equal(r.stderr, "");
      assert.equal(r.stdout, "blue\n");
      assert.deepEqual(server.log(), ["GET 200 /base.cfg"]);
      const name = createHash("md5").update(url).digest("hex");
      assert.equal(
        await Deno.readTextFile(join(dir, "extends-cache", name)),
        "[buildout]\nparts =\ncolour = blue\n",
      );
      // Offline: the cached copy, no request.
      server.clearLog();
      r = await runCli(["-o", "query", "colour"], { cwd: dir });
      assert.equal(r.stdout, "blue\n");
      assert.deepEqual(server.log(), []);
      // Offline without a cached copy: buildout's error.
      await write(
        join(dir, "buildout.cfg"),
        `[buildout]\nextends = ${server.url}other.cfg\n`,
      );
      r = await runCli(["-o", "query", "colour"], { cwd: dir });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `Error: Couldn't download '${server.url}other.cfg' in offline mode.`,
        ),
      );
      assert.deepEqual(server.log(), []);
    } finally {
      await server.close();
    }
  });
});

Deno.test("conditional sections are evaluated against the target python3", async () => {
  await withTempDir(async (dir) => {
    const probe = await new Deno.Command("python3", {
      args: ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
    }).output();
    const version = new TextDecoder().decode(probe.stdout).trim();
    await write(
      join(dir, "buildout.cfg"),
      `[buildout]\nparts =\nwhich = none\n\n` +
        `[buildout:python_version == "${version}"]\nwhich = this python\n\n` +
        `[buildout:python_version == "2.7"]\nwhich = python 2\n`,
    );
    const r = await runCli(["query", "which"], { cwd: dir });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "this python\n");
  });
});
