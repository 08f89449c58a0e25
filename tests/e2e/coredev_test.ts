/**
 * A buildout shaped like Plone's coredev: `extends` of a versions file and a
 * sources file, mr.developer checking out a source that becomes a develop
 * egg, and template, command, testrunner, omelette and egg parts. Everything
 * comes from local folders (no network); the second run is a no-op.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";
import { gitEnv, makeRepo, writeFiles } from "../mrdev/support.ts";

const WHEELS = fileURLToPath(new URL("../../fixtures/wheels", import.meta.url));

const FAKE_RUNNER = `import sys
def run(defaults=None, args=None):
    print('testrunner', ' '.join((defaults or []) + sys.argv[1:]))
`;

Deno.test("a coredev-shaped buildout installs from local folders and reruns as a no-op", () =>
  withTempDir(async (dir) => {
    const links = join(dir, "links");
    await Deno.mkdir(links);
    for await (const e of Deno.readDir(WHEELS)) {
      await Deno.copyFile(join(WHEELS, e.name), join(links, e.name));
    }
    await writeWheel(links, {
      name: "zope.testrunner",
      version: "6.0",
      files: { "zope/testrunner/__init__.py": FAKE_RUNNER },
    });
    const url = await makeRepo(join(dir, "repos"), "pkg", dir);
    await Deno.mkdir(join(dir, "b", "empty-index"), { recursive: true });
    const b = join(dir, "b");
    await writeFiles(b, {
      "versions.cfg":
        "[versions]\ngreet = 1.0\ncolorword = 1.1\nzope.testrunner = 6.0\n",
      "sources.cfg": `[sources]\npkg = git ${url} branch=master\n`,
      "checkouts.cfg": "[buildout]\nauto-checkout =\n    pkg\n",
      "buildout.cfg": `[buildout]
extends =
    versions.cfg
    sources.cfg
    checkouts.cfg
extensions = mr.developer
find-links = ${links}
index = ${b}/empty-index
download-cache = ${dir}/cache
show-picked-versions = true
parts =
    instance
    zopepy
    test
    omelette
    precompile

[instance]
recipe = collective.recipe.template
input = inline:
    [zope]
    eggs = \${zopepy:eggs}
    bin = \${buildout:bin-directory}
output = \${buildout:directory}/etc/zope.conf

[zopepy]
recipe = zc.recipe.egg
eggs =
    greet
    pkg
interpreter = zopepy

[test]
recipe = zc.recipe.testrunner
eggs = pkg
defaults = ['--auto-color']

[omelette]
recipe = collective.recipe.omelette
eggs = \${zopepy:eggs}

[precompile]
recipe = plone.recipe.command
command = mkdir -p var && echo compiled > var/precompiled.txt
update-command = \${:command}
`,
    });
    const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "no-home") };
    const first = await runCli([], { cwd: b, env });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(first.stderr, "");
    for (
      const part of ["instance", "zopepy", "test", "omelette", "precompile"]
    ) {
      assert.match(first.stdout, new RegExp(`^Installing ${part}\\.$`, "m"));
    }
    assert.match(first.stdout, /Cloned 'pkg' with git/);
    assert.doesNotMatch(first.stdout, /Picked:|Versions had to be/);

    assert.equal(
      await Deno.readTextFile(join(b, "etc", "zope.conf")),
      `[zope]\neggs = greet\npkg\nbin = ${b}/bin`,
    );
    const run = async (cmd: string, ...args: string[]) =>
      new TextDecoder().decode(
        (await new Deno.Command(join(b, "bin", cmd), { args, cwd: b }).output())
          .stdout,
      );
    assert.equal(
      await run(
        "zopepy",
        "-c",
        "import pkg, greet; print(pkg.LABEL, greet.__name__)",
      ),
      "v2 greet\n",
    );
    assert.match(
      await run("test"),
      /^testrunner --auto-color --test-path .*\/src\/pkg\n$/,
    );
    assert.equal(
      (await Deno.readTextFile(join(b, "var", "precompiled.txt"))).trim(),
      "compiled",
    );
    const farm = join(b, "parts", "omelette");
    assert.equal(
      await Deno.realPath(join(farm, "pkg.py")),
      join(b, "src", "pkg", "pkg.py"),
    );
    assert.ok((await Deno.lstat(join(farm, "greet"))).isSymlink);

    const second = await runCli([], { cwd: b, env });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.doesNotMatch(
      second.stdout,
      /Installing|Uninstalling|Generated|Cloned/,
    );
  }));
