/**
 * `develop`: a project's source folder used in place as a develop egg.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

async function project(dir: string) {
  const src = join(dir, "src", "myapp");
  await Deno.mkdir(src, { recursive: true });
  await Deno.writeTextFile(
    join(src, "setup.py"),
    "from setuptools import setup\n" +
      "setup(name='myapp', version='0.1.dev0', py_modules=['myapp'],\n" +
      "      install_requires=['demoneeded'],\n" +
      "      entry_points={'console_scripts': ['myapp = myapp:main']})\n",
  );
  await Deno.writeTextFile(
    join(src, "myapp.py"),
    "import eggrecipedemoneeded\n\ndef main():\n    print('myapp', eggrecipedemoneeded.y)\n",
  );
  return src;
}

Deno.test("develop: the source folder is used in place, its dependencies installed", async () => {
  await withTempDir(async (dir) => {
    const src = await project(dir);
    await Deno.mkdir(join(dir, "empty"));
    const cfg = (develop: string, parts: string) =>
      Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\ndevelop = ${develop}\nparts = ${parts}\nfind-links = ${LINKS}\nindex = ${dir}/empty\n` +
          `show-picked-versions = true\n\n[app]\nrecipe = zc.recipe.egg\neggs = myapp\n`,
      );
    const env = { BUILDOUT_HOME: join(dir, "none") };
    await cfg("src/*", "app");
    let r = await runCli([], { cwd: dir, env });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(4), [
      `Develop: '${src}'`,
      "Installing app.",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.1.",
      `Generated script '${dir}/bin/myapp'.`,
      // The develop egg is never "picked"; its dependency is.
      "Versions had to be automatically picked.",
      "The following part definition lists the versions picked:",
      "[versions]",
      "# Required by:",
      "# myapp==0.1.dev0",
      "demoneeded = 1.1",
    ]);
    assert.equal(
      await Deno.readTextFile(join(dir, "develop-eggs", "myapp.egg-link")),
      `${src}\n.\n`,
    );
    assert.match(
      await Deno.readTextFile(join(dir, ".installed.cfg")),
      new RegExp(
        `installed_develop_eggs = ${dir}/develop-eggs/myapp.egg-link\n`,
      ),
    );
    const script = await Deno.readTextFile(join(dir, "bin", "myapp"));
    assert.ok(
      script.includes(
        `sys.path[0:0] = [\n  '${src}',\n  '${dir}/eggs/demoneeded-1.1-py3.11.egg',\n  ]`,
      ),
      script,
    );
    const run = async () =>
      new TextDecoder().decode(
        (await new Deno.Command(join(dir, "bin", "myapp")).output()).stdout,
      );
    assert.equal(await run(), "myapp 1\n");
    // Edits to the source are live: no reinstall needed.
    await Deno.writeTextFile(
      join(src, "myapp.py"),
      "def main():\n    print('edited')\n",
    );
    assert.equal(await run(), "edited\n");

    // No develop, no parts: the egg-link and the part go.
    await cfg("", "");
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling app."]);
    await assert.rejects(
      Deno.stat(join(dir, "develop-eggs", "myapp.egg-link")),
    );
    await assert.rejects(Deno.stat(join(dir, ".installed.cfg")));

    await cfg("nothere", "");
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      `Couldn't develop '${dir}/nothere' (not found)`,
    ]);
  });
});

Deno.test("develop: a failing setup.py is one error with its output's tail", async () => {
  await withTempDir(async (dir) => {
    const src = join(dir, "broken");
    await Deno.mkdir(src);
    await Deno.writeTextFile(
      join(src, "setup.py"),
      "raise SystemExit('setup.py says no')\n",
    );
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\ndevelop = broken\nparts =\n",
    );
    const r = await runCli([], {
      cwd: dir,
      env: { BUILDOUT_HOME: join(dir, "none") },
    });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Processing directories listed in the develop option\n" +
        `  Processing develop directory '${src}'.\n` +
        `Error: Developing ${src} failed:\n  setup.py says no\n`,
    );
  });
});
