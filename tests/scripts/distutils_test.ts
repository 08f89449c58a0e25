import assert from "node:assert/strict";
import { distutilsScript } from "../../src/scripts/distutils.ts";

const SETUP = {
  python: "/usr/bin/python3",
  scriptDir: "/b/bin",
  paths: ["/b/eggs/a.egg"],
};

Deno.test("a Python script: shebang replaced, path block before the first import", () => {
  assert.equal(
    distutilsScript(
      "#!/usr/bin/python2.7 -u\nimport os\nprint(os.sep)\n",
      SETUP,
    ),
    "#!/usr/bin/python3\n\n\nimport sys\nsys.path[0:0] = [\n  '/b/eggs/a.egg',\n  ]\n\n\nimport os\nprint(os.sep)\n",
  );
});

Deno.test("no import: the path block goes at the end; initialization follows it", () => {
  assert.equal(
    distutilsScript("#!python\nprint(1)\n", {
      ...SETUP,
      initialization: "x = 1",
    }),
    "#!/usr/bin/python3\nprint(1)\n\n\nimport sys\nsys.path[0:0] = [\n  '/b/eggs/a.egg',\n  ]\n\nx = 1\n\n\n",
  );
});

Deno.test("relative-paths: the base prelude comes after the script's leading lines", () => {
  const text = distutilsScript('#!python\n"""Doc."""\nimport a\n', {
    ...SETUP,
    relativeTo: "/b",
  });
  assert.equal(
    text,
    '#!/usr/bin/python3\n"""Doc."""\n\n\nimport os\n\njoin = os.path.join\n' +
      "base = os.path.dirname(os.path.abspath(os.path.realpath(__file__)))\n" +
      "base = os.path.dirname(base)\n\nimport sys\nsys.path[0:0] = [\n" +
      "  join(base, 'eggs/a.egg'),\n  ]\n\n\nimport a\n",
  );
});

Deno.test("scripts whose first line is not a Python shebang are kept as they are", () => {
  for (
    const source of [
      "#!/bin/bash\necho hi\n",
      "import os\n",
      "",
      "#!/usr/bin/perl\n",
    ]
  ) {
    assert.equal(distutilsScript(source, SETUP), source);
  }
});
