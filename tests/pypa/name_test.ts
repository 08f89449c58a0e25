import assert from "node:assert/strict";
import {
  eggFolderName,
  eggSafeName,
  eggSafeVersion,
  normalizeName,
} from "../../src/pypa/name.ts";

Deno.test("normalizeName follows PEP 503", () => {
  assert.equal(normalizeName("MIXEDCASE"), "mixedcase");
  assert.equal(normalizeName("Foo.Bar__baz"), "foo-bar-baz");
  assert.equal(normalizeName("zope.interface"), "zope-interface");
  assert.equal(normalizeName("a-_.-b"), "a-b");
  assert.equal(normalizeName("du_zipped"), normalizeName("Du-Zipped"));
});

Deno.test("eggSafeName keeps case and dots, escapes the rest", () => {
  assert.equal(eggSafeName("zope.interface"), "zope.interface");
  assert.equal(eggSafeName("my-project"), "my_project");
  assert.equal(eggSafeName("MIXEDCASE"), "MIXEDCASE");
  assert.equal(eggSafeName("a - b"), "a_b");
});

Deno.test("eggSafeVersion canonicalises valid versions", () => {
  assert.equal(eggSafeVersion("0.4c1"), "0.4rc1");
  assert.equal(eggSafeVersion("1.0-post1"), "1.0.post1");
  assert.equal(eggSafeVersion("1.0+local.1"), "1.0+local.1");
  assert.equal(eggSafeVersion("not a-version"), "not_a_version");
});

Deno.test("eggFolderName builds buildout's egg folder names", () => {
  assert.equal(eggFolderName("demo", "0.2", "3.11"), "demo-0.2-py3.11.egg");
  assert.equal(
    eggFolderName("ext-demo", "1.4", "3.11", "linux-x86_64"),
    "ext_demo-1.4-py3.11-linux-x86_64.egg",
  );
});
