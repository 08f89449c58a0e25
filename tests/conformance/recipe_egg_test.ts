/**
 * Conformance with zc.recipe.egg's own doctests (zc.recipe.egg_/src/zc/recipe/egg/
 * README.rst and api.rst), run through this project's command line against the
 * seed's sample distributions on the test link server.
 *
 * The doctests go step by step through one buildout; so do these tests (one
 * `t.step` per scenario, each building on the previous one's state).
 *
 * Differences that apply everywhere below (README.md, "How it differs from
 * zc.buildout"): eggs are installed straight into `eggs/` (zc.buildout 3 uses
 * `eggs/v5/`), the sample distributions are the seed's `.egg` files and zip
 * sdists (`demo-0.2-py3.11.egg`, `demoneeded-1.1.zip`) where the doctests have
 * wheels and tarballs, there is no `bin/buildout` (recipes are built in), and the
 * shebang is the target Python's path.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { withTempDir } from "../support/run.ts";
import {
  lines,
  LINKS,
  ls,
  runScript,
  type Sample,
  sampleBuildout,
} from "./sample.ts";

/** The eggs folder without hidden entries (the remembered interpreter answer). */
async function eggs(dir: string): Promise<string[]> {
  return (await ls(dir, "eggs")).filter((e) => !e.startsWith("d  ."));
}

/** A `[demo]`-style part against the link server, with `body` appended. */
function partCfg(server: string, part: string, body: string, top = ""): string {
  return `[buildout]\nparts = ${part}\n${top}\n[${part}]\n` +
    `find-links = ${server}\nindex = ${server}index\n${body}`;
}

/** The first line of a script: its shebang, which names the target Python. */
async function shebangOf(path: string): Promise<string> {
  const text = await Deno.readTextFile(path);
  const first = text.slice(0, text.indexOf("\n"));
  assert.match(first, /^#!\S*python/);
  return first;
}

Deno.test("zc.recipe.egg README: eggs, scripts, interpreter, updates and script options", async (t) => {
  const server = await startLinkServer(LINKS);
  try {
    await withTempDir(async (root) => {
      const s: Sample = await sampleBuildout(root);
      const { dir } = s;
      const cfg = (part: string, body: string, top = "") =>
        s.write(partCfg(server.url, part, body, top));
      const ok = async (args: string[] = []) => {
        const r = await s.run(args);
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        return lines(r.stdout);
      };

      await t.step(
        "the :eggs recipe installs eggs and their dependencies, no scripts",
        async () => {
          await cfg("demo", "recipe = zc.recipe.egg:eggs\neggs = demo<0.3\n");
          assert.deepEqual(await ok(), [
            "Installing demo.",
            "Getting distribution for 'demo<0.3'.",
            "Got demo 0.2.",
            "Getting distribution for 'demoneeded'.",
            "Got demoneeded 1.1.",
          ]);
          assert.deepEqual(await eggs(dir), [
            "d  demo-0.2-py3.11.egg",
            "d  demoneeded-1.1-py3.11.egg",
          ]);
          assert.deepEqual(await ls(dir, "bin"), []);
        },
      );

      await t.step(
        "the :scripts recipe writes the eggs' console scripts",
        async () => {
          await cfg(
            "demo",
            "recipe = zc.recipe.egg:scripts\neggs = demo<0.3\n",
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/demo'.`,
          ]);
          assert.deepEqual(await ls(dir, "bin"), ["-  demo"]);
        },
      );

      await t.step(
        "interpreter: the default recipe also writes a Python with the eggs on sys.path",
        async () => {
          await cfg(
            "demo",
            "recipe = zc.recipe.egg\neggs = demo<0.3\ninterpreter = py-demo\n",
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/demo'.`,
            `Generated interpreter '${dir}/bin/py-demo'.`,
          ]);
          assert.deepEqual(await ls(dir, "bin"), ["-  demo", "-  py-demo"]);
          assert.equal(await runScript(join(dir, "bin", "demo")), "2 1\n");
          // Fed a program on standard input, the interpreter runs it with the
          // eggs on sys.path: demo's egg, then demoneeded's.
          const out = await runScript(
            join(dir, "bin", "py-demo"),
            [],
            "import os, sys\nfor p in sys.path:\n    if 'demo' in p:\n" +
              "        _ = sys.stdout.write(os.path.basename(p)+'\\n')\n\n",
          );
          assert.deepEqual(
            lines(out.replaceAll(">>> ", "").replaceAll("... ", "")).slice(
              0,
              2,
            ),
            ["demo-0.2-py3.11.egg", "demoneeded-1.1-py3.11.egg"],
          );
        },
      );

      await t.step(
        "-N keeps the installed demo; eggs default to the part name",
        async () => {
          await cfg("demo", "recipe = zc.recipe.egg\n");
          assert.deepEqual(await ok(["-N"]), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/demo'.`,
          ]);
          assert.equal(await runScript(join(dir, "bin", "demo")), "2 1\n");
        },
      );

      await t.step(
        "newest mode updates demo to 0.3 and rewrites the script",
        async () => {
          assert.deepEqual(await ok(), [
            "Updating demo.",
            "Getting distribution for 'demo'.",
            "Got demo 0.3.",
            `Generated script '${dir}/bin/demo'.`,
          ]);
          assert.deepEqual(await eggs(dir), [
            "d  demo-0.2-py3.11.egg",
            "d  demo-0.3-py3.11.egg",
            "d  demoneeded-1.1-py3.11.egg",
          ]);
          assert.equal(await runScript(join(dir, "bin", "demo")), "3 1\n");
        },
      );

      await t.step("scripts present but empty: no scripts", async () => {
        await cfg("demo", "recipe = zc.recipe.egg\nscripts =\n");
        assert.deepEqual(await ok(), [
          "Uninstalling demo.",
          "Installing demo.",
        ]);
        assert.deepEqual(await ls(dir, "bin"), []);
      });

      await t.step("scripts = demo=foo renames the script", async () => {
        await cfg("demo", "recipe = zc.recipe.egg\nscripts = demo=foo\n");
        assert.deepEqual(await ok(), [
          "Uninstalling demo.",
          "Installing demo.",
          `Generated script '${dir}/bin/foo'.`,
        ]);
        assert.deepEqual(await ls(dir, "bin"), ["-  foo"]);
      });

      await t.step(
        "an undefined script name is reported, nothing written",
        async () => {
          await cfg("demo", "recipe = zc.recipe.egg\nscripts = undefined\n");
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            "Could not generate script 'undefined' as it is not defined in the egg entry points.",
          ]);
          assert.deepEqual(await ls(dir, "bin"), []);
          await cfg(
            "demo",
            "recipe = zc.recipe.egg\nscripts = foo=undefined\n",
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            "Could not generate script 'foo' as script 'undefined' is not defined in the egg entry points.",
          ]);
          assert.deepEqual(await ls(dir, "bin"), []);
        },
      );

      const extra =
        "extra-paths =\n   /foo/bar\n   ${buildout:directory}/spam\n";

      await t.step(
        "extra-paths come after the eggs in the script's sys.path",
        async () => {
          await cfg(
            "demo",
            `recipe = zc.recipe.egg\nscripts = demo=foo\n${extra}`,
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/foo'.`,
          ]);
          const foo = join(dir, "bin", "foo");
          assert.equal(
            await Deno.readTextFile(foo),
            `${await shebangOf(foo)}

import sys
sys.path[0:0] = [
  '${dir}/eggs/demo-0.3-py3.11.egg',
  '${dir}/eggs/demoneeded-1.1-py3.11.egg',
  '/foo/bar',
  '${dir}/spam',
  ]

import eggrecipedemo

if __name__ == '__main__':
    sys.exit(eggrecipedemo.main())
`,
          );
        },
      );

      const relativeScript = (shebang: string) =>
        `${shebang}

import os

join = os.path.join
base = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))
base = os.path.dirname(base)

import sys
sys.path[0:0] = [
  join(base, 'eggs/demo-0.3-py3.11.egg'),
  join(base, 'eggs/demoneeded-1.1-py3.11.egg'),
  '/foo/bar',
  join(base, 'spam'),
  ]

import eggrecipedemo

if __name__ == '__main__':
    sys.exit(eggrecipedemo.main())
`;

      await t.step(
        "relative-paths in the part: paths inside the buildout are relative to the script",
        async () => {
          await cfg(
            "demo",
            `recipe = zc.recipe.egg\nscripts = demo=foo\nrelative-paths = true\n${extra}`,
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/foo'.`,
          ]);
          const foo = join(dir, "bin", "foo");
          assert.equal(
            await Deno.readTextFile(foo),
            relativeScript(await shebangOf(foo)),
          );
        },
      );

      await t.step(
        "relative-paths set in [buildout] applies to the part",
        async () => {
          await cfg(
            "demo",
            `recipe = zc.recipe.egg\nscripts = demo=foo\n${extra}`,
            "relative-paths = true\n",
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/foo'.`,
          ]);
          const foo = join(dir, "bin", "foo");
          assert.equal(
            await Deno.readTextFile(foo),
            relativeScript(await shebangOf(foo)),
          );
        },
      );

      await t.step(
        "initialization (leading whitespace stripped) and arguments",
        async () => {
          await cfg(
            "demo",
            `recipe = zc.recipe.egg\nscripts = demo=foo\n${extra}` +
              "initialization = a = (1, 2\n                      3, 4)\n" +
              "interpreter = py\narguments = a, 2\n",
          );
          assert.deepEqual(await ok(), [
            "Uninstalling demo.",
            "Installing demo.",
            `Generated script '${dir}/bin/foo'.`,
            `Generated interpreter '${dir}/bin/py'.`,
          ]);
          const foo = join(dir, "bin", "foo");
          const paths = `sys.path[0:0] = [
  '${dir}/eggs/demo-0.3-py3.11.egg',
  '${dir}/eggs/demoneeded-1.1-py3.11.egg',
  '/foo/bar',
  '${dir}/spam',
  ]
`;
          assert.equal(
            await Deno.readTextFile(foo),
            `${await shebangOf(foo)}

import sys
${paths}
a = (1, 2
3, 4)

import eggrecipedemo

if __name__ == '__main__':
    sys.exit(eggrecipedemo.main(a, 2))
`,
          );
          // The interpreter: the same path set-up and initialization. What follows
          // is this project's own command-line handling, not zc.buildout's
          // `_interactive = True` / getopt body (the doctest elides it too).
          const py = join(dir, "bin", "py");
          const text = await Deno.readTextFile(py);
          assert.ok(
            text.startsWith(
              `${await shebangOf(
                py,
              )}\n\nimport sys\n\n${paths}\na = (1, 2\n3, 4)\n\n`,
            ),
            text,
          );
        },
      );

      await t.step("entry-points declares extra scripts", async () => {
        await cfg(
          "demo",
          `recipe = zc.recipe.egg\n${extra}` +
            "entry-points = alt=eggrecipedemo:alt other=foo.bar:a.b.c\n",
        );
        assert.deepEqual(await ok(), [
          "Uninstalling demo.",
          "Installing demo.",
          `Generated script '${dir}/bin/demo'.`,
          `Generated script '${dir}/bin/alt'.`,
          `Generated script '${dir}/bin/other'.`,
        ]);
        assert.deepEqual(await ls(dir, "bin"), [
          "-  alt",
          "-  demo",
          "-  other",
        ]);
        const other = join(dir, "bin", "other");
        assert.equal(
          await Deno.readTextFile(other),
          `${await shebangOf(other)}

import sys
sys.path[0:0] = [
  '${dir}/eggs/demo-0.3-py3.11.egg',
  '${dir}/eggs/demoneeded-1.1-py3.11.egg',
  '/foo/bar',
  '${dir}/spam',
  ]

import foo.bar

if __name__ == '__main__':
    sys.exit(foo.bar.a.b.c())
`,
        );
      });

      await t.step(
        "dependent-scripts = true writes the scripts of required eggs",
        async () => {
          await cfg(
            "bigdemo",
            "recipe = zc.recipe.egg\ndependent-scripts = true\n",
          );
          assert.deepEqual(await ok(["-N"]), [
            "Uninstalling demo.",
            "Installing bigdemo.",
            "Getting distribution for 'bigdemo'.",
            "Got bigdemo 0.1.",
            `Generated script '${dir}/bin/demo'.`,
          ]);
          assert.deepEqual(await ls(dir, "bin"), ["-  demo"]);
        },
      );
    });
  } finally {
    await server.close();
  }
});

Deno.test({
  name:
    "zc.recipe.egg api: the part's options are recorded with the computed directories",
  fn: async () => {
    const server = await startLinkServer(LINKS);
    try {
      await withTempDir(async (root) => {
        const s = await sampleBuildout(root);
        const { dir } = s;
        await s.write(
          // api.rst's recipe subclasses zc.recipe.egg.Scripts (the default
          // entry): the scripts recipe records _b and bin-directory too.
          `[buildout]\nparts = sample-part\n\n[sample-part]\nrecipe = zc.recipe.egg\n` +
            `eggs = demo<0.3\nfind-links = ${server.url}\nindex = ${server.url}index\n`,
        );
        const r = await s.run(["-q"]);
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
        const section = installed.slice(installed.indexOf("[sample-part]"));
        for (
          const line of [
            `_b = ${dir}/bin`,
            `_d = ${dir}/develop-eggs`,
            `_e = ${dir}/eggs`,
            `bin-directory = ${dir}/bin`,
            `develop-eggs-directory = ${dir}/develop-eggs`,
            "eggs = demo<0.3",
            `eggs-directory = ${dir}/eggs`,
            `find-links = ${server.url}`,
            `index = ${server.url}index`,
            "recipe = zc.recipe.egg",
          ]
        ) {
          assert.ok(section.includes(`\n${line}\n`), `${line}\n${section}`);
        }
      });
    } finally {
      await server.close();
    }
  },
});
