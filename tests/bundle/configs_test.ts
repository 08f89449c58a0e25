import assert from "node:assert/strict";
import { join } from "node:path";
import {
  collectConfigs,
  localName,
  rewriteExtends,
  setBuildoutOption,
  uniqueName,
} from "../../src/bundle/configs.ts";

Deno.test("local names: inside the buildout keep their path, others go below extends/", () => {
  assert.equal(localName("/b/cfg/base.cfg", "/b"), "cfg/base.cfg");
  assert.equal(localName("/etc/site.cfg", "/b"), "extends/local/site.cfg");
  assert.equal(
    localName("http://h:8080/x/base.cfg", "/b"),
    "extends/h_8080/x/base.cfg",
  );
  assert.equal(localName("http://h/", "/b"), "extends/h/index.cfg");
  assert.equal(
    uniqueName("a/base.cfg", new Set(["a/base.cfg", "a/base-2.cfg"])),
    "a/base-3.cfg",
  );
});

Deno.test("rewriteExtends replaces single- and multi-line values, keeps the rest", () => {
  const text =
    "[buildout]\nextends =\n    a.cfg\n    http://h/b.cfg\nparts = x\n\n[x]\nextends = no\n";
  const out = rewriteExtends(text, "t.cfg", (e) => e.toUpperCase());
  assert.equal(
    out,
    "[buildout]\nextends =\n    A.CFG\n    HTTP://H/B.CFG\nparts = x\n\n[x]\nextends = no\n",
  );
});

Deno.test("setBuildoutOption replaces, inserts after the header, or appends a section", () => {
  assert.equal(
    setBuildoutOption(
      "[buildout]\ndownload-cache =\n   /x\nparts =\n",
      "t",
      "download-cache",
      "dc",
    ),
    "[buildout]\ndownload-cache = dc\nparts =\n",
  );
  assert.equal(
    setBuildoutOption("[buildout]\nparts =\n", "t", "download-cache", "dc"),
    "[buildout]\ndownload-cache = dc\nparts =\n",
  );
  assert.equal(
    setBuildoutOption("[x]\na = 1", "t", "download-cache", "dc"),
    "[x]\na = 1\n\n[buildout]\ndownload-cache = dc\n",
  );
});

Deno.test("collectConfigs follows local and remote extends and makes them local", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await Deno.mkdir(join(tmp, "b", "cfg"), { recursive: true });
    await Deno.writeTextFile(
      join(tmp, "b", "buildout.cfg"),
      "[buildout]\nextends = cfg/base.cfg ../outside.cfg\nparts =\n",
    );
    await Deno.writeTextFile(
      join(tmp, "b", "cfg", "base.cfg"),
      "[buildout]\nextends = http://h/r/versions.cfg\n",
    );
    await Deno.writeTextFile(join(tmp, "outside.cfg"), "[buildout]\nx = 1\n");
    const fetched: string[] = [];
    const fetchText = (url: string) => {
      fetched.push(url);
      if (url === "http://h/r/versions.cfg") {
        return Promise.resolve("[buildout]\nextends = more.cfg\n[versions]\n");
      }
      return Promise.resolve("[versions]\ndemo = 0.2\n");
    };
    const files = await collectConfigs(
      join(tmp, "b", "buildout.cfg"),
      "download-cache",
      fetchText,
    );
    const byName = Object.fromEntries(files.map((f) => [f.name, f.text]));
    assert.deepEqual(files.map((f) => f.name), [
      "buildout.cfg",
      "cfg/base.cfg",
      "extends/local/outside.cfg",
      "extends/h/r/versions.cfg",
      "extends/h/r/more.cfg",
    ]);
    assert.equal(
      byName["buildout.cfg"],
      "[buildout]\ndownload-cache = download-cache\nextends =\n    cfg/base.cfg\n    extends/local/outside.cfg\nparts =\n",
    );
    assert.equal(
      byName["cfg/base.cfg"],
      "[buildout]\nextends = ../extends/h/r/versions.cfg\n",
    );
    assert.equal(
      byName["extends/h/r/versions.cfg"],
      "[buildout]\nextends = more.cfg\n[versions]\n",
    );
    assert.deepEqual(fetched, [
      "http://h/r/versions.cfg",
      "http://h/r/more.cfg",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
