import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  formatRequirement,
  parseRequirement,
} from "../../src/pypa/requirement.ts";

Deno.test("plain names and specifiers with or without spaces", () => {
  assert.deepEqual(parseRequirement("demo"), {
    name: "demo",
    key: "demo",
    extras: [],
    specifier: "",
    text: "demo",
  });
  assert.deepEqual(parseRequirement(" demo ==0.2 "), {
    name: "demo",
    key: "demo",
    extras: [],
    specifier: "==0.2",
    text: "demo ==0.2",
  });
  assert.equal(parseRequirement("demo>=1,<2").specifier, ">=1,<2");
  assert.equal(parseRequirement("demo >= 1 , < 2").specifier, ">=1,<2");
  assert.equal(parseRequirement("demo (>=1, <2)").specifier, ">=1,<2");
  assert.equal(parseRequirement("demo==1.0.*").specifier, "==1.0.*");
  assert.equal(parseRequirement("Zope.Interface_x>3").key, "zope-interface-x");
  assert.equal(parseRequirement("Zope.Interface_x>3").name, "Zope.Interface_x");
});

Deno.test("extras and markers", () => {
  const r = parseRequirement(
    'Foo.Bar [test, Docs] (>=1, <2) ; python_version >= "3" and os_name == "posix"',
  );
  assert.deepEqual(r.extras, ["test", "Docs"]);
  assert.equal(r.specifier, ">=1,<2");
  assert.equal(r.marker, 'python_version >= "3" and os_name == "posix"');
  const m = parseRequirement('pywin32; sys_platform == "win32"');
  assert.equal(m.specifier, "");
  assert.equal(m.marker, 'sys_platform == "win32"');
  assert.deepEqual(parseRequirement("demo[]").extras, []);
});

Deno.test("formatRequirement gives buildout's display form", () => {
  const f = (t: string) => formatRequirement(parseRequirement(t));
  assert.equal(f("demo ==0.2"), "demo==0.2");
  assert.equal(f("demo"), "demo");
  assert.equal(f("demo [extra] >= 1"), "demo[extra]>=1");
  assert.equal(f("demo[a,b] (>= 1, < 2)"), "demo[a,b]>=1,<2");
  assert.equal(f('demo>1 ;python_version>"3"'), 'demo>1; python_version>"3"');
  assert.equal(
    formatRequirement({
      name: "spam",
      key: "spam",
      extras: [],
      specifier: "== 1",
    }),
    "spam==1",
  );
});

Deno.test("bad requirements are UserErrors naming the text", () => {
  const cases: [string, string][] = [
    ["", "Invalid requirement '': expected a project name."],
    ["-demo", "Invalid requirement '-demo': expected a project name."],
    ["demo[x", "Invalid requirement 'demo[x': missing ']'."],
    ["demo[x y]", "Invalid requirement 'demo[x y]': invalid extra 'x y'."],
    [
      "demo =0.2",
      "Invalid requirement 'demo =0.2': invalid version specifier '=0.2'.",
    ],
    [
      "demo 0.2",
      "Invalid requirement 'demo 0.2': invalid version specifier '0.2'.",
    ],
    ["demo (>=1", "Invalid requirement 'demo (>=1': missing ')'."],
    [
      "demo>=1.0.*",
      "Invalid requirement 'demo>=1.0.*': invalid version specifier '>=1.0.*'.",
    ],
    [
      "demo @ https://example.com/demo-1.0.zip",
      "Invalid requirement 'demo @ https://example.com/demo-1.0.zip': URL requirements are not supported; use find-links instead.",
    ],
    [
      'demo; foo == "1"',
      `Invalid requirement 'demo; foo == "1"': Invalid environment marker 'foo == "1"': unknown variable 'foo'.`,
    ],
  ];
  for (const [t, msg] of cases) {
    assert.throws(
      () => parseRequirement(t),
      (e: Error) => e instanceof UserError && e.message === msg,
      t,
    );
  }
});
