/**
 * Conformance with zc.buildout's tests/buildout.txt, the parts that need its
 * Python test recipe: a `recipes` develop egg whose `mkdir` recipe is
 * rewritten step by step (tests/conformance/recipes_fixture.ts), run through
 * the Python recipe bridge. Output is compared line by line; the doctest
 * shows stdout and stderr merged, here they are checked apart.
 */
import assert from "node:assert/strict";
import { lines } from "./support.ts";
import {
  MKDIR_CLEANUP,
  MKDIR_CREATED,
  MKDIR_ONE_PATH,
  MKDIR_PATHS,
  withRecipes,
  writeProject,
} from "./recipes_fixture.ts";

const cfg = (path: string) =>
  `[buildout]
develop = recipes
parts = data-dir

[data-dir]
recipe = recipes:mkdir
path = ${path}
`;

const DEVELOP = "Develop: '/sample-buildout/recipes'";

/** Use `module` as the `recipes` project's mkdir.py. */
const mkdirRecipe =
  (module: string) => (s: Parameters<typeof writeProject>[0]) =>
    writeProject(s, "recipes", { mkdir: module }, {
      "zc.buildout": { mkdir: "mkdir:Mkdir" },
    });

/** The internal-error report of an install that raised `exc`. */
const internalError = (part: string, exc: RegExp) => (stderr: string) => {
  const l = lines(stderr);
  assert.deepEqual(l.slice(0, 3), ["While:", `  Installing ${part}.`, ""]);
  // Intentional difference (README, exit codes): the report names this
  // tool, and the Python traceback is shown only with -v; exit code 3.
  assert.equal(
    l[3],
    "An internal error occurred due to a bug in buildout for Deno or in a recipe being used:",
  );
  assert.match(l[4], exc);
  assert.equal(l.length, 5);
};

const fileExists =
  /^FileExistsError: \[Errno 17\] File exists: .* \(run with -v for the stack\)$/;

Deno.test("buildout.txt: a develop-egg recipe installs, reinstalls on change and when its path went missing", async () => {
  await withRecipes(cfg("mystuff"), async (s) => {
    await mkdirRecipe(MKDIR_ONE_PATH)(s);
    let r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing data-dir.",
      "data-dir: Creating directory mystuff",
    ]);
    assert.deepEqual(await s.ls(), [
      "-  .installed.cfg",
      "d  bin",
      "-  buildout.cfg",
      "d  develop-eggs",
      "d  eggs",
      "d  mystuff",
      "d  parts",
      "d  recipes",
    ]);
    const rec = lines(await s.read(".installed.cfg"));
    assert.deepEqual(rec.slice(0, 5), [
      "[buildout]",
      "installed_develop_eggs = /sample-buildout/develop-eggs/recipes.egg-link",
      "parts = data-dir",
      "",
      "[data-dir]",
    ]);
    assert.equal(rec[5], "__buildout_installed__ = /sample-buildout/mystuff");
    // The signature names the recipe distribution as zc.buildout's does;
    // what follows is this tool's own hash.
    assert.match(rec[6], /^__buildout_signature__ = recipes-\S/);
    assert.deepEqual(rec.slice(7), [
      "path = /sample-buildout/mystuff",
      "recipe = recipes:mkdir",
    ]);

    await s.write("buildout.cfg", cfg("mydata"));
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling data-dir.",
      "Installing data-dir.",
      "data-dir: Creating directory mydata",
    ]);
    assert.equal(await s.exists("mystuff"), false);
    assert.equal(await s.exists("mydata"), true);

    await Deno.remove(`${s.dir}/mydata`);
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling data-dir.",
      "Installing data-dir.",
      "data-dir: Creating directory mydata",
    ]);

    // Nothing changed: updated. The recipe's source edited: the develop
    // egg's content is part of the signature, so the part is reinstalled.
    r = await s.run();
    assert.deepEqual(lines(r.stdout), [DEVELOP, "Updating data-dir."]);
    await mkdirRecipe(MKDIR_ONE_PATH + "# edited\n")(s);
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling data-dir.",
      "Installing data-dir.",
      "data-dir: Creating directory mydata",
    ]);
  });
});

Deno.test("buildout.txt: UserError from a recipe constructor: its log line, While: lines, Error: Invalid Path", async () => {
  await withRecipes(cfg("/xxx/mydata"), async (s) => {
    await mkdirRecipe(MKDIR_ONE_PATH)(s);
    const r = await s.run();
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "data-dir: Cannot create /xxx/mydata. /xxx is not a directory.",
    ]);
    assert.deepEqual(lines(r.stderr), [
      "While:",
      "  Installing.",
      "  Getting section data-dir.",
      "  Initializing section data-dir.",
      "Error: Invalid Path",
    ]);
  });
});

Deno.test("buildout.txt: recipe error handling: what a failing install leaves behind, cleaned up by the recipe or by created()", async () => {
  await withRecipes(cfg("mydata"), async (s) => {
    await mkdirRecipe(MKDIR_ONE_PATH)(s);
    assert.equal((await s.run()).code, 0);

    // Several paths, no clean-up: `bin` exists, `foo` is left behind.
    await mkdirRecipe(MKDIR_PATHS)(s);
    await s.write("buildout.cfg", cfg("foo bin"));
    let r = await s.run();
    assert.equal(r.code, 3);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling data-dir.",
      "Installing data-dir.",
      "data-dir: Creating directory foo",
      "data-dir: Creating directory bin",
    ]);
    internalError("data-dir", fileExists)(r.stderr);
    assert.equal(await s.exists("foo"), true);

    // The typo fixed, the leftover `foo` is now in the way.
    await s.write("buildout.cfg", cfg("foo bins"));
    r = await s.run();
    assert.equal(r.code, 3);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing data-dir.",
      "data-dir: Creating directory foo",
    ]);
    internalError("data-dir", fileExists)(r.stderr);
    await Deno.remove(`${s.dir}/foo`);

    // A recipe that removes what it made before re-raising.
    await mkdirRecipe(MKDIR_CLEANUP)(s);
    await s.write("buildout.cfg", cfg("foo bin"));
    r = await s.run();
    assert.equal(r.code, 3);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing data-dir.",
      "data-dir: Creating directory foo",
      "data-dir: Creating directory bin",
      "data-dir: Removed foo due to error",
    ]);
    internalError("data-dir", fileExists)(r.stderr);
    assert.equal(await s.exists("foo"), false);

    // A recipe registering each path with options.created(): buildout
    // removes them when install fails.
    await mkdirRecipe(MKDIR_CREATED)(s);
    r = await s.run();
    assert.equal(r.code, 3);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing data-dir.",
      "data-dir: Creating directory foo",
      "data-dir: Creating directory bin",
    ]);
    internalError("data-dir", fileExists)(r.stderr);
    assert.equal(await s.exists("foo"), false);
    assert.equal(await s.exists(".installed.cfg"), true);
    assert.doesNotMatch(await s.read(".installed.cfg"), /\[data-dir\]/);

    // With -v the report carries the Python traceback, as the doctest's.
    r = await s.run("-v");
    assert.equal(r.code, 3);
    const err = lines(r.stderr);
    assert.deepEqual(err.slice(0, 5), [
      "While:",
      "  Installing data-dir.",
      "",
      "An internal error occurred due to a bug in buildout for Deno or in a recipe being used:",
      "Traceback (most recent call last):",
    ]);
    assert.match(err.at(-1)!, /^FileExistsError: .*File exists/);
    // setup.py's (empty) output gives no blank line after `Develop:`.
    assert.deepEqual(lines(r.stdout).slice(0, 2), [
      DEVELOP,
      "Installing 'recipes'.",
    ]);
    assert.equal(await s.exists("foo"), false);

    await s.write("buildout.cfg", cfg("foo bins"));
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing data-dir.",
      "data-dir: Creating directory foo",
      "data-dir: Creating directory bins",
    ]);
    assert.equal(await s.exists("foo"), true);
    assert.equal(await s.exists("bins"), true);
  });
});
