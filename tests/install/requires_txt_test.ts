import assert from "node:assert/strict";
import { requiresTxt, sectionOf } from "../../src/install/requires_txt.ts";

Deno.test("Requires-Dist values land in setuptools' requires.txt sections", () => {
  assert.deepEqual(sectionOf("a (>=1)"), {
    section: "",
    requirement: "a (>=1)",
  });
  assert.deepEqual(sectionOf("b; extra == 'Test_Deps'"), {
    section: "test_deps",
    requirement: "b",
  });
  assert.deepEqual(sectionOf('c; extra == "x" and os_name == "nt"'), {
    section: 'x:os_name == "nt"',
    requirement: "c",
  });
  assert.deepEqual(
    sectionOf('d; (os_name == "nt" or os_name == "posix") and extra == "x"'),
    {
      section: 'x:os_name == "nt" or os_name == "posix"',
      requirement: "d",
    },
  );
  // `and` binds tighter than `or`: the extra cannot be split off here.
  assert.deepEqual(
    sectionOf('e; os_name == "nt" or python_version < "3" and extra == "x"'),
    {
      section: ':os_name == "nt" or python_version < "3" and extra == "x"',
      requirement: "e",
    },
  );
});

Deno.test("requires.txt: plain lines first, then sections in first-seen order", () => {
  assert.equal(
    requiresTxt([
      'x; extra == "t"',
      "a",
      'y; sys_platform == "win32"',
      'z; extra == "t"',
    ]),
    'a\n\n[t]\nx\nz\n\n[:sys_platform == "win32"]\ny\n',
  );
  assert.equal(requiresTxt(['x; extra == "t"']), "[t]\nx\n");
  assert.equal(requiresTxt([]), "");
});
