/**
 * Conformance with zc.buildout's tests/allow-unknown-extras.txt: asking for
 * an extra a distribution does not define is an error, unless
 * `allow-unknown-extras = true` turns it into a warning.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../support/run.ts";
import { lines, type Sample, sampleBuildout } from "./sample.ts";

/** The develop project `allowdemo` (no extras) and the buildout asking for one. */
async function setUp(s: Sample, top = ""): Promise<void> {
  const src = join(s.dir, "allowdemo");
  await Deno.mkdir(src, { recursive: true });
  await Deno.writeTextFile(
    join(src, "dependencydemo.py"),
    "import eggrecipekss.core\n",
  );
  await Deno.writeTextFile(
    join(src, "setup.py"),
    "from setuptools import setup\nsetup(name='allowdemo', version='1',\n" +
      "      py_modules=['dependencydemo'], zip_safe=True)\n",
  );
  await s.write(
    `[buildout]\ndevelop = allowdemo\nparts = eggs\n${top}\n` +
      "[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = allowdemo[bad_extra]\n",
  );
}

// The wording of zc.buildout's easy_install.py today (its doctest elides the
// end of the sentence, which changed).
const UNKNOWN_EXTRA = "Error: Couldn't find the required extra. " +
  "This means the requirement is incorrect. If the requirement is itself " +
  "from software you requested, then there might be a bug in requested " +
  "software. You can ignore this by using 'allow-unknown-extras=true', " +
  "however that may simply cause needed software to be omitted.";

Deno.test("allow-unknown-extras.txt: an unknown extra is an error by default", async () => {
  await withTempDir(async (root) => {
    const s = await sampleBuildout(root);
    await setUp(s);
    const r = await s.run();
    assert.equal(r.code, 1);
    const out = lines(r.stdout);
    assert.equal(out[0], `Develop: '${s.dir}/allowdemo'`);
    assert.equal(out[1], "Installing eggs.");
    const err = lines(r.stderr);
    assert.deepEqual(err.slice(0, 2), ["While:", "  Installing eggs."]);
    assert.equal(err.at(-1), UNKNOWN_EXTRA);
  });
});

Deno.test(
  {
    name:
      "allow-unknown-extras.txt: allow-unknown-extras = true warns and goes on",
  },
  async () => {
    await withTempDir(async (root) => {
      const s = await sampleBuildout(root);
      await setUp(s, "allow-unknown-extras = true\n");
      const r = await s.run();
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.deepEqual(lines(r.stdout), [
        `Develop: '${s.dir}/allowdemo'`,
        "Installing eggs.",
        "allowdemo 1 does not provide the extra 'bad_extra'",
      ]);
    });
  },
);
