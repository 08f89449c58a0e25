import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  parseEntryPoint,
  parseEntryPoints,
  parseMetadata,
  parseRecord,
  parseRequiresTxt,
  requirementsFor,
} from "../../src/pypa/metadata.ts";
import { formatRequirement } from "../../src/pypa/requirement.ts";
import { getInterpreter } from "../../src/python/interpreter.ts";

const ENV = {
  python_version: "3.11",
  python_full_version: "3.11.7",
  os_name: "posix",
  sys_platform: "linux",
  platform_system: "Linux",
  platform_machine: "x86_64",
  platform_python_implementation: "CPython",
  implementation_name: "cpython",
  implementation_version: "3.11.7",
  platform_release: "6",
  platform_version: "#1",
};

const REQUIRES_TXT = `demoneeded>=1.0
zope.interface

# a comment
[:python_version < "3"]
futures

[:sys_platform == "linux"]
linuxonly

[test]
pytest >=7
mock; python_version >= "3"

[Docs:sys_platform == "win32"]
winsphinx

[docs]
sphinx
`;

const names = (rs: { name: string }[]) => rs.map((r) => r.name);

Deno.test("requires.txt: plain lines and every section form", () => {
  const deps = parseRequiresTxt(REQUIRES_TXT);
  assert.deepEqual(deps.extras, ["test", "Docs"]);
  assert.deepEqual(
    deps.requires.map((d) => [d.extra ?? "", formatRequirement(d.requirement)]),
    [
      ["", "demoneeded>=1.0"],
      ["", "zope.interface"],
      ["", 'futures; python_version < "3"'],
      ["", 'linuxonly; sys_platform == "linux"'],
      ["test", "pytest>=7"],
      ["test", 'mock; python_version >= "3"'],
      ["Docs", 'winsphinx; sys_platform == "win32"'],
      ["docs", "sphinx"],
    ],
  );
});

Deno.test("requirementsFor selects by extras and markers", () => {
  const deps = parseRequiresTxt(REQUIRES_TXT);
  assert.deepEqual(names(requirementsFor(deps, [], ENV)), [
    "demoneeded",
    "zope.interface",
    "linuxonly",
  ]);
  assert.deepEqual(names(requirementsFor(deps, ["TEST", "docs"], ENV)), [
    "demoneeded",
    "zope.interface",
    "linuxonly",
    "pytest",
    "mock",
    "sphinx",
  ]);
  const r = requirementsFor(deps, ["test"], ENV);
  assert.equal(r.find((x) => x.name === "mock")?.marker, undefined);
  assert.equal(r.find((x) => x.name === "pytest")?.specifier, ">=7");
  assert.deepEqual(
    names(requirementsFor(deps, ["docs"], { ...ENV, sys_platform: "win32" })),
    ["demoneeded", "zope.interface", "winsphinx", "sphinx"],
  );
});

Deno.test("requires.txt and requirementsFor with the real interpreter", async () => {
  const env = (await getInterpreter("python3")).markerEnv;
  const deps = parseRequiresTxt(
    '[:python_version >= "3"]\nnew\n[:python_version < "3"]\nold\n',
  );
  assert.deepEqual(names(requirementsFor(deps, [], env)), ["new"]);
});

Deno.test("requires.txt: a bad line is a UserError naming it", () => {
  assert.throws(
    () => parseRequiresTxt("good\nbad line here\n"),
    (e: Error) =>
      e instanceof UserError &&
      e.message ===
        "Invalid requirement 'bad line here': invalid version specifier 'line here'.",
  );
});

const METADATA = `Metadata-Version: 2.1
Name: Demo.Pkg
Version: 0.4c1
Summary: A demo
Requires-Python: >=3.8
License: line one
        line two
Provides-Extra: test
Provides-Extra: Docs
Requires-Dist: demoneeded (>=1.0)
Requires-Dist: zope.interface; python_version >= "3"
Requires-Dist: pytest>=7; extra == "test"
Requires-Dist: sphinx; extra == 'docs' and sys_platform == "linux"
Requires-Dist: old; python_version < "3"

Requires-Dist: not-a-header: this is the description body
`;

Deno.test("METADATA: headers, Requires-Dist with markers and extras", () => {
  const m = parseMetadata(METADATA);
  assert.equal(m.name, "Demo.Pkg");
  assert.equal(m.version, "0.4c1");
  assert.equal(m.requiresPython, ">=3.8");
  assert.deepEqual(m.extras, ["test", "Docs"]);
  assert.deepEqual(m.headers["license"], ["line one\nline two"]);
  assert.deepEqual(m.headers["summary"], ["A demo"]);
  assert.equal(m.requires.length, 5);
  assert.equal(m.requires[0].requirement.specifier, ">=1.0");
  assert.equal(m.requires[2].requirement.marker, 'extra == "test"');
  assert.deepEqual(names(requirementsFor(m, [], ENV)), [
    "demoneeded",
    "zope.interface",
  ]);
  assert.deepEqual(names(requirementsFor(m, ["test", "DOCS"], ENV)), [
    "demoneeded",
    "zope.interface",
    "pytest",
    "sphinx",
  ]);
});

Deno.test("PKG-INFO without requirements", () => {
  const m = parseMetadata(
    "Metadata-Version: 1.0\r\nName: demo\r\nVersion: 0.2\r\n",
  );
  assert.equal(m.name, "demo");
  assert.equal(m.version, "0.2");
  assert.deepEqual(m.requires, []);
  assert.deepEqual(m.extras, []);
  assert.equal(m.requiresPython, undefined);
  assert.deepEqual(parseMetadata("").headers, {});
});

Deno.test("entry_points.txt", () => {
  const eps = parseEntryPoints(`# comment
[console_scripts]
demo = eggrecipedemo:main
other=pkg.mod:Cls.method [extra1, extra2]

; another comment
[zc.buildout]
default = recipe:Recipe
`);
  assert.deepEqual(eps, {
    console_scripts: {
      demo: "eggrecipedemo:main",
      other: "pkg.mod:Cls.method [extra1, extra2]",
    },
    "zc.buildout": { default: "recipe:Recipe" },
  });
  assert.deepEqual(parseEntryPoint(eps.console_scripts.other), {
    module: "pkg.mod",
    attrs: "Cls.method",
    extras: ["extra1", "extra2"],
  });
  assert.deepEqual(parseEntryPoint("pkg.mod"), {
    module: "pkg.mod",
    attrs: "",
    extras: [],
  });
  assert.throws(
    () => parseEntryPoint("pkg mod:x"),
    (e: Error) =>
      e instanceof UserError &&
      e.message === "Invalid entry point 'pkg mod:x'.",
  );
  assert.throws(
    () => parseEntryPoints("demo = x:y\n"),
    (e: Error) =>
      e instanceof UserError &&
      e.message === "Invalid entry point line 'demo = x:y'.",
  );
  assert.throws(() => parseEntryPoints("[g]\njunk\n"), UserError);
});

Deno.test("RECORD rows, quoted paths and empty hashes", () => {
  assert.deepEqual(
    parseRecord(
      'demo.py,sha256=abc,12\n"dir/with,comma.py",sha256=def,3\n"say ""hi"".txt",,\ndemo-0.2.dist-info/RECORD,,\n',
    ),
    [
      { path: "demo.py", hash: "sha256=abc", size: 12 },
      { path: "dir/with,comma.py", hash: "sha256=def", size: 3 },
      { path: 'say "hi".txt', hash: "" },
      { path: "demo-0.2.dist-info/RECORD", hash: "" },
    ],
  );
});
