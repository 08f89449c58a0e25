import assert from "node:assert/strict";
import { join } from "node:path";
import {
  decodeValue,
  encodeValue,
  formatInstalled,
  type InstalledState,
  parseInstalled,
  readInstalled,
  writeInstalled,
} from "../../src/parts/installed.ts";

const state = (): InstalledState => ({
  parts: ["b", "a"],
  developEggs: [],
  sections: new Map<string, Record<string, string>>([
    ["a", {
      recipe: "mkdir",
      paths: "/w/x\n/w/y",
      __buildout_installed__: "/w/x\n/w/y",
      __buildout_signature__: "sig",
      empty: "",
    }],
    ["b", { recipe: "mkdir", code: "if x:\n    y = 1\n\nreturn" }],
  ]),
});

Deno.test("buildout's byte format: [buildout] first, parts order, sorted keys", () => {
  assert.equal(
    formatInstalled(state()),
    `[buildout]
installed_develop_eggs = 
parts = b a

[b]
code = if x:
\t%(__buildout_space__)s%(__buildout_space__)s%(__buildout_space__)s%(__buildout_space__)sy = 1
\t%(__buildout_space_n__)sreturn
recipe = mkdir

[a]
__buildout_installed__ = /w/x
\t/w/y
__buildout_signature__ = sig
empty = 
paths = /w/x
\t/w/y
recipe = mkdir
`,
  );
});

Deno.test("space encodings: ends, blank lines, \\r \\f \\v", () => {
  assert.equal(encodeValue("\nx"), "%(__buildout_space_n__)sx");
  assert.equal(encodeValue("x\n"), "x%(__buildout_space_n__)s");
  assert.equal(
    encodeValue(" x "),
    "%(__buildout_space__)sx%(__buildout_space__)s",
  );
  assert.equal(
    encodeValue("a \r\n\fb"),
    "a%(__buildout_space__)s%(__buildout_space_r__)s\n\t%(__buildout_space_f__)sb",
  );
  assert.equal(decodeValue("%(__buildout_space_v__)s"), "\v");
});

Deno.test("values survive a write and a read with the config parser", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, ".installed.cfg");
    const tricky = [
      "\nlead",
      "trail \n",
      "a\n\n\n  b",
      "  x\n\ty",
      "plain",
      "",
    ];
    const s = state();
    tricky.forEach((v, i) => s.sections.get("a")![`v${i}`] = v);
    await writeInstalled(file, s);
    const back = await readInstalled(file);
    assert.deepEqual(back.parts, ["b", "a"]);
    assert.deepEqual(back.sections.get("a"), s.sections.get("a"));
    assert.deepEqual(back.sections.get("b"), s.sections.get("b"));
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [
      ".installed.cfg",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing file is an empty state; an empty state removes the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, ".installed.cfg");
    assert.deepEqual(await readInstalled(file), {
      parts: [],
      developEggs: [],
      sections: new Map(),
    });
    await writeInstalled(file, state());
    await writeInstalled(file, {
      parts: [],
      developEggs: [],
      sections: new Map(),
    });
    assert.equal(await Deno.lstat(file).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("repeated [buildout] sections: the last one wins (old append-only files)", () => {
  const s = parseInstalled(
    "[buildout]\nparts = a b\n\n[a]\nrecipe = x\n\n[buildout]\nparts = a\n",
    ".installed.cfg",
  );
  assert.deepEqual(s.parts, ["a"]);
  assert.deepEqual(s.sections.get("a"), { recipe: "x" });
});
