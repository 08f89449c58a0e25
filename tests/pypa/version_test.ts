import { compare as libraryCompare } from "@renovatebot/pep440";
import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  compareVersions,
  formatSpecifier,
  isPrerelease,
  isValidSpecifier,
  isValidVersion,
  matchesSpecifier,
  normalizeVersion,
  parseSpecifier,
} from "../../src/pypa/version.ts";

Deno.test("isValidVersion and normalizeVersion", () => {
  assert.equal(isValidVersion("0.4c1"), true);
  assert.equal(isValidVersion(" 1.0 "), true);
  assert.equal(isValidVersion("latest"), false);
  assert.equal(isValidVersion(""), false);
  assert.equal(normalizeVersion("0.4c1"), "0.4rc1");
  assert.equal(normalizeVersion("1.2c1"), "1.2rc1");
  assert.equal(normalizeVersion("1.0-1"), "1.0.post1");
  assert.equal(normalizeVersion("1.0+Local.1"), "1.0+local.1");
  assert.equal(normalizeVersion("1.0alpha"), "1.0a0");
  assert.equal(normalizeVersion("junk"), undefined);
});

Deno.test("isPrerelease: c, rc, a, b and dev releases", () => {
  for (
    const v of [
      "0.4c1",
      "1.2rc1",
      "1.0a1",
      "1.0b2",
      "2.0.dev3",
      "1.0.post1.dev1",
    ]
  ) {
    assert.equal(isPrerelease(v), true, v);
  }
  for (const v of ["0.3", "1.0.post1", "1!2.0", "junk"]) {
    assert.equal(isPrerelease(v), false, v);
  }
});

Deno.test("compareVersions orders by PEP 440", () => {
  const sorted = [
    "1.0",
    "0.4c1",
    "0.3",
    "1.0.post1",
    "1.0.dev1",
    "1.0a1",
    "1!0.1",
    "0.10",
  ]
    .sort(compareVersions);
  assert.deepEqual(sorted, [
    "0.3",
    "0.4c1",
    "0.10",
    "1.0.dev1",
    "1.0a1",
    "1.0",
    "1.0.post1",
    "1!0.1",
  ]);
  assert.equal(compareVersions("1.0", "1.0.0"), 0);
  assert.equal(compareVersions("0.4c1", "0.4rc1"), 0);
  assert.ok(compareVersions("junk", "0.1") < 0);
  assert.ok(compareVersions("0.1", "junk") > 0);
  assert.ok(compareVersions("a", "b") < 0);
});

Deno.test("matchesSpecifier: empty specifier matches everything", () => {
  assert.equal(matchesSpecifier("0.4c1", ""), true);
  assert.equal(matchesSpecifier("1.0", "  "), true);
});

Deno.test("matchesSpecifier accepts pre-releases in range (buildout)", () => {
  assert.equal(matchesSpecifier("0.4c1", ">0.3"), true);
  assert.equal(matchesSpecifier("1.2c1", ">=1.0"), true);
  assert.equal(matchesSpecifier("1.2c1", "<1.2"), false);
  assert.equal(matchesSpecifier("2.0.dev1", ">=1,<3"), true);
});

Deno.test("matchesSpecifier: == exact, with wildcards and locals", () => {
  assert.equal(matchesSpecifier("0.2", "==0.2"), true);
  assert.equal(matchesSpecifier("0.2.0", "==0.2"), true);
  assert.equal(matchesSpecifier("0.3", "==0.2"), false);
  assert.equal(matchesSpecifier("0.4c1", "==0.4rc1"), true);
  assert.equal(matchesSpecifier("1.0.5", "==1.0.*"), true);
  assert.equal(matchesSpecifier("1.0", "==1.0.*"), true);
  assert.equal(matchesSpecifier("1.0rc1", "==1.0.*"), true);
  assert.equal(matchesSpecifier("1.1", "==1.0.*"), false);
  assert.equal(matchesSpecifier("1.10", "==1.1.*"), false);
  assert.equal(matchesSpecifier("1", "==1.0.0.*"), true);
  assert.equal(matchesSpecifier("1.1", "!=1.0.*"), true);
  assert.equal(matchesSpecifier("1.0.3", "!=1.0.*"), false);
  assert.equal(matchesSpecifier("1.0+local", "==1.0"), true);
  assert.equal(matchesSpecifier("1.0", "==1.0+local"), false);
  assert.equal(matchesSpecifier("1.0", "!=1.0"), false);
});

Deno.test("matchesSpecifier: ordered comparisons (library gaps covered)", () => {
  assert.equal(matchesSpecifier("1.0", ">1.0a1"), true);
  assert.equal(matchesSpecifier("1.0rc1", "<1.0rc2"), true);
  assert.equal(matchesSpecifier("1.0.post2", ">1.0.post1"), true);
  assert.equal(matchesSpecifier("1.0.post1", ">1.0"), false);
  assert.equal(matchesSpecifier("1.0+local", ">1.0"), false);
  assert.equal(matchesSpecifier("1.0.1", ">1.0"), true);
  assert.equal(matchesSpecifier("1.0rc1", "<1.0"), false);
  assert.equal(matchesSpecifier("0.9", "<1.0"), true);
  assert.equal(matchesSpecifier("1.0", "<=1.0"), true);
  assert.equal(matchesSpecifier("1.0+local", "<=1.0"), true);
  assert.equal(matchesSpecifier("1.0", ">=1.0"), true);
  assert.equal(matchesSpecifier("0.2", ">0.2"), false);
  assert.equal(matchesSpecifier("1.5", ">=1,<2"), true);
  assert.equal(matchesSpecifier("2.0", ">=1,<2"), false);
});

Deno.test("matchesSpecifier: ~= and ===", () => {
  assert.equal(matchesSpecifier("2.5", "~=2.2"), true);
  assert.equal(matchesSpecifier("3.0", "~=2.2"), false);
  assert.equal(matchesSpecifier("1.4.9", "~=1.4.5"), true);
  assert.equal(matchesSpecifier("1.5.0", "~=1.4.5"), false);
  assert.equal(matchesSpecifier("1.4.4", "~=1.4.5"), false);
  assert.equal(matchesSpecifier("foobar", "===foobar"), true);
  assert.equal(matchesSpecifier("1.0", "===1.0.0"), false);
});

Deno.test("parseSpecifier, isValidSpecifier, formatSpecifier", () => {
  assert.deepEqual(parseSpecifier(">= 1.0 , <2"), [
    { operator: ">=", version: "1.0", wildcard: false },
    { operator: "<", version: "2", wildcard: false },
  ]);
  assert.equal(formatSpecifier(">= 1.0 , < 2"), ">=1.0,<2");
  assert.equal(formatSpecifier("==1.0.*"), "==1.0.*");
  for (
    const bad of [
      ">=1.0.*",
      "~=1",
      "=1.0",
      ">=",
      "1.0",
      ">=1.0,",
      ">1.0+local",
      "==1.0.dev1.*",
    ]
  ) {
    assert.equal(isValidSpecifier(bad), false, bad);
  }
  assert.throws(
    () => matchesSpecifier("1.0", ">>1"),
    (e: Error) =>
      e instanceof UserError &&
      e.message === "Invalid version specifier '>>1'.",
  );
});

Deno.test("compareVersions agrees with the PEP 440 library's ordering on every pair of a varied set", () => {
  const versions = [
    "0",
    "0.9",
    "1",
    "1.0",
    "1.0.0",
    "1.0.0.0",
    "1.0.1",
    "1.1",
    "1.10",
    "2!0.1",
    "1!1.0",
    "1.0.dev0",
    "1.0.dev1",
    "1.0a0",
    "1.0a1",
    "1.0a1.dev2",
    "1.0a1.post1",
    "1.0a1.post1.dev1",
    "1.0b1",
    "1.0c1",
    "1.0rc1",
    "1.0rc2",
    "1.0.post0",
    "1.0.post1",
    "1.0.post1.dev0",
    "1.0.post2",
    "1.0-1",
    "1.0.dev0+local",
    "1.0+abc",
    "1.0+abc.1",
    "1.0+abc.2",
    "1.0+1",
    "1.0+1.abc",
    "1.0+2",
    "1.0+abd",
    "1.0+1.0",
    "1.0.post1+x",
    "1.0rc1+7",
    "1.0a1+b",
    "2.0",
    "2.0.0rc1",
    "10.0",
    "1.0.0a1",
    "1.0.0.dev3",
    "0.4c1",
    "0.4rc1",
  ];
  const sign = (n: number) => Math.sign(n);
  for (const a of versions) {
    for (const b of versions) {
      assert.equal(
        sign(compareVersions(a, b)),
        sign(libraryCompare(a, b)),
        `${a} vs ${b}`,
      );
    }
  }
});
