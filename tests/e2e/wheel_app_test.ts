/**
 * A real wheel-based application installed from a local find-links folder
 * (no server, no pip), its console script run with python3, then a pin and an
 * interpreter script.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runSubprocess, withTempDir } from "../support/run.ts";

const WHEELS = fileURLToPath(new URL("../../fixtures/wheels", import.meta.url));
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

async function run(cmd: string, args: string[] = []): Promise<string> {
  const r = await new Deno.Command(cmd, { args, stderr: "inherit" }).output();
  assert.equal(r.code, 0);
  return new TextDecoder().decode(r.stdout);
}

Deno.test("a wheel application installs natively and its console script runs", async () => {
  await withTempDir(async (dir) => {
    const env = { BUILDOUT_HOME: join(dir, "no-home") };
    const write = (extra: string) =>
      Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts = app\nfind-links = ${WHEELS}\nindex = ${WHEELS}\n` +
          `show-picked-versions = true\n${extra}\n` +
          `[app]\nrecipe = zc.recipe.egg\neggs = greet\ninterpreter = py\n`,
      );
    await write("");
    let r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.deepEqual(
      lines(r.stdout),
      [
        `Creating directory '${dir}/eggs'.`,
        `Creating directory '${dir}/bin'.`,
        `Creating directory '${dir}/parts'.`,
        `Creating directory '${dir}/develop-eggs'.`,
        "Installing app.",
        "Getting distribution for 'greet'.",
        "Got greet 1.0.",
        "Getting distribution for 'colorword>=1.0'.",
        "Got colorword 1.1.",
        `Generated script '${dir}/bin/greet'.`,
        `Generated interpreter '${dir}/bin/py'.`,
        "Versions had to be automatically picked.",
        "The following part definition lists the versions picked:",
        "[versions]",
        "greet = 1.0",
        "",
        "# Required by:",
        "# greet==1.0",
        "colorword = 1.1",
      ].filter((l) => l !== ""),
    );
    const eggs = [];
    for await (const e of Deno.readDir(join(dir, "eggs"))) {
      if (!e.name.startsWith(".")) eggs.push(e.name); // .interpreters: the probe memo
    }
    assert.deepEqual(eggs.sort(), [
      "colorword-1.1-py3.11.egg",
      "greet-1.0-py3.11.egg",
    ]);
    assert.equal(
      await run(join(dir, "bin", "greet"), ["world"]),
      "**Hello, world!**\ncolorword 1.1\n",
    );
    assert.equal(
      await run(join(dir, "bin", "py"), [
        "-c",
        "import colorword; print(colorword.emphasize('x'))",
      ]),
      "**x**\n",
    );

    // A pin to the older dependency: the part is reinstalled with it.
    await write("[versions]\ncolorword = 1.0\n");
    r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Updating app.",
      "Getting distribution for 'colorword==1.0'.",
      "Got colorword 1.0.",
      `Generated script '${dir}/bin/greet'.`,
      `Generated interpreter '${dir}/bin/py'.`,
      "Versions had to be automatically picked.",
      "The following part definition lists the versions picked:",
      "[versions]",
      "greet = 1.0",
    ]);
    assert.equal(
      await run(join(dir, "bin", "greet"), ["you"]),
      "*Hello, you!*\ncolorword 1.0\n",
    );
  });
});
