import assert from "node:assert/strict";
import {
  consoleScript,
  interpreterScript,
} from "../../src/scripts/generate.ts";

const eggs = [
  "/b/eggs/demo-0.2-py3.11.egg",
  "/b/eggs/demoneeded-1.1-py3.11.egg",
];

Deno.test("console script: buildout's exact layout", () => {
  const text = consoleScript({
    python: "/usr/bin/python3",
    scriptDir: "/b/bin",
    paths: eggs,
    module: "eggrecipedemo",
    attrs: "main",
  });
  assert.equal(
    text,
    `#!/usr/bin/python3

import sys
sys.path[0:0] = [
  '/b/eggs/demo-0.2-py3.11.egg',
  '/b/eggs/demoneeded-1.1-py3.11.egg',
  ]

import eggrecipedemo

if __name__ == '__main__':
    sys.exit(eggrecipedemo.main())
`,
  );
});

Deno.test("console script: initialization framed by empty lines, arguments in the call", () => {
  const text = consoleScript({
    python: "/usr/bin/python3",
    scriptDir: "/b/bin",
    paths: eggs,
    module: "eggrecipedemo",
    attrs: "main",
    arguments: "1, 2",
    initialization: 'import os\nos.chdir("foo")',
  });
  assert.equal(
    text,
    `#!/usr/bin/python3

import sys
sys.path[0:0] = [
  '/b/eggs/demo-0.2-py3.11.egg',
  '/b/eggs/demoneeded-1.1-py3.11.egg',
  ]

import os
os.chdir("foo")

import eggrecipedemo

if __name__ == '__main__':
    sys.exit(eggrecipedemo.main(1, 2))
`,
  );
});

Deno.test("console script: dotted attributes and a module outside any egg", () => {
  const text = consoleScript({
    python: "/usr/bin/python3",
    scriptDir: "/b/bin",
    paths: [],
    module: "foo.bar",
    attrs: "a.b.c",
  });
  assert.ok(
    text.endsWith(
      "\nimport foo.bar\n\nif __name__ == '__main__':\n    sys.exit(foo.bar.a.b.c())\n",
    ),
  );
  assert.ok(text.includes("sys.path[0:0] = [\n  \n  ]\n"));
});

Deno.test("console script: relative paths, one dirname per level, outside paths absolute", () => {
  const text = consoleScript({
    python: "/usr/bin/python3",
    scriptDir: "/b/bin",
    relativeTo: "/b",
    paths: ["/b/eggs/demo-0.3-py3.11.egg", "/ba'r", "/b", "/b/foo"],
    module: "eggrecipedemo",
    attrs: "main",
  });
  assert.equal(
    text,
    `#!/usr/bin/python3

import os

join = os.path.join
base = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))
base = os.path.dirname(base)

import sys
sys.path[0:0] = [
  join(base, 'eggs/demo-0.3-py3.11.egg'),
  "/ba'r",
  base,
  join(base, 'foo'),
  ]

import eggrecipedemo

if __name__ == '__main__':
    sys.exit(eggrecipedemo.main())
`,
  );
  const deeper = consoleScript({
    python: "/usr/bin/python3",
    scriptDir: "/b/parts/x/bin/",
    relativeTo: "/b/",
    paths: ["/b/eggs/e.egg"],
    module: "m",
    attrs: "f",
  });
  assert.equal(deeper.split("base = os.path.dirname(base)\n").length - 1, 3);
  assert.ok(deeper.includes("\n  join(base, 'eggs/e.egg'),\n"));
  // A "/bx" path only shares a prefix string with "/b": it stays absolute.
  const sibling = consoleScript({
    python: "/p",
    scriptDir: "/b/bin",
    relativeTo: "/b",
    paths: ["/bx/e.egg"],
    module: "m",
    attrs: "f",
  });
  assert.ok(sibling.includes("\n  '/bx/e.egg',\n"));
});

Deno.test("console script: duplicate paths are listed once", () => {
  const text = consoleScript({
    python: "/p",
    scriptDir: "/b/bin",
    paths: ["/x", "/y", "/x"],
    module: "m",
    attrs: "f",
  });
  assert.ok(text.includes("[\n  '/x',\n  '/y',\n  ]"));
});

Deno.test("shebang: a python path with a space goes through /bin/sh", () => {
  const text = consoleScript({
    python: "/opt/my python/bin/python3",
    scriptDir: "/b/bin",
    paths: [],
    module: "m",
    attrs: "f",
  });
  assert.equal(
    text.split("\n").slice(0, 4).join("\n"),
    `#!/bin/sh\n'''exec' "/opt/my python/bin/python3" "$0" "$@"\n' '''\n`,
  );
});

Deno.test("interpreter script: preamble, empty line before the path block, initialization", () => {
  const text = interpreterScript({
    python: "/usr/bin/python3",
    scriptDir: "/b/bin",
    paths: eggs,
    initialization: "x = 1",
  });
  assert.ok(
    text.startsWith(`#!/usr/bin/python3

import sys

sys.path[0:0] = [
  '/b/eggs/demo-0.2-py3.11.egg',
  '/b/eggs/demoneeded-1.1-py3.11.egg',
  ]

x = 1

def _interpret(argv, namespace):
`),
    text,
  );
  assert.ok(text.endsWith("\n_interpret(sys.argv[1:], globals())\n"));
  const empty = interpreterScript({
    python: "/p",
    scriptDir: "/b/bin",
    paths: [],
  });
  assert.ok(empty.includes("sys.path[0:0] = [\n  \n  ]\n\ndef _interpret"));
});
