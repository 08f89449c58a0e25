/**
 * Conformance with zc.buildout's tests/debugging.txt: a develop-egg recipe
 * whose install() reads an option the part does not have.
 *
 * Not ported: `-D` starting Python's post-mortem debugger (pdb) on the
 * error. Here `-D` only shows the stack of internal errors (README,
 * options); a missing option is a user error, reported the same way with
 * or without it.
 */
import assert from "node:assert/strict";
import { lines } from "./support.ts";
import { withRecipes, writeProject } from "./recipes_fixture.ts";

/** A mkdir recipe with a bug: install() reads `directory`, not `path`. */
const BUGGY = `
import os


class Mkdir:
    def __init__(self, buildout, name, options):
        self.options = options
        options['path'] = os.path.join(buildout['buildout']['directory'],
                                       options['path'])

    def install(self):
        folder = self.options['directory']
        os.mkdir(folder)
        return folder

    def update(self):
        pass
`;

Deno.test("debugging.txt: a recipe reading a missing option: While: Installing, Error: Missing option, exit 1", async () => {
  await withRecipes(
    "[buildout]\ndevelop = recipes\nparts = data-dir\n\n" +
      "[data-dir]\nrecipe = recipes:mkdir\npath = mystuff\n",
    async (s) => {
      await writeProject(s, "recipes", { mkdir: BUGGY }, {
        "zc.buildout": { mkdir: "mkdir:Mkdir" },
      });
      for (const args of [[], ["-D"]]) {
        const r = await s.run(...args);
        assert.equal(r.code, 1);
        assert.deepEqual(lines(r.stdout), [
          "Develop: '/sample-buildout/recipes'",
          "Installing data-dir.",
        ]);
        assert.deepEqual(lines(r.stderr), [
          "While:",
          "  Installing data-dir.",
          "Error: Missing option: data-dir:directory",
        ]);
      }
      assert.equal(await s.exists("mystuff"), false);
    },
  );
});
