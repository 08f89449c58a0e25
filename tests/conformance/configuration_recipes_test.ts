/**
 * Conformance with zc.buildout's tests/configuration.txt, the runs printing
 * the options of its `recipes:debug` test recipe (substitution, automatic
 * part selection and ordering, macros), with the `recipes` develop egg of
 * tests/conformance/recipes_fixture.ts run through the bridge.
 * configuration_txt_test.ts checks the same values with `query`.
 *
 * Intentional difference (README, "Python recipes"): an unchanged bridged
 * part is not updated, so where the doctest shows debug's update() output
 * after `Updating debug.`, nothing follows here.
 */
import assert from "node:assert/strict";
import { lines } from "./support.ts";
import { withRecipes } from "./recipes_fixture.ts";

const DEVELOP = "Develop: '/sample-buildout/recipes'";

const cfg = (parts: string, debug: string) =>
  `[buildout]
develop = recipes
parts = ${parts}
log-level = INFO

[debug]
recipe = recipes:debug
${debug}
[data-dir]
recipe = recipes:mkdir
path = mydata
`;

const FILES = "File-1 = ${data-dir:path}/file\nFile-2 = ${debug:File-1}/log\n";

Deno.test("configuration.txt: the debug recipe shows substituted values; referenced parts go first", async () => {
  await withRecipes(cfg("data-dir debug", FILES), async (s) => {
    let r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing data-dir.",
      "data-dir: Creating directory mydata",
      "Installing debug.",
      "File-1 /sample-buildout/mydata/file",
      "File-2 /sample-buildout/mydata/file/log",
      "recipe recipes:debug",
    ]);
    r = await s.run();
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Updating data-dir.",
      "Updating debug.",
    ]);

    // ${:option} and _buildout_section_name_
    await s.write(
      "buildout.cfg",
      cfg(
        "data-dir debug",
        "File-1 = ${data-dir:path}/file\nFile-2 = ${:File-1}/log\n" +
          "my_name = ${:_buildout_section_name_}\n",
      ),
    );
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling debug.",
      "Updating data-dir.",
      "Installing debug.",
      "File-1 /sample-buildout/mydata/file",
      "File-2 /sample-buildout/mydata/file/log",
      "my_name debug",
      "recipe recipes:debug",
    ]);

    // data-dir left out of parts: still installed, before debug.
    await s.write("buildout.cfg", cfg("debug", FILES));
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling debug.",
      "Updating data-dir.",
      "Installing debug.",
      "File-1 /sample-buildout/mydata/file",
      "File-2 /sample-buildout/mydata/file/log",
      "recipe recipes:debug",
    ]);
    const parts = async () => lines(await s.read(".installed.cfg")).slice(0, 3);
    assert.deepEqual(await parts(), [
      "[buildout]",
      "installed_develop_eggs = /sample-buildout/develop-eggs/recipes.egg-link",
      "parts = data-dir debug",
    ]);

    // Listed after debug: still before it.
    await s.write("buildout.cfg", cfg("debug data-dir", FILES));
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Updating data-dir.",
      "Updating debug.",
    ]);
    assert.equal((await parts())[2], "parts = data-dir debug");
  });
});

Deno.test("configuration.txt: macros feed the debug recipe, substituted in the using section", async () => {
  await withRecipes(cfg("data-dir debug", FILES), async (s) => {
    assert.equal((await s.run()).code, 0);
    await s.write(
      "buildout.cfg",
      `[buildout]
develop = recipes
parts = myfiles
log-level = INFO

[debug]
recipe = recipes:debug

[with_file1]
<= debug
file1 = \${:path}/file1
color = red

[with_file2]
<= debug
file2 = \${:path}/file2
color = blue

[myfiles]
<= with_file1
   with_file2
path = mydata
`,
    );
    const r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling debug.",
      "Uninstalling data-dir.",
      "Installing myfiles.",
      "color blue",
      "file1 mydata/file1",
      "file2 mydata/file2",
      "path mydata",
      "recipe recipes:debug",
    ]);
  });
});
