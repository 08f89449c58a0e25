/**
 * Conformance with zc.buildout's tests/dependencylinks.txt: a develop egg
 * whose setup.py gives `dependency_links`, and `use-dependency-links`.
 *
 * The scenarios that need dependency links to be followed are pending (the
 * option is being implemented); those where they play no part run now. The
 * second link server stands for the doctest's logging server: which of the
 * two served `demoneeded` shows in its request log. The sample links hold
 * `demoneeded-1.1.zip` where the doctest has a tarball.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";
import { withTempDir } from "../support/run.ts";
import { lines, LINKS, type Sample, sampleBuildout } from "./sample.ts";

/** Write the develop project `depdemo`, with `dependency_links` or without. */
async function depdemo(dir: string, links?: string): Promise<void> {
  const src = join(dir, "depdemo");
  await Deno.mkdir(src, { recursive: true });
  await Deno.writeTextFile(
    join(src, "dependencydemo.py"),
    "import eggrecipedemoneeded\n",
  );
  await Deno.writeTextFile(
    join(src, "setup.py"),
    "from setuptools import setup\nsetup(\n    name='depdemo',\n" +
      "    version='1',\n    py_modules=['dependencydemo'],\n" +
      "    install_requires='demoneeded',\n" +
      (links ? `    dependency_links=['${links}'],\n` : "") +
      "    zip_safe=True,\n)\n",
  );
}

/** The doctest's buildout: an eggs part for the develop egg `depdemo`. */
function cfg(top = ""): string {
  return `[buildout]\ndevelop = depdemo\nparts = eggs\n${top}\n` +
    "[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = depdemo\n";
}

/** Remove the installed demoneeded eggs, as the doctest does between runs. */
async function removeDemoneeded(dir: string): Promise<void> {
  for await (const e of Deno.readDir(join(dir, "eggs"))) {
    if (e.name.startsWith("demoneeded")) {
      await Deno.remove(join(dir, "eggs", e.name), { recursive: true });
    }
  }
}

/** A sample buildout and two link servers; the second one logs requests. */
async function withServers(
  fn: (s: Sample, main: LinkServer, logged: LinkServer) => Promise<void>,
): Promise<void> {
  const main = await startLinkServer(LINKS);
  const logged = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (root) =>
      fn(await sampleBuildout(root), main, logged)
    );
  } finally {
    await logged.close();
    await main.close();
  }
}

Deno.test("dependencylinks.txt: without dependency links, only find-links are searched", async () => {
  await withServers(async (s, main, logged) => {
    await depdemo(s.dir);
    // Nowhere to look: demoneeded cannot be found.
    await s.write(cfg());
    const r = await s.run();
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Couldn't find a distribution for 'demoneeded'.",
    );
    // find-links given: demoneeded comes from there.
    await s.write(cfg(`find-links = ${main.url}\n`));
    const ok = await s.run();
    assert.equal(ok.stderr, "");
    assert.equal(ok.code, 0);
    assert.deepEqual(lines(ok.stdout), [
      `Develop: '${s.dir}/depdemo'`,
      "Installing eggs.",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.1.",
    ]);
    assert.deepEqual(logged.log(), []);
  });
});

Deno.test("dependencylinks.txt: use-dependency-links = false ignores the develop egg's links", async () => {
  await withServers(async (s, main, logged) => {
    await depdemo(s.dir, logged.url);
    await s.write(
      cfg(`find-links = ${main.url}\nuse-dependency-links = false\n`),
    );
    const r = await s.run();
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), [
      `Develop: '${s.dir}/depdemo'`,
      "Installing eggs.",
      "Getting distribution for 'demoneeded'.",
      "Got demoneeded 1.1.",
    ]);
    assert.deepEqual(logged.log(), []);
  });
});

Deno.test(
  {
    name:
      "dependencylinks.txt: dependency links are searched, unless turned off",
  },
  async () => {
    await withServers(async (s, main, logged) => {
      const gotFromLogged = async () => {
        const r = await s.run();
        assert.equal(r.stderr, "");
        assert.equal(r.code, 0);
        assert.deepEqual(lines(r.stdout).slice(-2), [
          "Getting distribution for 'demoneeded'.",
          "Got demoneeded 1.1.",
        ]);
        assert.ok(
          logged.log().includes("GET 200 /demoneeded-1.1.zip"),
          logged.log().join("\n"),
        );
        logged.clearLog();
      };
      // Links only in setup.py.
      await depdemo(s.dir, logged.url);
      await s.write(cfg());
      await gotFromLogged();
      // Both: zc.buildout takes the file from the dependency link first.
      // Here the link's page is searched too, but the file comes from either
      // source by the normal tie-break (README, "How it differs").
      const searchedLogged = async () => {
        const r = await s.run();
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(lines(r.stdout).slice(-1), ["Got demoneeded 1.1."]);
        assert.ok(logged.log().includes("GET 200 /"), logged.log().join("\n"));
        logged.clearLog();
      };
      await removeDemoneeded(s.dir);
      await s.write(cfg(`find-links = ${main.url}\n`));
      await searchedLogged();
      // Turned off, then explicitly on again.
      await removeDemoneeded(s.dir);
      await s.write(
        cfg(`find-links = ${main.url}\nuse-dependency-links = false\n`),
      );
      assert.equal((await s.run()).code, 0);
      assert.deepEqual(logged.log(), []);
      await removeDemoneeded(s.dir);
      await s.write(
        cfg(`find-links = ${main.url}\nuse-dependency-links = true\n`),
      );
      await searchedLogged();
    });
  },
);

Deno.test(
  {
    name: "dependencylinks.txt: the not-found error's context, exactly",
  },
  async () => {
    await withServers(async (s) => {
      await depdemo(s.dir);
      await s.write(cfg());
      const r = await s.run();
      assert.equal(r.code, 1);
      assert.ok(
        r.stderr.endsWith(
          "While:\n  Installing eggs.\n  Getting distribution for 'demoneeded'.\n" +
            "Error: Couldn't find a distribution for 'demoneeded'.\n",
        ),
        r.stderr,
      );
    });
  },
);
