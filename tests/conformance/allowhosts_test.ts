/**
 * Conformance with zc.buildout's src/zc/buildout/tests/allowhosts.txt:
 * `allow-hosts` keeps buildout away from hosts it does not list, whether they
 * come from `find-links` or from a distribution's `dependency_links`.
 *
 * The doctest's develop egg points its dependency link at an outside host;
 * here it points at the test link server (which also serves the find-links
 * page), so the tests can show that no request at all reached it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";
import { withTempDir } from "../support/run.ts";
import { lines, LINKS, type Sample, sampleBuildout } from "./sample.ts";

/** The doctest's develop project: `allowdemo` needs `kss.core` and names a dependency link. */
async function allowdemo(dir: string, link: string): Promise<void> {
  const src = join(dir, "allowdemo");
  await Deno.mkdir(src);
  await Deno.writeTextFile(
    join(src, "dependencydemo.py"),
    "import eggrecipekss.core\n",
  );
  await Deno.writeTextFile(
    join(src, "setup.py"),
    "from setuptools import setup\n" +
      "setup(name='allowdemo', py_modules=['dependencydemo'],\n" +
      "      install_requires='kss.core', dependency_links=[" +
      JSON.stringify(link) + "],\n" +
      "      zip_safe=True, version='1')\n",
  );
}

/** Set up the sample buildout and the server, run `fn`, close the server. */
async function withAllowdemo(
  fn: (s: Sample, server: LinkServer) => Promise<void>,
): Promise<void> {
  const server = await startLinkServer(LINKS);
  try {
    await withTempDir(async (root) => {
      const s = await sampleBuildout(root);
      await allowdemo(s.dir, server.url);
      await fn(s, server);
    });
  } finally {
    await server.close();
  }
}

const cfg = (server: string, allow: string) =>
  `[buildout]\ndevelop = allowdemo\nparts = eggs\nfind-links = ${server}\n` +
  `allow-hosts =\n    ${allow}\n\n[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = allowdemo\n`;

for (
  const [title, allow] of [
    ["only pypi.org allowed", "pypi.org"],
    ["a pattern that matches no host", "^(!svn://).*"],
  ]
) {
  Deno.test(`allowhosts.txt: ${title}: a dependency on a disallowed host is not found`, async () => {
    await withAllowdemo(async (s, server) => {
      await s.write(cfg(server.url, allow));
      await fetch(server.url + "enable_server_logging").then((r) => r.text());
      server.clearLog();
      const r = await s.run();
      assert.equal(r.code, 1);
      // The doctest: the Develop line, "Installing eggs...", then elided lines.
      const out = lines(r.stdout);
      const at = out.indexOf(`Develop: '${s.dir}/allowdemo'`);
      assert.ok(at >= 0, r.stdout);
      assert.equal(out[at + 1], "Installing eggs.");
      assert.equal(out.at(-1), "Getting distribution for 'kss.core'.");
      assert.match(r.stderr, /^While:\n {2}Installing eggs\.\n/);
      assert.ok(
        r.stderr.endsWith(
          "Error: Couldn't find a distribution for 'kss.core'.\n",
        ),
        r.stderr,
      );
      // Neither the find-links page nor the dependency link was asked.
      assert.deepEqual(server.log(), []);
    });
  });
}

Deno.test({
  name: "allowhosts.txt: the error names the distribution being got",
  fn: async () => {
    await withAllowdemo(async (s, server) => {
      await s.write(cfg(server.url, "pypi.org"));
      const r = await s.run();
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        "While:\n  Installing eggs.\n  Getting distribution for 'kss.core'.\n" +
          "Error: Couldn't find a distribution for 'kss.core'.\n",
      );
    });
  },
});

/** Bug 239212: a [buildout] option referring to the part's `interpreter`. */
async function interpreterReference(): Promise<
  { dir: string; stdout: string; code: number; stderr: string }
> {
  let out = { dir: "", stdout: "", code: -1, stderr: "" };
  await withTempDir(async (root) => {
    const s = await sampleBuildout(root);
    // The doctest's interpreter is for zc.buildout itself; demoneeded (no
    // scripts) stands in for it here.
    await s.write(
      `[buildout]\nparts=python\nfind-links = ${LINKS}\nfoo = \${python:interpreter}\n\n` +
        "[python]\nrecipe=zc.recipe.egg\neggs=demoneeded\ninterpreter=python\n",
    );
    out = { dir: s.dir, ...(await s.run()) };
  });
  return out;
}

Deno.test("allowhosts.txt: bug 239212: an option referring to the interpreter option works", async () => {
  const r = await interpreterReference();
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  const out = lines(r.stdout);
  assert.ok(out.includes("Installing python."), r.stdout);
  assert.equal(out.at(-1), `Generated interpreter '${r.dir}/bin/python'.`);
});

Deno.test({
  name:
    "allowhosts.txt: bug 239212: the unused [buildout] option is reported first",
  fn: async () => {
    const r = await interpreterReference();
    assert.deepEqual(lines(r.stdout).slice(0, 3), [
      "Section `buildout` contains unused option(s): 'foo'.",
      "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
      "Installing python.",
    ]);
  },
});
