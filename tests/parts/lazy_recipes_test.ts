// Recipe code is loaded on demand: a buildout of built-in recipes loads only
// their modules and never the Python recipe bridge. Module state is per test
// file, so the order of the tests below matters.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  isBuiltinRecipe,
  loadRecipes,
  lookupRecipe,
  registeredRecipes,
} from "../../src/parts/recipe.ts";
import { partHooks } from "../../src/parts/hooks.ts";
import { BUILTIN_RECIPES } from "../../src/recipes/builtin.ts";
import { runCli, withTempDir } from "../support/run.ts";

Deno.test("a buildout of mkdir parts loads neither the egg recipe nor the bridge", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts = data\n\n[data]\nrecipe = mkdir\npath = stuff\n",
    );
    const r = await runCli(["-U"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await Deno.stat(join(dir, "stuff"))).isDirectory);
    assert.equal(partHooks.fallback, undefined); // the bridge was not imported
    assert.ok(isBuiltinRecipe("zc.recipe.egg")); // known, not loaded
    assert.throws(
      () => lookupRecipe("app", "zc.recipe.egg"),
      /used before loadRecipes/,
    );
    // ... and the no-op rerun does not load them either.
    const again = await runCli(["-U"], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(partHooks.fallback, undefined);
  });
});

Deno.test("each built-in module registers exactly the names listed for it", async () => {
  const listed = BUILTIN_RECIPES.flatMap(([names]) => names);
  for (const [names] of BUILTIN_RECIPES) {
    await loadRecipes(names);
    for (const n of names) {
      assert.equal(typeof lookupRecipe("p", n), "function");
    }
  }
  const display = (n: string) => n.replace(/:default$/, "");
  assert.deepEqual(
    registeredRecipes().filter((n) => !n.startsWith("test.")),
    [...new Set(listed.map(display))].sort(),
  );
});

Deno.test("a recipe that is not built in loads the bridge", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts = x\n\n[x]\nrecipe = some.python.recipe\n",
    );
    await runCli(["-U", "query", "x:recipe"], { cwd: dir });
    assert.equal(typeof partHooks.fallback, "function");
  });
});
