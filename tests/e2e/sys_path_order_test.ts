/**
 * The order of the `sys.path` block in generated scripts, for a dependency
 * graph of several levels, a develop egg and extra-paths: what zc.buildout
 * writes once the eggs are installed.
 *
 * zc.buildout's installer obtains the requested distributions in the order
 * given, then works through a queue that starts with the requested
 * requirements reversed, each distribution's requirements appended reversed;
 * the working set is in the order distributions are first reached. The egg
 * recipe then puts develop eggs first, then eggs, then `extra-paths`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** A one-module wheel `name` 1.0 requiring `requires`. */
function wheel(dir: string, name: string, requires: string[] = []) {
  return writeWheel(dir, {
    name,
    version: "1.0",
    files: { [`${name}.py`]: `def main():\n    print('${name}')\n` },
    requires,
    entryPoints: name === "app"
      ? { console_scripts: { app: "app:main" } }
      : undefined,
  });
}

Deno.test("sys.path: develop egg, then eggs in buildout's queue order (app, tool, b, a, e, d, c), then extra-paths; the same on every run", async () => {
  await withTempDir(async (dir) => {
    const wheels = join(dir, "wheels");
    await Deno.mkdir(wheels);
    await Deno.mkdir(join(dir, "empty"));
    await wheel(wheels, "app", ["a", "b"]);
    await wheel(wheels, "tool", ["dev"]);
    await wheel(wheels, "a", ["c"]);
    await wheel(wheels, "b", ["c", "d"]);
    for (const n of ["c", "d", "e"]) await wheel(wheels, n);
    const dev = join(dir, "dev");
    await Deno.mkdir(dev);
    await Deno.writeTextFile(
      join(dev, "setup.py"),
      "from setuptools import setup\n" +
        "setup(name='dev', version='0.1', py_modules=['dev'], install_requires=['e'])\n",
    );
    await Deno.writeTextFile(join(dev, "dev.py"), "");
    await Deno.mkdir(join(dir, "extra"));
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      `[buildout]\ndevelop = dev\nparts = x\nfind-links = ${wheels}\nindex = ${dir}/empty\n\n` +
        "[x]\nrecipe = zc.recipe.egg\neggs =\n  app\n  tool\ninterpreter = py\nextra-paths = extra\n",
    );
    const env = { BUILDOUT_HOME: join(dir, "none") };
    let r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    // Distributions are obtained in the same order.
    assert.deepEqual(
      lines(r.stdout).filter((l) => l.startsWith("Got ")),
      ["app", "tool", "b", "a", "e", "d", "c"].map((n) => `Got ${n} 1.0.`),
    );
    const egg = (n: string) => `  '${dir}/eggs/${n}-1.0-py3.11.egg',`;
    const block = [
      "sys.path[0:0] = [",
      `  '${dev}',`,
      ...["app", "tool", "b", "a", "e", "d", "c"].map(egg),
      `  '${dir}/extra',`,
      "  ]",
    ].join("\n");
    const script = await Deno.readTextFile(join(dir, "bin", "app"));
    assert.ok(script.includes(block), script);
    const py = await Deno.readTextFile(join(dir, "bin", "py"));
    assert.ok(py.includes(block), py);
    // zc.buildout puts freshly downloaded eggs in front on the first run and
    // writes this order only from the second run on; here the second run
    // finds nothing to change.
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes("Generated"), r.stdout);
    assert.equal(await Deno.readTextFile(join(dir, "bin", "app")), script);
  });
});
