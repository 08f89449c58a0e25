/**
 * zc.recipe.egg through the CLI: options, version choice, pins, picked
 * versions and its errors, against the seed's fixtures as a local find-links
 * folder (and a few wheels made here). Scripts are run with python3.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** Write buildout.cfg (find-links = the fixtures, an empty index) and run the CLI. */
async function buildout(dir: string, body: string, args: string[] = []) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${LINKS}\nindex = ${dir}/empty-index\n${body}`,
  );
  return await runCli(args, {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

async function run(path: string, ...args: string[]): Promise<string> {
  const r = await new Deno.Command(path, { args }).output();
  assert.equal(r.code, 0, decode(r.stderr));
  return decode(r.stdout);
}

async function binFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(dir, "bin"))) names.push(e.name);
  return names.sort();
}

Deno.test("prefer-final picks finals; prefer-final = false takes pre-releases", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      "parts = demo\n\n[demo]\nrecipe = zc.recipe.egg\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-6), [
      "Installing demo.",
      "Getting distribution for 'demo'.",
      "Got demo 0.3.",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.1.",
      `Generated script '${dir}/bin/demo'.`,
    ]);
    assert.equal(await run(join(dir, "bin", "demo")), "3 1\n");
    r = await buildout(
      dir,
      "parts = demo\nprefer-final = false\n\n[demo]\nrecipe = zc.recipe.egg\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Updating demo.",
      "Getting distribution for 'demo'.",
      "Got demo 0.4c1.",
      "Getting distribution for 'demoneeded'.",
      // setuptools writes the normalised version into the built egg's metadata.
      "Got demoneeded 1.2rc1.",
      `Generated script '${dir}/bin/demo'.`,
    ]);
    assert.equal(await run(join(dir, "bin", "demo")), "4 2\n");
  });
});

Deno.test("scripts renames and filters; empty scripts means no scripts and no interpreter", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs = demo\nscripts = demo=run undefined\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(
      "Could not generate script 'undefined' as it is not defined in the egg entry points.\n",
    ));
    assert.deepEqual(await binFiles(dir), ["run"]);
    assert.equal(await run(join(dir, "bin", "run")), "3 1\n");
    r = await buildout(
      dir,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs = demo\nscripts =\ninterpreter = py\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling app.", "Installing app."]);
    assert.deepEqual(await binFiles(dir), []);
  });
});

Deno.test("interpreter, extra-paths, initialization, arguments and entry-points", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "src"));
    await Deno.writeTextFile(
      join(dir, "src", "local.py"),
      "def hello(*a):\n    print('hello', *a)\n",
    );
    const r = await buildout(
      dir,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs = demo\ninterpreter = py\n" +
        "extra-paths = src\ninitialization = print('init')\narguments = 1, 2\n" +
        "entry-points = hi=local:hello\nscripts = hi\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-2), [
      `Generated script '${dir}/bin/hi'.`,
      `Generated interpreter '${dir}/bin/py'.`,
    ]);
    assert.equal(await run(join(dir, "bin", "hi")), "init\nhello 1 2\n");
    const text = await Deno.readTextFile(join(dir, "bin", "hi"));
    assert.ok(
      text.includes(`  '${dir}/src',\n  ]\n\nprint('init')\n\nimport local\n`),
      text,
    );
    assert.ok(text.endsWith("    sys.exit(local.hello(1, 2))\n"), text);
    assert.equal(
      await run(
        join(dir, "bin", "py"),
        "-c",
        "import eggrecipedemo, local; print(eggrecipedemo.x)",
      ),
      "init\n3\n",
    );
  });
});

Deno.test("relative-paths: scripts keep working when the buildout folder moves", async () => {
  await withTempDir(async (root) => {
    const dir = join(root, "a");
    await Deno.mkdir(dir);
    const r = await buildout(
      dir,
      "parts = demo\nrelative-paths = true\n\n[demo]\nrecipe = zc.recipe.egg\n",
    );
    assert.equal(r.code, 0, r.stderr);
    const text = await Deno.readTextFile(join(dir, "bin", "demo"));
    assert.ok(
      text.includes("  join(base, 'eggs/demo-0.3-py3.11.egg'),\n"),
      text,
    );
    await Deno.rename(dir, join(root, "b"));
    assert.equal(await run(join(root, "b", "bin", "demo")), "3 1\n");
  });
});

Deno.test("dependent-scripts adds the scripts of dependencies; :eggs writes none", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      "parts = big\n\n[big]\nrecipe = zc.recipe.egg\neggs = bigdemo\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await binFiles(dir), []);
    r = await buildout(
      dir,
      "parts = big\n\n[big]\nrecipe = zc.recipe.egg\neggs = bigdemo\ndependent-scripts = true\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await binFiles(dir), ["demo"]);
    r = await buildout(
      dir,
      "parts = big\n\n[big]\nrecipe = zc.recipe.egg:eggs\neggs = bigdemo\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling big.", "Installing big."]);
    assert.deepEqual(await binFiles(dir), []);
    const bad = await buildout(
      dir,
      "parts = big\n\n[big]\nrecipe = zc.recipe.egg\neggs = bigdemo\ndependent-scripts = yes\n",
    );
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /Error: Invalid value for dependent-scripts option: yes\n$/,
    );
  });
});

Deno.test("[versions] pins, the constraint error, picked versions and allow-picked-versions", async () => {
  await withTempDir(async (dir) => {
    const part = "\n[demo]\nrecipe = zc.recipe.egg\n";
    let r = await buildout(
      dir,
      `parts = demo\nshow-picked-versions = true\n${part}\n[versions]\ndemo = 0.2\n`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-11), [
      "Getting distribution for 'demo==0.2'.",
      "Got demo 0.2.",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.1.",
      `Generated script '${dir}/bin/demo'.`,
      "Versions had to be automatically picked.",
      "The following part definition lists the versions picked:",
      "[versions]",
      "# Required by:",
      "# demo==0.2",
      "demoneeded = 1.1",
    ]);
    assert.ok(
      r.stdout.endsWith(
        "[versions]\n\n# Required by:\n# demo==0.2\ndemoneeded = 1.1\n",
      ),
      r.stdout,
    );

    r = await buildout(
      dir,
      `parts = demo\n${part}eggs = demo >0.2\n\n[versions]\ndemo = 0.2\n`,
    );
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.endsWith(
        "Version and requirements information containing demo:\n" +
          "  [versions] constraint on demo: 0.2\n" +
          "  Base installation request: 'demo >0.2'\n",
      ),
      r.stdout,
    );
    assert.match(
      r.stderr,
      /Error: The requirement \('demo>0\.2'\) is not allowed by your \[versions\] constraint \(0\.2\)\n$/,
    );

    r = await buildout(
      dir,
      `parts = demo\nallow-picked-versions = false\n${part}\n[versions]\ndemo = 0.2\n`,
    );
    assert.equal(r.code, 1);
    assert.ok(
      r.stderr.endsWith(
        "Error: Picked: demoneeded = 1.1\n\n" +
          "The `demoneeded` egg does not have a version pin and `allow-picked-versions = false`.\n\n" +
          "To resolve this, add\n\n    demoneeded = 1.1\n\nto the [versions] section,\n\n" +
          "OR set `allow-picked-versions = true`.\n",
      ),
      r.stderr,
    );
  });
});

Deno.test("a missing distribution, offline mode and an unknown extra are clear errors", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      "parts = x\n\n[x]\nrecipe = zc.recipe.egg\neggs = nosuch\n",
    );
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.endsWith(
        "Installing x.\n" +
          "Couldn't find index page for 'nosuch' (maybe misspelled?)\n" +
          "Getting distribution for 'nosuch'.\n",
      ),
      r.stdout,
    );
    assert.equal(
      r.stderr,
      "While:\n  Installing x.\n  Getting distribution for 'nosuch'.\n" +
        "Error: Couldn't find a distribution for 'nosuch'.\n",
    );
    r = await buildout(
      dir,
      "parts = x\n\n[x]\nrecipe = zc.recipe.egg\neggs = demo\n",
      ["-o"],
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /Error: We don't have a distribution for demo\nand can't install one in offline \(no-install\) mode.\n$/,
    );
    r = await buildout(
      dir,
      "parts = x\n\n[x]\nrecipe = zc.recipe.egg\neggs = demo[nope]\n",
    );
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes("demo 0.3 does not provide the extra 'nope'\n"),
      r.stdout,
    );
    assert.equal(
      r.stderr,
      "While:\n  Installing x.\nError: Couldn't find the required extra. " +
        "This means the requirement is incorrect. If the requirement is itself " +
        "from software you requested, then there might be a bug in requested " +
        "software. You can ignore this by using 'allow-unknown-extras=true', " +
        "however that may simply cause needed software to be omitted.\n",
    );
    // Nothing was recorded for the failed part.
    await assert.rejects(Deno.stat(join(dir, ".installed.cfg")));
  });
});

Deno.test("a version conflict between dependencies: the last requested egg's requirements come first, as in buildout", async () => {
  await withTempDir(async (dir) => {
    const wheels = join(dir, "wheels");
    await Deno.mkdir(wheels);
    const mod = (n: string) => ({ [`${n}.py`]: "" });
    await writeWheel(wheels, {
      name: "sampley",
      version: "1",
      files: mod("sampley"),
      requires: ["shared==1.0"],
    });
    await writeWheel(wheels, {
      name: "samplez",
      version: "1",
      files: mod("samplez"),
      requires: ["shared==1.1"],
    });
    await writeWheel(wheels, {
      name: "shared",
      version: "1.0",
      files: mod("shared"),
    });
    await writeWheel(wheels, {
      name: "shared",
      version: "1.1",
      files: mod("shared"),
    });
    const r = await buildout(
      dir,
      `parts = x\nfind-links = ${wheels}\n\n[x]\nrecipe = zc.recipe.egg\neggs =\n  sampley\n  samplez\n`,
    );
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(
        "Version and requirements information containing shared:\n" +
          "  Requirement of samplez: shared==1.1\n" +
          "  Requirement of sampley: shared==1.0\n",
      ),
      r.stdout,
    );
    assert.ok(
      r.stderr.endsWith(
        "Error: There is a version conflict.\nWe already have: shared 1.1\n" +
          "but sampley 1 requires 'shared==1.0'.\n",
      ),
      r.stderr,
    );
  });
});

Deno.test("uninstalling the part removes exactly its scripts; eggs stay", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      "parts = demo\n\n[demo]\nrecipe = zc.recipe.egg\ninterpreter = py\n",
    );
    assert.equal(r.code, 0, r.stderr);
    await Deno.writeTextFile(join(dir, "bin", "mine"), "keep me");
    assert.deepEqual(await binFiles(dir), ["demo", "mine", "py"]);
    r = await buildout(dir, "parts =\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling demo."]);
    assert.deepEqual(await binFiles(dir), ["mine"]);
    const eggs: string[] = [];
    for await (const e of Deno.readDir(join(dir, "eggs"))) {
      if (!e.name.startsWith(".")) eggs.push(e.name);
    }
    assert.deepEqual(eggs.sort(), [
      "demo-0.3-py3.11.egg",
      "demoneeded-1.1-py3.11.egg",
    ]);
  });
});

Deno.test("update-versions-file: picked versions appended, with a dated header when the file exists", async () => {
  await withTempDir(async (dir) => {
    const body =
      "parts = demo\nupdate-versions-file = versions.cfg\n\n[demo]\nrecipe = zc.recipe.egg\n";
    let r = await buildout(dir, body);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout.endsWith(
        // The file as the configuration names it, like zc.buildout.
        "Picked versions have been written to versions.cfg\n",
      ),
      r.stdout,
    );
    assert.equal(
      await Deno.readTextFile(join(dir, "versions.cfg")),
      "[versions]\ndemo = 0.3\n\n# Required by:\n# demo==0.3\ndemoneeded = 1.1\n",
    );
    // Still unpinned on the next run: appended again, under a dated header.
    r = await buildout(dir, body, ["-N"]);
    assert.equal(r.code, 0, r.stderr);
    const text = await Deno.readTextFile(join(dir, "versions.cfg"));
    assert.match(
      text,
      /^\[versions\]\ndemo = 0\.3\n\n# Required by:\n# demo==0\.3\ndemoneeded = 1\.1\n\n# Added by buildout at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\ndemo = 0\.3\n/,
    );
  });
});
