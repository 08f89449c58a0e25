/**
 * Conformance with zc.buildout's tests/buildout.txt: the parts lifecycle of a
 * directory-making part. The doctest develops its own `recipes:mkdir`; here
 * the built-in `mkdir` plays that role (it takes `paths` and logs
 * the absolute path it creates, where the doctest's recipe logs the base name).
 *
 * The doctest's own runs, with its Python test recipe as a develop egg (the
 * `Develop:` lines, the constructor that refuses a path whose parent is
 * missing, the recipe versions that leave `foo` behind or crash), are in
 * buildout_recipes_test.ts.
 */
import assert from "node:assert/strict";
import { lines, withSample } from "./support.ts";

const cfg = (paths: string) =>
  `[buildout]
parts = data-dir

[data-dir]
recipe = mkdir
paths = ${paths}
`;

Deno.test("buildout.txt: installing a part creates it and records it in .installed.cfg", async () => {
  await withSample({ "buildout.cfg": cfg("mystuff") }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(-2), [
      "Installing data-dir.",
      "data-dir: Creating directory /sample-buildout/mystuff",
    ]);
    assert.deepEqual(await s.ls(), [
      "-  .installed.cfg",
      "d  bin",
      "-  buildout.cfg",
      "d  develop-eggs",
      "d  eggs",
      "d  mystuff",
      "d  parts",
    ]);
    // Same layout as the doctest's record; the signature names the built-in
    // recipe instead of a develop egg's hash.
    const rec = lines(await s.read(".installed.cfg"));
    assert.deepEqual(rec.slice(0, 4), [
      "[buildout]",
      "installed_develop_eggs = ",
      "parts = data-dir",
      "",
    ]);
    assert.equal(rec[4], "[data-dir]");
    assert.equal(rec[5], "__buildout_installed__ = /sample-buildout/mystuff");
    assert.match(rec[6], /^__buildout_signature__ = \S/);
    assert.deepEqual(rec.slice(7), [
      "paths = /sample-buildout/mystuff",
      "recipe = mkdir",
    ]);
  });
});

Deno.test("buildout.txt: a changed option uninstalls and reinstalls the part", async () => {
  await withSample({ "buildout.cfg": cfg("mystuff") }, async (s) => {
    assert.equal((await s.run()).code, 0);
    await s.write("buildout.cfg", cfg("mydata"));
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling data-dir.",
      "Installing data-dir.",
      "data-dir: Creating directory /sample-buildout/mydata",
    ]);
    assert.equal(await s.exists("mystuff"), false);
    assert.equal(await s.exists("mydata"), true);
  });
});

Deno.test("buildout.txt: a part whose created path went missing is reinstalled", async () => {
  await withSample({ "buildout.cfg": cfg("mydata") }, async (s) => {
    assert.equal((await s.run()).code, 0);
    await Deno.remove(`${s.dir}/mydata`);
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling data-dir.",
      "Installing data-dir.",
      "data-dir: Creating directory /sample-buildout/mydata",
    ]);
    // Nothing changed: a third run only updates.
    assert.deepEqual(lines((await s.run()).stdout), ["Updating data-dir."]);
  });
});

Deno.test("buildout.txt: an error while constructing a recipe is a user error with While: context", async () => {
  // The doctest's recipe raises UserError in its constructor; the built-in
  // download recipe does so for a missing `url`.
  await withSample({
    "buildout.cfg":
      "[buildout]\nparts = data-dir\n\n[data-dir]\nrecipe = download\n",
  }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), [
      "While:",
      "  Installing.",
      "  Getting section data-dir.",
      "  Initializing section data-dir.",
      "Error: Missing option: data-dir:url",
    ]);
    assert.equal(await s.exists(".installed.cfg"), false);
  });
});

Deno.test("buildout.txt: paths registered with created() are removed when install fails", async () => {
  // The doctest's last recipe registers each directory through
  // options.created(); a failure then leaves nothing behind. Here the second
  // path cannot be made (its parent is a file). Difference: the built-in
  // recipe reports a user error (exit 1, `Error:` line) where the doctest's
  // recipe crashes with a traceback ("An internal error occurred").
  await withSample({
    "buildout.cfg": cfg("foo afile/bins"),
    "afile": "",
  }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stdout).slice(-3), [
      "Installing data-dir.",
      "data-dir: Creating directory /sample-buildout/foo",
      "data-dir: Creating directory /sample-buildout/afile/bins",
    ]);
    assert.deepEqual(lines(r.stderr), [
      "While:",
      "  Installing data-dir.",
      "Error: Cannot create directory '/sample-buildout/afile/bins': Not a directory.",
    ]);
    assert.equal(await s.exists("foo"), false);
    assert.equal(await s.exists(".installed.cfg"), false);

    // With the typo fixed, both directories are made.
    await s.write("buildout.cfg", cfg("foo bins"));
    const ok = await s.run();
    assert.equal(ok.code, 0);
    assert.deepEqual(lines(ok.stdout).slice(-3), [
      "Installing data-dir.",
      "data-dir: Creating directory /sample-buildout/foo",
      "data-dir: Creating directory /sample-buildout/bins",
    ]);
    assert.equal(await s.exists("foo"), true);
    assert.equal(await s.exists("bins"), true);
  });
});
