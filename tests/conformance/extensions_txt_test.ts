/**
 * Conformance with zc.buildout's tests/extensions.txt: an extension from a
 * develop egg (`demo`, made by a first run without `extensions`), whose
 * `zc.buildout.extension` entry point runs before the develop eggs are made
 * and whose `zc.buildout.unloadextension` entry point runs at the end, both
 * printing the sorted section names of the buildout they are given.
 */
import assert from "node:assert/strict";
import { lines, withSample } from "./support.ts";
import { writeProject } from "./recipes_fixture.ts";

/** The doctest's extension: both entry points print the sections. */
const DEMO = `
import sys


def ext(buildout):
    sys.stdout.write('ext %s\\n' % sorted(buildout))


def unload(buildout):
    sys.stdout.write('unload %s\\n' % sorted(buildout))
`;

Deno.test("extensions.txt: a develop egg's extension and unload entry points run around the buildout", async () => {
  await withSample({
    "buildout.cfg": "[buildout]\ndevelop = demo\nparts =\n",
  }, async (s) => {
    for (const d of ["bin", "eggs", "develop-eggs", "parts"]) {
      await Deno.mkdir(`${s.dir}/${d}`);
    }
    await writeProject(s, "demo", { demo: DEMO }, {
      "zc.buildout.extension": { ext: "demo:ext" },
      "zc.buildout.unloadextension": { ext: "demo:unload" },
    });
    let r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Develop: '/sample-buildout/demo'"]);

    await s.write(
      "buildout.cfg",
      "[buildout]\ndevelop = demo\nextensions = demo\nparts =\n",
    );
    r = await s.run();
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "ext ['buildout', 'versions']",
      "Develop: '/sample-buildout/demo'",
      "unload ['buildout', 'versions']",
    ]);
    assert.equal(r.stderr, "");
  });
});
