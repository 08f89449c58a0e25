import assert from "node:assert/strict";
import { formatError, UserError } from "../../src/errors.ts";
import { Buildout, type Options } from "../../src/config/buildout.ts";
import { parseConfig } from "../../src/config/parse.ts";
import {
  layerFromParsed,
  layerFromRecord,
  resolveStack,
  stackLayers,
} from "../../src/config/merge.ts";
import type { RawConfig } from "../../src/config/types.ts";

function raw(text: string): RawConfig {
  return resolveStack(stackLayers([
    layerFromRecord({ buildout: { "bin-directory": "bin" } }, "DEFAULT_VALUE"),
    layerFromParsed(parseConfig(text, "/w/buildout.cfg"), "/w/buildout.cfg"),
  ]));
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError: ${err}`);
    return formatError(err, false);
  }
  assert.fail("no error");
}

Deno.test("substitution: ${s:o}, ${:o}, recursion, $$ kept", () => {
  const b = new Buildout(raw(
    "[buildout]\ndirectory = /w\nparts-directory = ${:directory}/parts\n" +
      "[app]\nlocation = ${buildout:parts-directory}/${:_buildout_section_name_}\n" +
      "template = $${app:location} $$ ${:location}\n",
  ));
  const app = b.section("app");
  assert.equal(app.get("location"), "/w/parts/app");
  assert.equal(app.get("template"), "$${app:location} $$ /w/parts/app");
});

Deno.test("a reference sees values set by the referenced section's init hook", () => {
  const b = new Buildout(
    raw("[data]\nrecipe = mkdir\npath = mystuff\n[use]\nx = ${data:path}\n"),
    {
      onSectionInit(name, options) {
        if (name === "data") options.set("path", "/w/" + options.get("path"));
      },
    },
  );
  assert.equal(b.section("use").get("x"), "/w/mystuff");
});

Deno.test("initOrder: referenced sections and => dependencies finish first", () => {
  const inits: string[] = [];
  const b = new Buildout(
    raw(
      "[buildout]\nparts = server\n" +
        "[server]\nrecipe = r\nprog = ${config:location}\n=> app\n" +
        "[config]\nrecipe = r\nlocation = /etc\n[app]\nrecipe = r\n[unused]\nx = ${nope:y}\n",
    ),
    { onSectionInit: (name) => inits.push(name) },
  );
  for (const p of b.section("buildout").require("parts").split(/\s+/)) {
    b.section(p);
  }
  assert.deepEqual(b.initOrder, ["buildout", "config", "app", "server"]);
  assert.deepEqual(inits, b.initOrder);
  assert.equal(b.isInitialized("unused"), false);
});

Deno.test("every ${ option is checked at init, in sorted order, with While: context", () => {
  const b = new Buildout(
    raw("[buildout]\nz = ${nope:y}\na = ${buildout:missing}\n"),
  );
  assert.equal(
    failure(() => b.section("buildout")),
    "While:\n  Getting section buildout.\n  Initializing section buildout.\n" +
      "  Getting option buildout:a.\nError: Referenced option does not exist: buildout missing",
  );
  const c = new Buildout(raw("[buildout]\nz = ${nope:y}\n"));
  assert.equal(
    failure(() => c.section("buildout")),
    "While:\n  Getting section buildout.\n  Initializing section buildout.\n" +
      "  Getting option buildout:z.\n  Getting section nope.\n" +
      "Error: The referenced section, 'nope', was not defined.",
  );
});

Deno.test("circular references", () => {
  const b = new Buildout(
    raw("[a]\nx = ${b:y}\n[b]\ny = ${a:x}\n[c]\nself = ${:self}\n"),
  );
  assert.match(
    failure(() => b.section("a")),
    /Error: Circular reference in substitutions\.$/,
  );
  assert.match(
    failure(() => b.section("c")),
    /Error: Circular reference in substitutions\.$/,
  );
});

Deno.test("used tracking: get/require/has/set and references mark used", () => {
  const b = new Buildout(raw(
    "[buildout]\nparts = p\n[p]\nrecipe = r\na = 1\nb = 2\nc = 3\nd = ${:a}\ntypo = 1\n" +
      "[q]\nx = ${p:c}\n",
  ));
  const p = b.section("p");
  // `a` is read by the substitution of `d`, as in buildout
  assert.deepEqual(p.unused(), ["b", "c", "d", "recipe", "typo"]);
  p.require("recipe");
  p.get("a");
  assert.equal(p.has("b"), true);
  p.set("d", "x");
  b.section("q");
  assert.deepEqual(p.unused(), ["typo"]);
  // built-in defaults never count as unused
  const bo = b.section("buildout");
  assert.deepEqual(bo.unused(), ["parts"]);
});

Deno.test("Options: require, keys, delete, toRecord, raw", () => {
  const b = new Buildout(raw("[s]\na = 1\nb = ${:a}2\n"));
  const s: Options = b.section("s");
  assert.equal(
    failure(() => s.require("nope")),
    "Error: Missing option: s:nope",
  );
  s.set("c", "3");
  assert.deepEqual(s.keys(), ["a", "b", "c"]);
  assert.deepEqual(s.toRecord(), { a: "1", b: "12", c: "3" });
  assert.deepEqual(s.unused(), ["b"]);
  assert.equal(s.raw("b"), "${:a}2");
  assert.equal(s.delete("a"), true);
  assert.equal(s.delete("zz"), false);
  assert.equal(s.get("a"), undefined);
  assert.deepEqual(s.keys(), ["b", "c"]);
});

Deno.test("macro values are substituted in the section using them", () => {
  const b = new Buildout(
    raw("[base]\npath = ${:name}/x\n[use]\n<= base\nname = u\n"),
  );
  assert.equal(b.section("use").get("path"), "u/x");
});

Deno.test("addSection: a meta-recipe's section is initialized; macros apply", () => {
  const b = new Buildout(
    raw("[buildout]\n[base]\nrecipe = r\nk = ${:_buildout_section_name_}\n"),
  );
  const added = b.addSection("gen", { "<": "base", extra: "1" });
  assert.equal(added.get("k"), "gen");
  assert.equal(added.get("recipe"), "r");
  assert.deepEqual(b.initOrder, ["gen"]);
  assert.equal(b.has("gen"), true);
  assert.equal(
    failure(() => b.addSection("base", {})),
    "Error: Section already exists: 'base'",
  );
});

Deno.test("rawValue reads without initializing; names and missing sections", () => {
  const b = new Buildout(raw("[s]\nx = ${t:y}\n[t]\ny = 1\n"));
  assert.equal(b.rawValue("s", "x"), "${t:y}");
  assert.equal(b.rawValue("s", "nope"), undefined);
  assert.equal(b.isInitialized("s"), false);
  assert.deepEqual(b.names(), ["buildout", "s", "t"]);
  assert.match(
    failure(() => b.section("x")),
    /Error: The referenced section, 'x', was not defined\.$/,
  );
});
