import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { makeTar, tree } from "../install/support.ts";
import { takeFlag } from "../../src/cli/bundle.ts";

Deno.test("command flags", () => {
  assert.deepEqual(takeFlag(["-o", "x.tgz"], ["-o", "--output"]), {
    value: "x.tgz",
    rest: [],
  });
  assert.deepEqual(takeFlag(["--output=y", "a"], ["-o", "--output"]), {
    value: "y",
    rest: ["a"],
  });
  assert.throws(() => takeFlag(["-x"], ["-o"]), /unknown option -x/);
  assert.throws(() => takeFlag(["-o"], ["-o"]), /-o requires a value/);
});

Deno.test("bundle, verify (intact and tampered), install-bundle in a fresh folder", () =>
  withTempDir(async (dir) => {
    const srv = join(dir, "srv");
    await Deno.mkdir(srv);
    await makeTar(join(srv, "tool-1.0.tar.gz"), [
      {
        name: "tool-1.0/bin/tool",
        content: "#!/bin/sh\necho tool\n",
        mode: 0o755,
      },
    ], "gz");
    await Deno.mkdir(join(dir, "common"));
    await Deno.writeTextFile(
      join(dir, "common", "base.cfg"),
      "[tool]\nstrip-top-level-dir = true\n",
    );
    const server = await startLinkServer(srv, { logging: true });
    try {
      const b = join(dir, "b");
      const cache = join(dir, "shared-cache");
      await Deno.mkdir(b);
      await Deno.mkdir(cache);
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nextends = ../common/base.cfg\nparts = tool\ndownload-cache = ${cache}\n\n` +
          `[tool]\nrecipe = download\nurl = ${server.url}tool-1.0.tar.gz\n`,
      );
      let r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        await Deno.readTextFile(join(b, "parts/tool/bin/tool")),
        "#!/bin/sh\necho tool\n",
      );

      r = await runCli(["-U", "bundle", "-o", "app.tar.gz"], { cwd: b });
      assert.equal(r.code, 0, r.stderr);
      const bundle = join(b, "app.tar.gz");
      assert.match(
        r.stdout,
        new RegExp(
          `^Wrote ${bundle}: 2 configuration file\\(s\\), 1 cached file\\(s\\), 3 in MANIFEST\\.$`,
          "m",
        ),
      );

      r = await runCli(["verify", bundle], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(`^3 file\\(s\\) match ${bundle}:MANIFEST$`, "m"),
      );

      // install in a fresh folder with the server gone: no network needed
      await server.close();
      const fresh = join(dir, "fresh");
      r = await runCli(["-U", "install-bundle", bundle, "-d", fresh], {
        cwd: dir,
      });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.doesNotMatch(r.stdout, /Downloading/);
      assert.equal(
        await Deno.readTextFile(join(fresh, "parts/tool/bin/tool")),
        "#!/bin/sh\necho tool\n",
      );
      assert.equal(
        (await Deno.stat(join(fresh, "parts/tool/bin/tool"))).mode! & 0o777,
        0o755,
      );
      const cfg = await Deno.readTextFile(join(fresh, "buildout.cfg"));
      assert.match(cfg, /^extends = extends\/local\/base\.cfg$/m);
      assert.match(cfg, /^download-cache = download-cache$/m);
      assert.deepEqual(await tree(join(fresh, "download-cache")), [
        "dist/",
        "download/",
        "download/tool-1.0.tar.gz",
      ]);

      // the unpacked folder and its cache verify; a tampered cache file is reported, exit 1
      r = await runCli(["verify"], { cwd: fresh });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      await Deno.writeTextFile(
        join(fresh, "download-cache/download/tool-1.0.tar.gz"),
        "x",
      );
      r = await runCli(["verify", "download-cache"], { cwd: fresh });
      assert.equal(r.code, 1);
      assert.equal(
        r.stdout,
        "download-cache/download/tool-1.0.tar.gz: sha256 mismatch\n",
      );
      assert.equal(
        r.stderr,
        `Error: 1 problem(s) found checking 1 file(s) against ${
          join(fresh, "MANIFEST")
        }\n`,
      );
    } finally {
      await server.close().catch(() => {});
    }
  }));

Deno.test("bundle without a download cache, and verify of something without MANIFEST", () =>
  withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts =\n",
    );
    let r = await runCli(["-U", "bundle"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: A bundle needs a download-cache/m);
    r = await runCli(["verify", dir], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: No MANIFEST found in /m);
    r = await runCli(["install-bundle"], { cwd: dir });
    assert.equal(r.code, 2);
  }));
