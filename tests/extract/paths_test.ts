import assert from "node:assert/strict";
import {
  excluder,
  globToRegExp,
  resolveInside,
  splitEntryName,
} from "../../src/extract/paths.ts";

Deno.test("entry names: absolute ones are refused, ./ and empty parts dropped", () => {
  assert.deepEqual(splitEntryName("./pkg//mod.py"), ["pkg", "mod.py"]);
  assert.equal(splitEntryName("/etc/passwd"), undefined);
  assert.equal(splitEntryName("C:\\x"), undefined);
  assert.deepEqual(splitEntryName("a/../b"), ["a", "..", "b"]);
});

Deno.test("resolution follows the archive's links and stops at the root", () => {
  const links = new Map([["lib", "src/lib"], ["loop", "loop"], ["abs", "/x"]]);
  assert.deepEqual(resolveInside([], ["lib", "x.py"], links, true), {
    parts: ["src", "lib", "x.py"],
    minDepth: 0,
  });
  assert.deepEqual(resolveInside([], ["lib"], links, false)?.parts, ["lib"]);
  assert.equal(resolveInside(["a"], ["..", ".."], links, true), undefined);
  assert.equal(resolveInside([], ["loop", "x"], links, true), undefined);
  assert.equal(resolveInside([], ["abs", "x"], links, true), undefined);
  assert.equal(
    resolveInside(["top", "a"], ["..", "..", "top"], links, true)?.minDepth,
    0,
  );
});

Deno.test("excludes behave like fnmatch and cover what is below a match", () => {
  assert.ok(globToRegExp("docs/*").test("docs/a/b.txt"));
  assert.ok(globToRegExp("x[!a]y").test("xby"));
  assert.ok(!globToRegExp("x[!a]y").test("xay"));
  assert.ok(!globToRegExp("a.py").test("aXpy"));
  const excluded = excluder(["*.pyc", "pkg/tests"]);
  assert.ok(excluded(["pkg", "tests", "t.py"]));
  assert.ok(excluded(["pkg", "m.pyc"]));
  assert.ok(!excluded(["pkg", "m.py"]));
  assert.ok(!excluder()(["anything"]));
});
