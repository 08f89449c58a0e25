/**
 * zc.recipe.egg through the CLI with real-shaped metadata: a folded
 * `Description:` header (as older wheel tools wrote it) must not hide the
 * `Requires-Dist` after it, and what cannot be parsed is a warning naming the
 * distribution.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { makeEgg, makeWheel } from "../install/support.ts";

const lines = (text: string) => text.split("\n").filter((l) => l !== "");
/** Output after the first run's "Creating directory" lines. */
const steps = (text: string) =>
  lines(text).filter((l) => !l.startsWith("Creating directory "));

async function buildout(dir: string, links: string, body: string) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${links}\nindex = ${dir}/empty-index\n${body}`,
  );
  return await runCli([], {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

const FOLDED = [
  "Summary: Folded description",
  "Description: Folded",
  "        ======",
  "        ",
  "        The first paragraph.",
  "        |",
  "\t",
  "        Usage::",
  "        ",
  "            folded",
  "        ",
  "Platform: UNKNOWN",
  "Requires-Python: >=3.6",
  "Requires-Dist: helper (>=1.0)",
];

Deno.test("a wheel with a folded Description gets its dependency installed and on the script's path", async () => {
  await withTempDir(async (dir) => {
    const links = join(dir, "links");
    await Deno.mkdir(links);
    await makeWheel(links, {
      name: "folded",
      version: "1.0",
      files: {
        "folded.py":
          "import sys\nimport helper\n\ndef main():\n    print(helper.WORD)\n    print('\\n'.join(sys.path))\n",
      },
      metadata: FOLDED,
      entryPoints: "[console_scripts]\nfolded = folded:main\n",
    });
    await makeWheel(links, {
      name: "helper",
      version: "1.2",
      files: { "helper.py": "WORD = 'helped'\n" },
    });
    const r = await buildout(
      dir,
      links,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs = folded\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(steps(r.stdout), [
      "Installing app.",
      "Getting distribution for 'folded'.",
      "Got folded 1.0.",
      "Getting distribution for 'helper>=1.0'.",
      "Got helper 1.2.",
      `Generated script '${dir}/bin/folded'.`,
    ]);
    const out = await new Deno.Command("python3", {
      args: [join(dir, "bin", "folded")],
    }).output();
    const printed = lines(new TextDecoder().decode(out.stdout));
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(printed[0], "helped");
    const real = await Deno.realPath(join(dir, "eggs"));
    assert.ok(
      printed.includes(`${real}/helper-1.2-py3.11.egg`),
      printed.join("\n"),
    );
  });
});

Deno.test("an unparseable requirement in metadata is a warning naming the distribution; the rest installs", async () => {
  await withTempDir(async (dir) => {
    const links = join(dir, "links");
    await Deno.mkdir(links);
    await makeWheel(links, {
      name: "broken",
      version: "1.0",
      files: { "broken.py": "" },
      metadata: ["Requires-Dist: x y z", "Requires-Dist: helper"],
    });
    await makeWheel(links, {
      name: "helper",
      version: "1.2",
      files: { "helper.py": "" },
    });
    await makeEgg(links, "oldegg", "2.0", { "oldegg.py": "" }, {
      "requires.txt": "helper\nnot valid !!\n",
    });
    const r = await buildout(
      dir,
      links,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg:eggs\neggs =\n  broken\n  oldegg\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(steps(r.stdout), [
      "Installing app.",
      "Getting distribution for 'broken'.",
      "Got broken 1.0.",
      "Couldn't parse requirement 'x y z' in metadata of broken 1.0: " +
      "invalid version specifier 'y z'; the requirement is ignored.",
      "Getting distribution for 'oldegg'.",
      "Got oldegg 2.0.",
      "Couldn't parse requirement 'not valid !!' in metadata of oldegg 2.0: " +
      "invalid version specifier 'valid !!'; the requirement is ignored.",
      "Getting distribution for 'helper'.",
      "Got helper 1.2.",
    ]);
  });
});
