import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  formatRequirement,
  parseRequirement,
} from "../../src/pypa/requirement.ts";
import {
  applyPin,
  findPin,
  formatPickedVersions,
  IncompatibleConstraintError,
  pickedVersionError,
  PickedVersions,
  pickedVersionsWritten,
  pythonDatetime,
  showPickedVersions,
  versionConflictInformation,
  versionsFileAppendText,
} from "../../src/find/versions.ts";

const pinned = (text: string, pins: Record<string, string>) =>
  formatRequirement(
    applyPin(parseRequirement(text), new Map(Object.entries(pins))),
  );

Deno.test("applyPin: X and ==X turn the requirement into name==X, extras and marker kept", () => {
  assert.equal(pinned("demo", { demo: "0.2" }), "demo==0.2");
  assert.equal(pinned("demo>=0.1", { demo: "==0.2" }), "demo==0.2");
  assert.equal(pinned("demo[x]>0.1", { demo: "0.2" }), "demo[x]==0.2");
  assert.equal(
    pinned('demo; python_version >= "3"', { demo: "0.2" }),
    'demo==0.2; python_version >= "3"',
  );
  assert.equal(pinned("demo>0.3", { demo: "0.4c1" }), "demo==0.4c1");
  assert.equal(pinned("other", { demo: "0.2" }), "other");
  const req = applyPin(parseRequirement("demo"), new Map([["demo", "0.2"]]));
  assert.equal(req.text, "demo==0.2");
});

Deno.test("applyPin: keys compared normalised, empty values do not pin", () => {
  assert.equal(pinned("spam", { Spam: "2" }), "spam==2");
  assert.equal(pinned("Foo_Bar", { "foo.bar": "1.0" }), "Foo_Bar==1.0");
  assert.equal(pinned("spam", { spam: "" }), "spam");
  assert.deepEqual(
    findPin(new Map([["Zope.Interface", " 5.0 "]]), "zope-interface"),
    {
      name: "zope-interface",
      value: "5.0",
    },
  );
});

Deno.test("applyPin: values starting with < or > (and != ~=) are AND-ed", () => {
  assert.equal(pinned("demo", { demo: "<0.3" }), "demo<0.3");
  assert.equal(pinned("demo>=0.1", { demo: "<0.3" }), "demo>=0.1,<0.3");
  assert.equal(
    pinned("demo>=0.1", { demo: ">= 0.2, <1" }),
    "demo>=0.1,>=0.2,<1",
  );
  assert.equal(pinned("demo", { demo: "!=0.3" }), "demo!=0.3");
});

Deno.test("applyPin: a pin the requirement excludes is buildout's error with the info lines", () => {
  const pins = new Map([["demo", "0.2"]]);
  let caught: unknown;
  try {
    applyPin(parseRequirement("demo >0.2"), pins);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof IncompatibleConstraintError);
  assert.ok(caught instanceof UserError);
  assert.equal(
    caught.message,
    "The requirement ('demo>0.2') is not allowed by your [versions] constraint (0.2)",
  );
  assert.deepEqual(caught.infoLines, [
    "Version and requirements information containing demo:",
    "  [versions] constraint on demo: 0.2",
    "  Base installation request: 'demo >0.2'",
  ]);
  assert.throws(
    () =>
      applyPin(parseRequirement("demo<0.2"), new Map([["demo", "==0.2"]]), []),
    (e: IncompatibleConstraintError) =>
      e.message.endsWith("constraint (0.2)") && e.infoLines.length === 2,
  );
});

Deno.test("versionConflictInformation keeps only the context lines naming the project", () => {
  assert.deepEqual(
    versionConflictInformation("demoneeded", undefined, [
      "Base installation request: 'sampley', 'samplez'",
      "Requirement of samplez: demoneeded==1.1",
      "Requirement of sampley: DemoNeeded==1.0",
    ]),
    [
      "Version and requirements information containing demoneeded:",
      "  Requirement of samplez: demoneeded==1.1",
      "  Requirement of sampley: DemoNeeded==1.0",
    ],
  );
});

Deno.test("picked versions: the show-picked-versions block with # Required by: groups", () => {
  const picked = new PickedVersions();
  assert.equal(picked.size, 0);
  picked.pick("demoneeded", "1.1");
  picked.pick("demo", "0.3");
  picked.pick("Bigdemo", "0.1");
  picked.requiredBy("demoneeded", "demo==0.3");
  picked.requiredBy("DemoNeeded", "bigdemo==0.1");
  picked.requiredBy("demo", "bigdemo==0.1");
  assert.deepEqual(showPickedVersions(picked.block()), [
    "Versions had to be automatically picked.",
    "The following part definition lists the versions picked:",
    "[versions]",
    "Bigdemo = 0.1",
    "",
    "# Required by:",
    "# bigdemo==0.1",
    "demo = 0.3",
    "",
    "# Required by:",
    "# bigdemo==0.1",
    "# demo==0.3",
    "demoneeded = 1.1",
  ]);
  assert.deepEqual(formatPickedVersions([["spam", "2"]], new Map()), [
    "[versions]",
    "spam = 2",
  ]);
});

Deno.test("update-versions-file text: new file gets [versions], an existing one the Added-by line", () => {
  const block = ["[versions]", "spam = 2"];
  assert.equal(versionsFileAppendText(block, false), "[versions]\nspam = 2\n");
  const now = new Date(2026, 10, 26, 21, 30, 5, 123);
  assert.equal(
    versionsFileAppendText(block, true, now),
    "\n# Added by buildout at 2026-11-26 21:30:05.123000\nspam = 2\n",
  );
  assert.equal(
    pythonDatetime(new Date(2026, 0, 2, 3, 4, 5, 0)),
    "2026-01-02 03:04:05",
  );
  assert.equal(
    pickedVersionsWritten("my_versions.cfg"),
    "Picked versions have been written to my_versions.cfg",
  );
});

Deno.test("allow-picked-versions = false: buildout's multi-line error", () => {
  const err = pickedVersionError("demo", "0.3");
  assert.ok(err instanceof UserError);
  assert.equal(
    err.message,
    [
      "Picked: demo = 0.3",
      "",
      "The `demo` egg does not have a version pin and `allow-picked-versions = false`.",
      "",
      "To resolve this, add",
      "",
      "    demo = 0.3",
      "",
      "to the [versions] section,",
      "",
      "OR set `allow-picked-versions = true`.",
    ].join("\n"),
  );
});
