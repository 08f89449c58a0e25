/**
 * Two distributions of one working set with the same top-level name: pytest 7
 * ships a one-file module `py.py`, the `py` distribution the package `py/`.
 * Scripts import the package, as one flat site-packages would, in whatever
 * order the eggs are listed, and the install warns once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

const WARNING =
  "Both py 1.11.0 and pytest 7.0.0 provide the top-level name 'py'; the package from py 1.11.0 is used.";

async function wheels(dir: string) {
  await writeWheel(dir, {
    name: "pytest",
    version: "7.0.0",
    files: {
      "py.py": "# shim of pytest 7\nSHIM = True\n",
      "pytest/__init__.py": "",
      "_pytest/__init__.py": "",
    },
  });
  // No top_level.txt: its names come from RECORD.
  await writeWheel(dir, {
    name: "py",
    version: "1.11.0",
    files: { "py/__init__.py": "PACKAGE = True\n" },
    topLevelTxt: false,
  });
}

async function importPy(dir: string): Promise<string> {
  const r = await new Deno.Command(join(dir, "bin", "x"), {
    args: ["-c", "import py; print(py.__file__)"],
  }).output();
  const dec = new TextDecoder();
  assert.equal(r.code, 0, dec.decode(r.stderr));
  return dec.decode(r.stdout);
}

for (const listing of [["pytest", "py"], ["py", "pytest"]]) {
  Deno.test(`name clash: eggs = ${listing.join(", ")}: the package 'py' wins over pytest's py.py, one warning`, async () => {
    await withTempDir(async (dir) => {
      const srv = join(dir, "srv");
      await Deno.mkdir(srv);
      await wheels(srv);
      const server = await startLinkServer(srv);
      try {
        await Deno.writeTextFile(
          join(dir, "buildout.cfg"),
          `[buildout]\nparts = x\nfind-links = ${server.url}\nindex = ${server.url}index/\n\n` +
            `[x]\nrecipe = zc.recipe.egg\neggs =\n  ${
              listing.join("\n  ")
            }\ninterpreter = x\n`,
        );
        const r = await runCli([], {
          cwd: dir,
          env: { BUILDOUT_HOME: join(dir, "none") },
        });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout.split(WARNING).length - 1, 1, r.stdout);
        assert.equal(
          await importPy(dir),
          `${dir}/eggs/py-1.11.0-py3.11.egg/py/__init__.py\n`,
        );
        // The py egg is just ahead of pytest's.
        const script = await Deno.readTextFile(join(dir, "bin", "x"));
        assert.ok(
          script.includes(
            `  '${dir}/eggs/py-1.11.0-py3.11.egg',\n` +
              `  '${dir}/eggs/pytest-7.0.0-py3.11.egg',\n  ]`,
          ),
          script,
        );
      } finally {
        await server.close();
      }
    });
  });
}
