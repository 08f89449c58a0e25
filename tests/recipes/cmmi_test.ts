import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { withTempDir } from "../support/run.ts";
import { build, exists, output, setup } from "./cmmi_support.ts";
import { parseZcEnvironment } from "../../src/recipes/cmmi/options.ts";

const head = (cache = "downloads") =>
  `[buildout]\nparts = foo\ndownload-cache = ${cache}\n\n`;

Deno.test("zc.recipe.cmmi: download, configure, make, make install; no-op rerun; option change rebuilds; uninstall", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const part =
        `[foo]\nrecipe = zc.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\n`;
      let r = await build(b, head() + part);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.equal(
        r.out,
        [
          "Installing foo.",
          `foo: Downloading ${server.url}foo-1.0.tar.gz`,
          "foo: Unpacking and configuring",
          "configuring foo --prefix=/B/parts/foo",
          "building foo  CFLAGS=",
          "mkdir -p /B/parts/foo/bin",
          "cp hello /B/parts/foo/bin/hello",
          "installing foo",
          "",
        ].join("\n"),
      );
      assert.equal(await output(join(b, "parts/foo/bin/hello")), "hello\n");
      const installed = await Deno.readTextFile(join(b, ".installed.cfg"));
      assert.match(installed, new RegExp(`^location = ${b}/parts/foo$`, "m"));
      assert.match(
        installed,
        new RegExp(`^__buildout_installed__ = ${b}/parts/foo$`, "m"),
      );

      // no-op rerun
      server.clearLog();
      r = await build(b, head() + part);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.out, "Updating foo.\n");
      assert.deepEqual(server.log(), []);

      // extra options and the environment: rebuilt from the cache
      r = await build(
        b,
        head() + part +
          "extra_options = -a\n  -b c\nenvironment =\n  CFLAGS=-O1 -g\n",
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.out,
        /^Uninstalling foo\.\nInstalling foo\.\nfoo: Unpacking and configuring\nfoo: Updating environment: CFLAGS=-O1 -g\nconfiguring foo --prefix=\/B\/parts\/foo -a -b c\nbuilding foo {2}CFLAGS=-O1 -g\n/,
      );
      assert.deepEqual(server.log(), []);

      // uninstall
      r = await build(b, "[buildout]\nparts =\n");
      assert.equal(r.out, "Uninstalling foo.\n");
      assert.equal(await exists(join(b, "parts/foo")), false);
    } finally {
      await server.close();
    }
  }));

Deno.test("zc.recipe.cmmi: a patch (patch_options), configure-options, make options and targets", () =>
  withTempDir(async (dir) => {
    const { b, server, srv } = await setup(dir);
    try {
      const md5 = createHash("md5").update(
        await Deno.readFile(join(srv, "fix.patch")),
      ).digest("hex");
      const r = await build(
        b,
        head() +
          `[foo]\nrecipe = zc.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\n` +
          `patch = ${server.url}fix.patch\npatch-md5sum = ${md5}\npatch_options = -p1\n` +
          `configure-options = --prefix=\${buildout:directory}/opt\n  --enable-x\n` +
          `make-options = MSG=hi\nmake-targets = install extra\n`,
      );
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(
        r.out,
        /\npatching file hello\nconfiguring foo --prefix=\/B\/opt --enable-x\nbuilding foo hi CFLAGS=\n/,
      );
      assert.match(r.out, /\nextra target\n$/);
      assert.equal(await output(join(b, "opt/bin/hello")), "hello patched\n");
      // the patch went through the download cache
      assert.equal(
        (await Array.fromAsync(Deno.readDir(join(b, "downloads/cmmi")))).length,
        2,
      );
    } finally {
      await server.close();
    }
  }));

Deno.test("zc.recipe.cmmi: a failing make shows the tail of its output; nothing is left in parts", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const r = await build(
        b,
        head() +
          `[foo]\nrecipe = zc.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\nenvironment = FAIL=1\n`,
      );
      assert.equal(r.code, 1);
      const err = r.err.split("\n");
      assert.deepEqual(err.slice(0, 3), [
        "While:",
        "  Installing foo.",
        "Error: Command failed with exit code 2: make",
      ]);
      assert.equal(err[3], "Last 20 line(s) of its output:");
      assert.ok(!r.err.includes("log line 11\n"));
      assert.ok(r.err.includes("  log line 12\n"));
      assert.doesNotMatch(r.stdout, /Couldn't clean up/);
      assert.match(r.err, / {2}log line 30\n {2}make: \*\*\* .*Error 1/);
      assert.equal(await exists(join(b, "parts/foo")), false);
      assert.equal(await exists(join(b, ".installed.cfg")), false);
      // the build folder is left for inspection and named in the output
      const left = /foo: cmmi failed: (\S+)/.exec(r.stdout)![1];
      assert.ok(await exists(join(left, "foo-1.0/Makefile")));
      await Deno.remove(left, { recursive: true });
    } finally {
      await server.close();
    }
  }));

Deno.test("zc.recipe.cmmi: install-from-cache and offline build from the download cache in a fresh folder", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    const part =
      `[foo]\nrecipe = zc.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\n`;
    const cache = join(b, "downloads");
    let r = await build(b, head() + part);
    assert.equal(r.code, 0, r.stderr);
    await server.close();
    for (const mode of ["install-from-cache = true", "offline = true"]) {
      const fresh = join(dir, mode.split(" ")[0]);
      await Deno.mkdir(fresh);
      r = await build(
        fresh,
        `[buildout]\nparts = foo\ndownload-cache = ${cache}\n${mode}\n\n` +
          part,
      );
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.doesNotMatch(r.out, /Downloading/);
      assert.equal(await output(join(fresh, "parts/foo/bin/hello")), "hello\n");
    }
    // offline with nothing cached
    const empty = join(dir, "empty");
    await Deno.mkdir(join(empty, "cache"), { recursive: true });
    r = await build(
      empty,
      `[buildout]\nparts = foo\ndownload-cache = cache\noffline = true\n\n` +
        part,
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^Error: Couldn't download '${server.url}foo-1.0.tar.gz' in offline mode\\.$`,
        "m",
      ),
    );
  }));

Deno.test("zc.recipe.cmmi: shared builds are reused across buildouts and kept on uninstall", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const cache = join(b, "downloads");
      const cfg = `[buildout]\nparts = foo\ndownload-cache = ${cache}\n\n` +
        `[foo]\nrecipe = zc.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\nshared = true\n`;
      let r = await build(b, cfg);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const m = new RegExp(
        `configuring foo --prefix=(${cache}/cmmi/build/[0-9a-f]{40})\n`,
      ).exec(r.stdout);
      assert.ok(m, r.stdout);
      const shared = m[1];
      assert.equal(await output(join(shared, "bin/hello")), "hello\n");
      assert.match(
        await Deno.readTextFile(join(b, ".installed.cfg")),
        /^__buildout_installed__ = *$/m,
      );

      const other = join(dir, "other");
      await Deno.mkdir(other);
      r = await build(other, cfg);
      assert.equal(
        r.out,
        "Installing foo.\nfoo: using existing shared build\n",
      );
      r = await build(other, "[buildout]\nparts =\n");
      assert.equal(r.code, 0);
      assert.ok(await exists(join(shared, "bin/hello")));

      // removed by someone else: the update builds it again
      await Deno.remove(shared, { recursive: true });
      r = await build(b, cfg);
      assert.match(r.out, /^Updating foo\.\nfoo: Unpacking and configuring\n/);
      assert.ok(await exists(join(shared, "bin/hello")));

      // another option, another build
      r = await build(b, cfg + "extra_options = --x\n");
      assert.doesNotMatch(r.out, new RegExp(shared));

      // no download cache, shared not a folder
      r = await build(b, cfg.replace(/download-cache = .*\n/, ""));
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^Error: Set the 'shared' option of zc.recipe.cmmi to an existing directory, or set \$\{buildout:download-cache\}$/m,
      );
    } finally {
      await server.close();
    }
  }));

Deno.test("zc.recipe.cmmi: bad md5sum, bad environment, no url", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const part =
        `[foo]\nrecipe = zc.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\n`;
      let r = await build(
        b,
        head() + part + "md5sum = 0123456789abcdef0123456789abcdef\n",
      );
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^Error: MD5 checksum mismatch downloading '.*foo-1.0.tar.gz'$/m,
      );
      assert.equal(await exists(join(b, "parts/foo")), false);
      r = await build(b, head() + part + "environment = =x\n");
      assert.match(r.stderr, /^Error: Bad environment setting: =x$/m);
      r = await build(b, head() + "[foo]\nrecipe = zc.recipe.cmmi\n");
      assert.match(r.stderr, /^Error: Part 'foo' needs the url option\.$/m);
    } finally {
      await server.close();
    }
  }));

Deno.test("zc environment syntax: spaces join the previous value", () => {
  assert.deepEqual(parseZcEnvironment("CFLAGS=-I/yyy -I/xxx --x=y 2=1+1 a=b"), {
    CFLAGS: "-I/yyy -I/xxx --x=y 2=1+1",
    a: "b",
  });
});
