import assert from "node:assert/strict";
import {
  lookupRecipe,
  parseRecipeSpec,
  recipeSignature,
  registeredRecipes,
  registerRecipe,
} from "../../src/parts/recipe.ts";
import "../../src/recipes/builtin.ts";
import { UserError } from "../../src/errors.ts";
import { VERSION } from "../../src/version.ts";

Deno.test("recipe = name[:entry], entry default, version specifier dropped", () => {
  assert.deepEqual(parseRecipeSpec("zc.recipe.egg:scripts"), {
    name: "zc.recipe.egg",
    entry: "scripts",
  });
  assert.deepEqual(parseRecipeSpec(" mkdir "), {
    name: "mkdir",
    entry: "default",
  });
  assert.deepEqual(parseRecipeSpec("spam >0:foo"), {
    name: "spam",
    entry: "foo",
  });
  assert.throws(
    () => parseRecipeSpec("a:b:c"),
    new UserError("Invalid recipe specification: 'a:b:c'"),
  );
});

Deno.test("lookup by any registered name; entries are distinct", () => {
  const f1 = () => ({ install: () => Promise.resolve(["1"]) });
  const f2 = () => ({ install: () => Promise.resolve(["2"]) });
  registerRecipe(["Test.Recipe", "test.recipe:other"], f1);
  registerRecipe(["test.recipe:second"], f2);
  assert.equal(lookupRecipe("p", "test.recipe"), f1);
  assert.equal(lookupRecipe("p", "test_recipe:default"), f1);
  assert.equal(lookupRecipe("p", "test.recipe:other"), f1);
  assert.equal(lookupRecipe("p", "test.recipe:second"), f2);
  assert.ok(registeredRecipes().includes("z3c.recipe.mkdir"));
  assert.ok(registeredRecipes().includes("mkdir"));
});

Deno.test("an unknown recipe names the part and the recipe", () => {
  assert.throws(() => lookupRecipe("web", "test.recipe:nope"), (err) => {
    assert.ok(err instanceof UserError);
    assert.match(
      err.message,
      /^Unknown recipe 'test.recipe:nope' in part 'web'; built-in recipes: /,
    );
    return true;
  });
});

Deno.test("the signature is the recipe plus the tool version", () => {
  assert.equal(
    recipeSignature("z3c.recipe.mkdir"),
    `z3c-recipe-mkdir:default buildout-deno-${VERSION}`,
  );
});
