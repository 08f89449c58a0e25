/**
 * Conformance with zc.buildout's tests/options.txt, the runs that use its
 * Python test recipes (`recipes:debug`, `recipes:mkdir`, `recipes:service`
 * and the uninstall recipes `service` / `mkdir`) from the `recipes` develop
 * egg (tests/conformance/recipes_fixture.ts), run through the bridge. Also
 * `=>` (part dependencies) between such parts.
 */
import assert from "node:assert/strict";
import { lines } from "./support.ts";
import {
  BACKUP,
  DEBUG,
  MKDIR_CREATED,
  SERVICE,
  withRecipes,
  writeProject,
} from "./recipes_fixture.ts";

const DEVELOP = "Develop: '/sample-buildout/recipes'";
const HEAD = "[buildout]\ndevelop = recipes\n";

Deno.test("options.txt: socket-timeout with the debug recipe; a no-op rerun", async () => {
  const part =
    "parts = debug\n\n[debug]\nrecipe = recipes:debug\nop = timeout\n";
  await withRecipes(HEAD + "socket-timeout = 5\n" + part, async (s) => {
    let r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Setting socket time out to 5 seconds.",
      DEVELOP,
      "Installing debug.",
      "op timeout",
      "recipe recipes:debug",
    ]);
    await s.write("buildout.cfg", HEAD + "socket-timeout = 5s\n" + part);
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    // Intentional difference (README, "Python recipes"): an unchanged
    // bridged part is not updated, so the doctest's `op timeout` and
    // `recipe recipes:debug` lines from debug's update() are not printed.
    assert.deepEqual(lines(r.stdout), [
      "Default socket timeout is used !",
      "Value in configuration is not numeric: [5s].",
      "",
      DEVELOP,
      "Updating debug.",
    ]);
  });
});

Deno.test("options.txt: uninstall recipes run before a part is reinstalled or removed, before its paths go", async () => {
  const service = (script: string) =>
    HEAD +
    `parts = service\n\n[service]\nrecipe = recipes:service\nscript = ${script}\n`;
  await withRecipes(
    HEAD + "parts = debug\n\n[debug]\nrecipe = recipes:debug\n",
    async (s) => {
      assert.equal((await s.run()).code, 0);
      await writeProject(
        s,
        "recipes",
        { mkdir: MKDIR_CREATED, debug: DEBUG, service: SERVICE },
        {
          "zc.buildout": {
            mkdir: "mkdir:Mkdir",
            debug: "debug:Debug",
            service: "service:Service",
          },
          "zc.buildout.uninstall": { service: "service:uninstall_service" },
        },
      );
      await s.write("buildout.cfg", service("/path/to/script"));
      let r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [
        DEVELOP,
        "Uninstalling debug.",
        "Installing service.",
        "chkconfig --add /path/to/script",
      ]);

      r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [DEVELOP, "Updating service."]);

      await s.write("buildout.cfg", service("/path/to/a/different/script"));
      r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [
        DEVELOP,
        "Uninstalling service.",
        "Running uninstall recipe.",
        "chkconfig --del /path/to/script",
        "Installing service.",
        "chkconfig --add /path/to/a/different/script",
      ]);

      const debugOnly = HEAD +
        "parts = debug\n\n[debug]\nrecipe = recipes:debug\n";
      await s.write("buildout.cfg", debugOnly);
      r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [
        DEVELOP,
        "Uninstalling service.",
        "Running uninstall recipe.",
        "chkconfig --del /path/to/a/different/script",
        "Installing debug.",
        "recipe recipes:debug",
      ]);

      // An uninstall recipe named after the mkdir recipe sees the folder
      // before it is removed.
      await writeProject(
        s,
        "recipes",
        {
          mkdir: MKDIR_CREATED,
          debug: DEBUG,
          service: SERVICE,
          backup: BACKUP,
        },
        {
          "zc.buildout": {
            mkdir: "mkdir:Mkdir",
            debug: "debug:Debug",
            service: "service:Service",
          },
          "zc.buildout.uninstall": {
            uninstall_service: "service:uninstall_service",
            mkdir: "backup:backup_directory",
          },
        },
      );
      await s.write(
        "buildout.cfg",
        HEAD + "parts = dir debug\n\n[dir]\nrecipe = recipes:mkdir\n" +
          "path = my_directory\n\n[debug]\nrecipe = recipes:debug\n",
      );
      r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      // The recipes' develop egg changed (setup.py), so debug is
      // reinstalled: its signature covers the egg's content.
      assert.deepEqual(lines(r.stdout), [
        DEVELOP,
        "Uninstalling debug.",
        "Installing dir.",
        "dir: Creating directory my_directory",
        "Installing debug.",
        "recipe recipes:debug",
      ]);

      await s.write("buildout.cfg", debugOnly);
      r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      // Intentional difference: no update() of the unchanged debug part,
      // so no `recipe recipes:debug` line after `Updating debug.`.
      assert.deepEqual(lines(r.stdout), [
        DEVELOP,
        "Uninstalling dir.",
        "Running uninstall recipe.",
        "backing up directory /sample-buildout/my_directory of size 0",
        "Updating debug.",
      ]);
      assert.equal(await s.exists("my_directory"), false);
    },
  );
});

Deno.test("options.txt: -c, assignments and -v with the debug recipe; install with part names", async () => {
  await withRecipes(HEAD + "parts =\n", async (s) => {
    await s.write(
      "other.cfg",
      HEAD + "parts = debug\ninstalled = .other.cfg\nlog-level = WARNING\n\n" +
        "[debug]\nname = other\nrecipe = recipes:debug\n",
    );
    let r = await s.run("-c", "other.cfg", "debug:op1=foo", "-v");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing debug.",
      "name other",
      "op1 foo",
      "recipe recipes:debug",
    ]);
    r = await s.run("-vcother.cfg", "debug:op1=foo");
    assert.equal(r.code, 0, r.stderr);
    // Intentional difference: no update() of the unchanged part.
    assert.deepEqual(lines(r.stdout), [DEVELOP, "Updating debug."]);
    assert.equal(await s.exists(".other.cfg"), true);
    await Deno.remove(`${s.dir}/other.cfg`);
    await Deno.remove(`${s.dir}/.other.cfg`);

    const mk = (n: string, p: string) =>
      `[${n}]\nrecipe = recipes:mkdir\npath = ${p}\n\n`;
    await s.write(
      "buildout.cfg",
      HEAD + "parts = debug d1 d2 d3\n\n" + mk("d1", "d1") + mk("d2", "d2") +
        mk("d3", "d3") + "[debug]\nrecipe = recipes:debug\n",
    );
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Installing debug.",
      "recipe recipes:debug",
      "Installing d1.",
      "d1: Creating directory d1",
      "Installing d2.",
      "d2: Creating directory d2",
      "Installing d3.",
      "d3: Creating directory d3",
    ]);
    const rec = lines(await s.read(".installed.cfg"));
    assert.deepEqual(rec.slice(0, 3), [
      "[buildout]",
      "installed_develop_eggs = /sample-buildout/develop-eggs/recipes.egg-link",
      "parts = debug d1 d2 d3",
    ]);
    assert.deepEqual(
      rec.filter((l) => !l.startsWith("__buildout_signature__")).slice(3),
      [
        "",
        "[debug]",
        "__buildout_installed__ = ",
        "recipe = recipes:debug",
        "",
        "[d1]",
        "__buildout_installed__ = /sample-buildout/d1",
        "path = /sample-buildout/d1",
        "recipe = recipes:mkdir",
        "",
        "[d2]",
        "__buildout_installed__ = /sample-buildout/d2",
        "path = /sample-buildout/d2",
        "recipe = recipes:mkdir",
        "",
        "[d3]",
        "__buildout_installed__ = /sample-buildout/d3",
        "path = /sample-buildout/d3",
        "recipe = recipes:mkdir",
      ],
    );

    await s.write(
      "buildout.cfg",
      HEAD + "parts = debug d2 d3 d4\n\n" + mk("d2", "data2") +
        mk("d3", "data3") + mk("d4", "${d2:path}-extra") +
        "[debug]\nrecipe = recipes:debug\nx = 1\n",
    );
    r = await s.run("install", "d3", "d4");
    assert.equal(r.code, 0, r.stderr);
    // Difference W7 (README): d2, which d4 refers to, is installed too;
    // zc.buildout leaves it and makes `data2-extra` from d2's new value.
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling d3.",
      "Uninstalling d2.",
      "Installing d3.",
      "d3: Creating directory data3",
      "Installing d2.",
      "d2: Creating directory data2",
      "Installing d4.",
      "d4: Creating directory data2-extra",
    ]);
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      DEVELOP,
      "Uninstalling d1.",
      "Uninstalling debug.",
      "Installing debug.",
      "recipe recipes:debug",
      "x 1",
      "Updating d2.",
      "Updating d3.",
      "Updating d4.",
    ]);
    assert.deepEqual(
      (await s.ls()).filter((l) => /^d {2}d/.test(l)),
      ["d  data2", "d  data2-extra", "d  data3", "d  develop-eggs"],
    );
  });
});

Deno.test("options.txt: log-format and a numeric log-level apply to the Develop: line", async () => {
  await withRecipes(
    HEAD + "parts =\nlog-level = 25\nverbosity = 5\n" +
      "log-format = %(levelname)s %(message)s\n",
    async (s) => {
      const r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [
        "INFO Develop: '/sample-buildout/recipes'",
      ]);
    },
  );
});

Deno.test("=> part dependencies between Python-recipe parts: the named parts come first", async () => {
  await withRecipes(
    HEAD + "parts = debug\n\n[debug]\nrecipe = recipes:debug\n=> dir\n\n" +
      "[dir]\nrecipe = recipes:mkdir\npath = made\n",
    async (s) => {
      const r = await s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [
        DEVELOP,
        "Installing dir.",
        "dir: Creating directory made",
        "Installing debug.",
        "<part-dependencies> dir",
        "recipe recipes:debug",
      ]);
      assert.equal(
        lines(await s.read(".installed.cfg"))[2],
        "parts = dir debug",
      );
    },
  );
});
