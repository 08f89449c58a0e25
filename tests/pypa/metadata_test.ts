import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  describeProblem,
  parseEntryPoint,
  parseEntryPoints,
  parseMetadata,
  parseRequiresTxt,
  requirementsFor,
} from "../../src/pypa/metadata.ts";
import { parseRecord } from "../../src/pypa/record.ts";
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

Deno.test("requires.txt: a bad line or section is skipped and reported, the rest kept", () => {
  const deps = parseRequiresTxt(
    "good\nbad line here\n[:not a marker]\nhidden\n[test]\nafter\n",
  );
  assert.deepEqual(
    deps.requires.map((d) => formatRequirement(d.requirement)),
    ["good", "after"],
  );
  const told = deps.problems.map((p) => describeProblem(p, "foo 1.0"));
  assert.equal(told.length, 2);
  assert.equal(
    told[0],
    "Couldn't parse requirement 'bad line here' in metadata of foo 1.0: " +
      "invalid version specifier 'line here'; the requirement is ignored.",
  );
  assert.match(
    told[1],
    /^Couldn't parse section '\[:not a marker\]' in metadata of foo 1\.0: .+; its requirements are ignored\.$/,
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

// What older wheel tools (and setuptools before metadata 2.1) wrote: the long
// description folded into the Description header, blank lines as "|" or as
// lines holding only spaces or tabs, and more headers after it.
const FOLDED_PKG_INFO = [
  "Metadata-Version: 2.0",
  "Name: folded",
  "Version: 1.0",
  "Summary: A package with a folded description",
  "Description: Folded",
  "        ======",
  "        ",
  "        The first paragraph.",
  "        |",
  "\t",
  "        Usage::",
  "        ",
  "            import folded",
  "        ",
  "Platform: UNKNOWN",
  "Requires-Python: >=3.6",
  "Requires-Dist: helper (>=1.0)",
  'Requires-Dist: other; extra == "x"',
  "Provides-Extra: x",
  "",
].join("\n");

Deno.test("a folded Description with whitespace-only lines keeps the headers after it", () => {
  for (const eol of ["\n", "\r\n"]) {
    const m = parseMetadata(FOLDED_PKG_INFO.replaceAll("\n", eol));
    assert.equal(m.name, "folded");
    assert.equal(m.requiresPython, ">=3.6");
    assert.deepEqual(m.headers["platform"], ["UNKNOWN"]);
    assert.deepEqual(m.extras, ["x"]);
    assert.deepEqual(
      m.requires.map((d) => formatRequirement(d.requirement)),
      ["helper>=1.0", 'other; extra == "x"'],
    );
    assert.ok(m.headers["description"][0].startsWith("Folded\n======\n\n"));
    assert.deepEqual(m.problems, []);
  }
});

Deno.test("old 1.x PKG-INFO: Description header, no Requires-Dist", () => {
  const m = parseMetadata(
    "Metadata-Version: 1.1\nName: old\nVersion: 0.9\nSummary: Old\n" +
      "Description: UNKNOWN\nPlatform: UNKNOWN\nClassifier: Private\n",
  );
  assert.equal(m.version, "0.9");
  assert.deepEqual(m.headers["description"], ["UNKNOWN"]);
  assert.deepEqual(m.headers["classifier"], ["Private"]);
  assert.deepEqual([m.requires, m.problems], [[], []]);
});

Deno.test("2.1+ METADATA: the description is the body after the empty line", () => {
  const m = parseMetadata([
    "Metadata-Version: 2.1",
    "Name: modern",
    "Version: 2.0",
    "Requires-Dist: helper",
    "Description-Content-Type: text/markdown",
    "",
    "# Modern",
    "",
    "Requires-Dist: looks-like-a-header-but-is-body",
    "    indented body line",
    "",
  ].join("\n"));
  assert.deepEqual(m.requires.map((d) => d.requirement.name), ["helper"]);
  assert.deepEqual(m.headers["description-content-type"], ["text/markdown"]);
  assert.deepEqual(m.problems, []);
});

Deno.test("a folded Requires-Dist is one requirement; bad ones are reported", () => {
  const m = parseMetadata([
    "Name: foo",
    "Version: 1.0",
    "Requires-Dist: spread (>=1.0,",
    "  <2)",
    "Requires-Dist: x y z",
    "Requires-Dist: fine",
    "",
  ].join("\n"));
  assert.deepEqual(
    m.requires.map((d) => formatRequirement(d.requirement)),
    ["spread>=1.0,<2", "fine"],
  );
  assert.deepEqual(m.problems.map((p) => describeProblem(p, "foo 1.0")), [
    "Couldn't parse requirement 'x y z' in metadata of foo 1.0: " +
    "invalid version specifier 'y z'; the requirement is ignored.",
  ]);
});

Deno.test("malformed header lines are reported as Python's email parser treats them", () => {
  const m = parseMetadata([
    "  leading continuation",
    "Name: foo",
    ": no name",
    "Version: 1.0",
    "Requires-Dist: kept",
    "Not a header line",
    "Requires-Dist: lost",
    "",
    "body",
  ].join("\n"));
  assert.equal(m.version, "1.0");
  assert.deepEqual(m.requires.map((d) => d.requirement.name), ["kept"]);
  assert.deepEqual(m.problems.map((p) => describeProblem(p, "foo 1.0")), [
    "Couldn't parse header line 'leading continuation' in metadata of foo 1.0: " +
    "a continuation line before any header; ignored.",
    "Couldn't parse header line ': no name' in metadata of foo 1.0: no header name.",
    "Couldn't parse header line 'Not a header line' in metadata of foo 1.0: " +
    "not a 'Name: value' line, so the headers end there and the 2 lines after it are ignored.",
  ]);
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
