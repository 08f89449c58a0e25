import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../support/run.ts";
import { build, exists, output, PATCH, setup } from "./cmmi_support.ts";
import { parseLineEnvironment } from "../../src/recipes/cmmi/options.ts";

const head = "[buildout]\nparts = foo\ndownload-cache = downloads\n\n";

Deno.test("hexagonit.recipe.cmmi: patches, environment, prefix, make options and targets, shell hooks", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      await Deno.mkdir(join(b, "patches"));
      await Deno.writeTextFile(join(b, "patches/fix.patch"), PATCH);
      const cfg = head +
        `[build-env]\nCFLAGS = -I/sw/include\nWHO = section\n\n` +
        `[foo]\nrecipe = hexagonit.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\n` +
        `environment-section = build-env\nenvironment =\n    WHO=part\n    MYPATH=%(PATH)s:/extra\n` +
        `prefix = \${buildout:directory}/opt\n` +
        `configure-options =\n    --enable-x\n` +
        `patches = patches/fix.patch\npatch-options = -p1\n` +
        `make-options = MSG=hi\nmake-targets =\n    install\n    extra\n` +
        `pre-configure = echo "pre-configure in $(basename $PWD) as $WHO"\n` +
        `pre-build = test -f Makefile && echo pre-build\n` +
        `pre-install = echo pre-install\n` +
        `post-install =\n    echo "post-install $MYPATH" | sed "s|$PATH|PATH|"\n    touch \${buildout:parts-directory}/foo/done\n`;
      const r = await build(b, cfg);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const lines = r.out.split("\n");
      const work =
        /^foo: Extracting package to (\/tmp\/\S+|\S+)$/m.exec(r.stdout)![1];
      assert.deepEqual(lines.slice(0, 20), [
        "Installing foo.",
        "foo: [ENV] CFLAGS = -I/sw/include",
        "foo: [ENV] MYPATH = " + Deno.env.get("PATH") + ":/extra",
        "foo: [ENV] WHO = part",
        `foo: Downloading ${server.url}foo-1.0.tar.gz`,
        `foo: Extracting package to ${work}`,
        "foo: Applying patches",
        "patching file hello",
        "foo: Executing pre-configure",
        "pre-configure in foo-1.0 as part",
        "configuring foo --prefix=/B/opt --enable-x",
        "foo: Executing pre-build",
        "pre-build",
        "building foo hi CFLAGS=-I/sw/include",
        "foo: Executing pre-install",
        "pre-install",
        "mkdir -p /B/opt/bin",
        "cp hello /B/opt/bin/hello",
        "installing foo",
        "extra target",
      ]);
      assert.deepEqual(lines.slice(20), [
        "foo: Executing post-install",
        "post-install PATH:/extra",
        "",
      ]);
      assert.equal(await output(join(b, "opt/bin/hello")), "hello patched\n");
      assert.ok(await exists(join(b, "parts/foo/done")));
      assert.equal(await exists(work), false);
      const installed = await Deno.readTextFile(join(b, ".installed.cfg"));
      assert.match(installed, new RegExp(`^prefix = ${b}/opt$`, "m"));
      assert.match(installed, new RegExp(`^location = ${b}/parts/foo$`, "m"));

      // a no-op rerun does nothing
      const again = await build(b, cfg);
      assert.equal(again.out, "Updating foo.\n");
    } finally {
      await server.close();
    }
  }));

Deno.test("hexagonit.recipe.cmmi: keep-compile-dir keeps and records the compile directory", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const cfg = head +
        `[foo]\nrecipe = hexagonit.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\nkeep-compile-dir = true\n` +
        `[show]\nrecipe = mkdir\npaths = \${foo:compile-directory}/shown\n`;
      let r = await build(b, cfg.replace("parts = foo", "parts = foo show"));
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(
        r.out,
        /^foo: Extracting package to \/B\/parts\/foo__compile__$/m,
      );
      assert.ok(await exists(join(b, "parts/foo__compile__/foo-1.0/Makefile")));
      assert.ok(await exists(join(b, "parts/foo__compile__/shown")));
      assert.match(
        await Deno.readTextFile(join(b, ".installed.cfg")),
        new RegExp(
          `^__buildout_installed__ = ${b}/parts/foo__compile__\n\\s+${b}/parts/foo$`,
          "m",
        ),
      );
      r = await build(b, "[buildout]\nparts =\n");
      assert.equal(r.code, 0);
      assert.equal(await exists(join(b, "parts/foo__compile__")), false);
      assert.equal(await exists(join(b, "parts/foo")), false);
    } finally {
      await server.close();
    }
  }));

Deno.test("hexagonit.recipe.cmmi: a local source path; configure-command without --prefix", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    await server.close();
    const src = join(dir, "checkout");
    await Deno.mkdir(src);
    await Deno.writeTextFile(
      join(src, "Makefile"),
      "all:\n\t@echo built $(TARGET)\ninstall:\n\t@echo installed\n",
    );
    const r = await build(
      b,
      head +
        `[foo]\nrecipe = hexagonit.recipe.cmmi\npath = ${src}\nconfigure-command = true\nmake-options = TARGET=linux\n`,
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(
      r.out,
      `Installing foo.\nfoo: Using local source directory: ${src}\nbuilt linux\ninstalled\n`,
    );
    assert.ok(await exists(join(b, "parts/foo")));
  }));

Deno.test("hexagonit.recipe.cmmi: Python hooks and bad values are refused", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const part =
        `[foo]\nrecipe = hexagonit.recipe.cmmi\nurl = ${server.url}foo-1.0.tar.gz\n`;
      let r = await build(
        b,
        head + part + "pre-make-hook = /h/hooks.py:premake\n",
      );
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^Error: Part 'foo': option pre-make-hook names a Python hook \(\/h\/hooks\.py:premake\), which this buildout cannot run; write shell commands in pre-configure, pre-build, pre-install, post-install instead\.$/m,
      );
      r = await build(b, head + part + "pre-configure = hooks.py:run\n");
      assert.match(
        r.stderr,
        /^Error: Part 'foo': option pre-configure must hold shell commands, not a Python hook \(hooks\.py:run\)\.$/m,
      );
      r = await build(b, head + part + "path = /src\n");
      assert.match(
        r.stderr,
        /^Error: You must use either "url" or "path", not both!$/m,
      );
      r = await build(b, head + part + "environment = JUSTNAME\n");
      assert.match(
        r.stderr,
        /^Error: Invalid environment variable definition: JUSTNAME$/m,
      );
      r = await build(b, head + part + "keep-compile-dir = maybe\n");
      assert.match(
        r.stderr,
        /^Error: Invalid value for 'keep-compile-dir' option: 'maybe'$/m,
      );
      // a failing hook stops the build, with its output
      r = await build(
        b,
        head + part +
          "pre-build =\n    echo about to fail\n    false\n    echo not reached\n",
      );
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /Error: Command failed with exit code 1: echo about to fail\nfalse\necho not reached\nLast 1 line\(s\) of its output:\n {2}about to fail\n/,
      );
      assert.doesNotMatch(r.stdout, /not reached/);
      const left =
        /The package is left as is at (\S+) where/.exec(r.stdout)![1];
      await Deno.remove(join(left, ".."), { recursive: true });
      assert.equal(await exists(join(b, "parts/foo")), false);
    } finally {
      await server.close();
    }
  }));

Deno.test("hexagonit environment: one setting a line, %(NAME)s from the environment", () => {
  assert.deepEqual(
    parseLineEnvironment("A=1\n\n B = x %(HOME)s %%\n", { HOME: "/h" }),
    { A: "1", B: " x /h %" },
  );
  assert.throws(
    () => parseLineEnvironment("A=%(NOPE)s", {}),
    /names "NOPE", which is not set/,
  );
});
