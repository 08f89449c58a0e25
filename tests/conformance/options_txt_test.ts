/**
 * Conformance with zc.buildout's tests/options.txt: socket timeout, the
 * `install` command with part names, alternate directory locations and
 * logging control. The doctest's `recipes:mkdir` is played by the built-in
 * mkdir recipe (which logs absolute paths).
 *
 * The runs with the doctest's Python recipes (`recipes:debug` output,
 * uninstall recipes) are in options_recipes_test.ts. Skipped: the `-vv` dump of predefined
 * options (it lists zc.buildout's own Python and develop-egg set-up), and
 * `eggs-directory-version` (no v5 egg layout here).
 */
import assert from "node:assert/strict";
import { lines, withSample } from "./support.ts";
import { withTempDir } from "../support/run.ts";

Deno.test("options.txt: socket-timeout is announced; a non-numeric one warns", async () => {
  await withSample({
    "buildout.cfg": "[buildout]\nsocket-timeout = 5\nparts =\n",
  }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.equal(lines(r.stdout)[0], "Setting socket time out to 5 seconds.");
    await s.write("buildout.cfg", "[buildout]\nsocket-timeout = 5s\nparts =\n");
    const w = await s.run();
    assert.equal(w.code, 0);
    assert.deepEqual(lines(w.stdout), [
      "Default socket timeout is used !",
      "Value in configuration is not numeric: [5s].",
      "",
    ]);
  });
});

const mk = (name: string, paths: string) =>
  `[${name}]\nrecipe = mkdir\npaths = ${paths}\n`;

Deno.test("options.txt: install with part names runs only those (and what they refer to)", async () => {
  await withSample({
    "buildout.cfg": "[buildout]\nparts = d1 d2 d3\n\n" + mk("d1", "d1") +
      mk("d2", "d2") + mk("d3", "d3"),
  }, async (s) => {
    const first = await s.run();
    assert.equal(first.code, 0);
    assert.deepEqual(lines(first.stdout).slice(-6), [
      "Installing d1.",
      "d1: Creating directory /sample-buildout/d1",
      "Installing d2.",
      "d2: Creating directory /sample-buildout/d2",
      "Installing d3.",
      "d3: Creating directory /sample-buildout/d3",
    ]);
    assert.equal(lines(await s.read(".installed.cfg"))[2], "parts = d1 d2 d3");

    await s.write(
      "buildout.cfg",
      "[buildout]\nparts = d2 d3 d4\n\n" + mk("d2", "data2") +
        mk("d3", "data3") + mk("d4", "${d2:paths}-extra"),
    );
    // Difference W7 (README): the named parts' references are installed
    // too, so d2 (which d4 refers to) is reinstalled here; zc.buildout
    // leaves d2 alone and only uninstalls and reinstalls d3, then installs
    // d4 (still `data2-extra`). Both keep d1 recorded and in place.
    const some = await s.run("install", "d3", "d4");
    assert.equal(some.code, 0);
    assert.deepEqual(lines(some.stdout), [
      "Uninstalling d3.",
      "Uninstalling d2.",
      "Installing d3.",
      "d3: Creating directory /sample-buildout/data3",
      "Installing d2.",
      "d2: Creating directory /sample-buildout/data2",
      "Installing d4.",
      "d4: Creating directory /sample-buildout/data2-extra",
    ]);
    assert.equal(await s.exists("d1"), true);
    const rec = await s.read(".installed.cfg");
    assert.match(
      rec,
      /\n\[d1\]\n__buildout_installed__ = \/sample-buildout\/d1\n/,
    );
    assert.match(
      rec,
      /\n\[d3\]\n__buildout_installed__ = \/sample-buildout\/data3\n/,
    );
    assert.match(
      rec,
      /\n\[d4\]\n__buildout_installed__ = \/sample-buildout\/data2-extra\n/,
    );

    // A plain run then removes d1, which is no longer listed.
    const all = await s.run();
    assert.equal(all.code, 0);
    assert.deepEqual(lines(all.stdout), [
      "Uninstalling d1.",
      "Updating d2.",
      "Updating d3.",
      "Updating d4.",
    ]);
    assert.deepEqual(
      (await s.ls()).filter((l) => l.startsWith("d  d")),
      ["d  data2", "d  data2-extra", "d  data3", "d  develop-eggs"],
    );
  });
});

Deno.test("options.txt: alternate locations for eggs, develop-eggs, bin and parts", async () => {
  await withTempDir(async (alt) => {
    await withSample({
      "buildout.cfg": `[buildout]
parts =
develop-eggs-directory = ${alt}/developbasket
eggs-directory = ${alt}/basket
bin-directory = ${alt}/scripts
parts-directory = ${alt}/work
`,
    }, async (s) => {
      const r = await s.run();
      assert.equal(r.code, 0);
      // zc.buildout creates `basket/v5`'s `v2` (eggs-directory-version);
      // this tool has no versioned egg layout.
      assert.deepEqual(lines(r.stdout.replaceAll(alt, "/sample-alt")), [
        "Creating directory '/sample-alt/basket'.",
        "Creating directory '/sample-alt/scripts'.",
        "Creating directory '/sample-alt/work'.",
        "Creating directory '/sample-alt/developbasket'.",
      ]);
      const names = [...Deno.readDirSync(alt)].map((e) => e.name).sort();
      assert.deepEqual(names, ["basket", "developbasket", "scripts", "work"]);
    });
  });
});

Deno.test("options.txt: an alternate buildout directory", async () => {
  await withTempDir(async (alt) => {
    await withSample({
      "buildout.cfg": `[buildout]\ndirectory = ${alt}\nparts =\n`,
    }, async (s) => {
      const r = await s.run();
      assert.equal(r.code, 0);
      assert.deepEqual(lines(r.stdout.replaceAll(alt, "/sample-alt")), [
        "Creating directory '/sample-alt/eggs'.",
        "Creating directory '/sample-alt/bin'.",
        "Creating directory '/sample-alt/parts'.",
        "Creating directory '/sample-alt/develop-eggs'.",
      ]);
      const names = [...Deno.readDirSync(alt)].map((e) => e.name).sort();
      // The doctest's `.installed.cfg` there records its develop egg; with
      // nothing installed, none is written.
      assert.deepEqual(names, [
        "bin",
        "develop-eggs",
        "eggs",
        "parts",
      ]);
      assert.equal(await s.exists("parts"), false);
    });
  });
});

Deno.test("options.txt: numeric log-level, verbosity in the file, log-format", async () => {
  // 25 - 5 = 20, the INFO level. The doctest's only message is its
  // `Develop:` line; here a mkdir part gives INFO messages.
  await withSample({
    "buildout.cfg": `[buildout]
parts = x
log-level = 25
verbosity = 5
log-format = %(levelname)s %(message)s

[x]
recipe = mkdir
`,
  }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(-2), [
      "INFO Installing x.",
      "INFO x: Creating directory /sample-buildout/parts/x",
    ]);
  });
});
