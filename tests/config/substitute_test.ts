import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  missingSection,
  references,
  substitute,
} from "../../src/config/substitute.ts";

const data: Record<string, Record<string, string>> = {
  buildout: { directory: "/w", y: "Y" },
  s: { b: "1", "with space": "sp", "a.b-c_d": "dots" },
};
const lookup = (section: string, option: string) => {
  const s = data[section];
  if (!s) throw missingSection(section);
  return s[option];
};

function message(value: string): string {
  try {
    substitute(value, "s", lookup);
  } catch (err) {
    assert.ok(err instanceof UserError);
    return err.message;
  }
  assert.fail("no error");
}

Deno.test("${section:option} and ${:option}", () => {
  assert.equal(
    substitute("${buildout:directory}/parts ${:b}", "s", lookup),
    "/w/parts 1",
  );
  assert.equal(
    substitute("${s:with space} ${:a.b-c_d}", "s", lookup),
    "sp dots",
  );
  assert.equal(substitute("no refs $ {x}", "s", lookup), "no refs $ {x}");
});

Deno.test("$$ blocks expansion and stays $$", () => {
  assert.equal(
    substitute("x $${foo:bar} $$ $ ${:b}", "s", lookup),
    "x $${foo:bar} $$ $ 1",
  );
  assert.equal(substitute("$$$${:b}", "s", lookup), "$$$${:b}");
});

Deno.test("${:_buildout_section_name_} unless such an option exists", () => {
  assert.equal(substitute("${:_buildout_section_name_}", "s", lookup), "s");
  const own = (_s: string, o: string) =>
    o === "_buildout_section_name_" ? "own" : undefined;
  assert.equal(substitute("${:_buildout_section_name_}", "s", own), "own");
});

Deno.test("the four invalid-token errors", () => {
  assert.equal(
    message("${parts}"),
    "The substitution, ${parts},\ndoesn't contain a colon.",
  );
  assert.equal(
    message("a ${buildout:y:z}"),
    "The substitution, ${buildout:y:z},\nhas too many colons.",
  );
  assert.equal(
    message("${bui$ldout:y}"),
    "The section name in substitution, ${bui$ldout:y},\nhas invalid characters.",
  );
  assert.equal(
    message("${buildout:y{z}"),
    "The option name in substitution, ${buildout:y{z},\nhas invalid characters.",
  );
  assert.equal(
    message("${buildout:}"),
    "The option name in substitution, ${buildout:},\nhas invalid characters.",
  );
});

Deno.test("missing section and missing option", () => {
  assert.equal(
    message("${x:y}"),
    "The referenced section, 'x', was not defined.",
  );
  assert.equal(
    message("${buildout:nope}"),
    "Referenced option does not exist: buildout nope",
  );
  assert.equal(message("${:nope}"), "Referenced option does not exist: s nope");
});

Deno.test("references lists what a value refers to", () => {
  assert.deepEqual(references("${a:b} $${c:d} ${:e}", "s"), [["a", "b"], [
    "s",
    "e",
  ]]);
});
