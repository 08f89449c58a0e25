/**
 * zc.recipe.testrunner through the CLI, against wheels made here: a fake
 * `zope.testrunner` whose `run()` prints what it was given, the working
 * directory and an environment variable, so running `bin/test` shows the
 * script's work.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

const FAKE_RUNNER = `import os
import sys


def run(defaults=None, args=None):
    print('defaults:', defaults)
    print('argv:', sys.argv[1:])
    print('cwd:', os.getcwd())
    print('env:', os.environ.get('TESTRUNNER_ENV'))
`;

/** The wheels: demo, demo2 (needs demoneeded), demoneeded, zope.testrunner. */
async function makeWheels(dir: string, withRunner = true): Promise<string> {
  const wheels = join(dir, "wheels");
  await Deno.mkdir(wheels, { recursive: true });
  const pkg = (name: string) => ({
    [`${name}/__init__.py`]: "",
    [`${name}/tests.py`]: "def test_suite():\n    pass\n",
  });
  await writeWheel(wheels, {
    name: "demo",
    version: "1.0",
    files: pkg("demo"),
  });
  await writeWheel(wheels, {
    name: "demo2",
    version: "1.0",
    files: pkg("demo2"),
    requires: ["demoneeded"],
  });
  await writeWheel(wheels, {
    name: "demoneeded",
    version: "1.0",
    files: pkg("demoneeded"),
  });
  if (withRunner) {
    await writeWheel(wheels, {
      name: "zope.testrunner",
      version: "6.0",
      files: { "zope/testrunner/__init__.py": FAKE_RUNNER },
    });
  }
  return wheels;
}

async function buildout(dir: string, body: string) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${dir}/wheels\nindex = ${dir}/empty-index\n${body}`,
  );
  return await runCli([], {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

async function run(path: string, env: Record<string, string> = {}) {
  const r = await new Deno.Command(path, { env }).output();
  assert.equal(r.code, 0, decode(r.stderr));
  return decode(r.stdout);
}

/** The egg folder of `name` in eggs/. */
async function egg(dir: string, name: string): Promise<string> {
  for await (const e of Deno.readDir(join(dir, "eggs"))) {
    if (e.name.startsWith(`${name}-`)) return join(dir, "eggs", e.name);
  }
  throw new Error(`no egg ${name}`);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

Deno.test("testrunner: bin/test runs zope.testrunner with a --test-path per listed egg, in parts/<part>", async () => {
  await withTempDir(async (dir) => {
    await makeWheels(dir);
    const cfg =
      "parts = testdemo\n\n[testdemo]\nrecipe = zc.recipe.testrunner\neggs =\n  demo\n  demo2\nscript = test\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(4), [
      "Installing testdemo.",
      "Getting distribution for 'demo'.",
      "Got demo 1.0.",
      "Getting distribution for 'demo2'.",
      "Got demo2 1.0.",
      "Getting distribution for 'zope.testrunner'.",
      "Got zope.testrunner 6.0.",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.0.",
      `Generated script '${dir}/bin/test'.`,
    ]);
    const [demo, demo2, needed, runner] = [
      await egg(dir, "demo"),
      await egg(dir, "demo2"),
      await egg(dir, "demoneeded"),
      await egg(dir, "zope.testrunner"),
    ];
    const text = await Deno.readTextFile(join(dir, "bin", "test"));
    assert.equal(
      text.split("\n").slice(1).join("\n"),
      `
import sys
sys.path[0:0] = [
  '${demo}',
  '${demo2}',
  '${runner}',
  '${needed}',
  ]

import os
sys.argv[0] = os.path.abspath(sys.argv[0])
os.chdir('${dir}/parts/testdemo')


import zope.testrunner

if __name__ == '__main__':
    sys.exit(zope.testrunner.run([
        '--test-path', '${demo}',
        '--test-path', '${demo2}',
        ]))
`,
    );
    assert.deepEqual(lines(await run(join(dir, "bin", "test"))), [
      `defaults: ['--test-path', '${demo}', '--test-path', '${demo2}']`,
      "argv: []",
      `cwd: ${dir}/parts/testdemo`,
      "env: None",
    ]);
    // A rerun changes nothing and keeps what the tests left in their folder.
    await Deno.writeTextFile(join(dir, "parts", "testdemo", "coverage"), "x");
    r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating testdemo."]);
    assert.ok(await exists(join(dir, "parts", "testdemo", "coverage")));
    assert.equal(await Deno.readTextFile(join(dir, "bin", "test")), text);
    // Removing the part removes the script and its folder.
    r = await buildout(dir, "parts =\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling testdemo."]);
    assert.equal(await exists(join(dir, "bin", "test")), false);
    assert.equal(await exists(join(dir, "parts", "testdemo")), false);
  });
});

Deno.test("testrunner: script defaults to the part name; defaults, environment, initialization, working-directory", async () => {
  await withTempDir(async (dir) => {
    await makeWheels(dir);
    let r = await buildout(
      dir,
      "parts = testdemo\n\n[testdemo]\nrecipe = zc.recipe.testrunner\neggs = demo\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(await exists(join(dir, "bin", "testdemo")));
    assert.ok(await exists(join(dir, "parts", "testdemo")));
    await Deno.mkdir(join(dir, "work"));
    r = await buildout(
      dir,
      "parts = testdemo\n\n[testdemo]\nrecipe = zc.recipe.testrunner\neggs = demo\n" +
        "defaults = ['--tests-pattern', '^f?tests$',\n  '-v'\n  ]\n" +
        "environment = testenv\nworking-directory = work\n" +
        "initialization = print('hello')\n  print('again')\n" +
        "\n[testenv]\nTESTRUNNER_ENV = 42\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling testdemo.",
      "Installing testdemo.",
      `Generated script '${dir}/bin/testdemo'.`,
    ]);
    // The part's own folder went with the old installation.
    assert.equal(await exists(join(dir, "parts", "testdemo")), false);
    const demo = await egg(dir, "demo");
    const text = await Deno.readTextFile(join(dir, "bin", "testdemo"));
    assert.ok(
      text.endsWith(
        `  ]

import os
sys.argv[0] = os.path.abspath(sys.argv[0])
os.chdir('${dir}/work')
os.environ['TESTRUNNER_ENV'] = '42'
print('hello')
print('again')

import zope.testrunner

if __name__ == '__main__':
    sys.exit(zope.testrunner.run((['--tests-pattern', '^f?tests$',
'-v'
]) + [
        '--test-path', '${demo}',
        ]))
`,
      ),
      text,
    );
    assert.deepEqual(lines(await run(join(dir, "bin", "testdemo"))), [
      "hello",
      "again",
      `defaults: ['--tests-pattern', '^f?tests$', '-v', '--test-path', '${demo}']`,
      "argv: []",
      `cwd: ${dir}/work`,
      "env: 42",
    ]);
    // The environment section is read on update too: a changed value lands.
    r = await buildout(
      dir,
      "parts = testdemo\n\n[testdemo]\nrecipe = zc.recipe.testrunner\neggs = demo\n" +
        "environment = testenv\nworking-directory = work\n" +
        "\n[testenv]\nTESTRUNNER_ENV = 43\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      lines(await run(join(dir, "bin", "testdemo"))).includes("env: 43"),
    );
  });
});

Deno.test("testrunner: relative-paths writes paths relative to the script; the buildout can move", async () => {
  await withTempDir(async (top) => {
    const dir = join(top, "one");
    await Deno.mkdir(dir);
    await makeWheels(dir);
    const r = await buildout(
      dir,
      "parts = test\nrelative-paths = true\n\n[test]\nrecipe = zc.recipe.testrunner\neggs = demo\n" +
        "extra-paths = /usr/local/zope/lib/python\n  ${buildout:directory}/sources\n",
    );
    assert.equal(r.code, 0, r.stderr);
    const name = (await egg(dir, "demo")).slice(dir.length + 1);
    const runner = (await egg(dir, "zope.testrunner")).slice(dir.length + 1);
    const text = await Deno.readTextFile(join(dir, "bin", "test"));
    assert.equal(
      text.split("\n").slice(1).join("\n"),
      `
import os

join = os.path.join
base = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))
base = os.path.dirname(base)

import sys
sys.path[0:0] = [
  join(base, '${name}'),
  join(base, '${runner}'),
  '/usr/local/zope/lib/python',
  join(base, 'sources'),
  ]

import os
sys.argv[0] = os.path.abspath(sys.argv[0])
os.chdir(join(base, 'parts/test'))


import zope.testrunner

if __name__ == '__main__':
    sys.exit(zope.testrunner.run([
        '--test-path', join(base, '${name}'),
        ]))
`,
    );
    await Deno.rename(dir, join(top, "two"));
    assert.deepEqual(lines(await run(join(top, "two", "bin", "test"))), [
      `defaults: ['--test-path', '${top}/two/${name}']`,
      "argv: []",
      `cwd: ${top}/two/parts/test`,
      "env: None",
    ]);
  });
});

Deno.test("testrunner: a missing environment section or zope.testrunner is one error line", async () => {
  await withTempDir(async (dir) => {
    await makeWheels(dir);
    let r = await buildout(
      dir,
      "parts = test\n\n[test]\nrecipe = zc.recipe.testrunner\neggs = demo\nenvironment = nosuch\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: The referenced section, 'nosuch', was not defined.",
    );
    assert.equal(await exists(join(dir, "bin", "test")), false);
    assert.equal(await exists(join(dir, "parts", "test")), false);
    await Deno.remove(join(dir, "wheels"), { recursive: true });
    await Deno.remove(join(dir, "eggs"), { recursive: true });
    await makeWheels(dir, false);
    r = await buildout(
      dir,
      "parts = test\n\n[test]\nrecipe = zc.recipe.testrunner\neggs = demo\n",
    );
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes("While:\n  Installing test.\n"), r.stderr);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Couldn't find a distribution for 'zope.testrunner'.",
    );
    assert.equal(await exists(join(dir, "bin", "test")), false);
  });
});
