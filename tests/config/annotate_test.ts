import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import {
  annotateJson,
  formatAnnotate,
  sourceForHuman,
} from "../../src/config/annotate.ts";
import type { RawConfig } from "../../src/config/types.ts";

async function load(
  files: Record<string, string>,
  fn: (raw: RawConfig, dir: string) => void,
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    fn(
      await loadConfig({
        configFile: join(dir, "buildout.cfg"),
        cwd: dir,
        userDefaults: false,
        env: {},
        assignments: [{ section: "part1", option: "cl", op: "=", value: "x" }],
      }),
      dir,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const FILES = {
  "buildout.cfg":
    "[buildout]\nextends = base.cfg extension1.cfg\nparts = part1\n",
  "base.cfg": "[part1]\nrecipe =\noption = a1 a2\nold = 1\nlist = a\n  b\n",
  "extension1.cfg": "[part1]\noption += a3 a4\nold = 2\nlist -= a\n",
};

Deno.test("annotate: buildout's terse layout, sources relative to directory", async () => {
  await load(FILES, (raw, dir) => {
    assert.equal(
      formatAnnotate(raw, { directory: dir, sections: ["part1"] }),
      [
        "",
        "Annotated sections",
        "==================",
        "",
        "[part1]",
        "cl= x",
        "    COMMAND_LINE_VALUE",
        "list= b",
        "    base.cfg",
        "-=  extension1.cfg",
        "old= 2",
        "    extension1.cfg",
        "option= a1 a2",
        "a3 a4",
        "    base.cfg",
        "+=  extension1.cfg",
        "recipe=",
        "    base.cfg",
      ].join("\n"),
    );
    const all = formatAnnotate(raw, { directory: dir });
    assert.match(all, /\n\[buildout\]\nallow-hosts= \*\n {4}DEFAULT_VALUE\n/);
    assert.match(all, new RegExp(`\ndirectory= ${dir}\n {4}COMPUTED_VALUE\n`));
    assert.ok(all.indexOf("[buildout]") < all.indexOf("[part1]"));
    assert.ok(all.indexOf("[part1]") < all.indexOf("[versions]"));
    assert.equal(all.includes("extends="), false);
  });
});

Deno.test("annotate -v: the history newest first", async () => {
  await load(FILES, (raw, dir) => {
    const text = formatAnnotate(raw, {
      directory: dir,
      sections: ["part1"],
      verbose: true,
    });
    const option = text.slice(
      text.indexOf("option= "),
      text.indexOf("recipe="),
    );
    assert.equal(
      option,
      [
        "option= a1 a2",
        "a3 a4",
        "",
        "   IN extension1.cfg",
        "   ADD VALUE = a3 a4",
        "   IN base.cfg",
        "   SET VALUE = a1 a2",
        "",
        "",
      ].join("\n"),
    );
    assert.match(
      text,
      /cl= x\n\n {3}AS COMMAND_LINE_VALUE\n {3}SET VALUE = x\n\n/,
    );
    assert.match(
      text,
      /list= b\n\n {3}IN extension1.cfg\n {3}REMOVE VALUE = a\n {3}IN base.cfg\n {3}SET VALUE =\n {6}a\n {6}b\n/,
    );
  });
});

Deno.test("annotate --json: values and full histories", async () => {
  await load(FILES, (raw, dir) => {
    const json = annotateJson(raw, { directory: dir, sections: ["part1"] });
    assert.deepEqual(Object.keys(json), ["part1"]);
    assert.deepEqual(Object.keys(json.part1), [
      "cl",
      "list",
      "old",
      "option",
      "recipe",
    ]);
    assert.deepEqual(json.part1.option, {
      value: "a1 a2\na3 a4",
      sources: [
        { op: "SET", value: "a1 a2", source: "base.cfg" },
        { op: "ADD", value: "a3 a4", source: "extension1.cfg" },
      ],
    });
    assert.deepEqual(json.part1.old.sources.map((s) => s.op), [
      "SET",
      "OVERRIDE",
    ]);
  });
});

Deno.test("sources outside the directory stay absolute", () => {
  assert.equal(sourceForHuman("/w/sub/a.cfg", "/w"), "sub/a.cfg");
  assert.equal(sourceForHuman("/elsewhere/a.cfg", "/w"), "/elsewhere/a.cfg");
  assert.equal(sourceForHuman("/w2/a.cfg", "/w"), "/w2/a.cfg");
  assert.equal(sourceForHuman("http://h/a.cfg", "/w"), "http://h/a.cfg");
});
