import assert from "node:assert/strict";
import {
  compareDistFiles,
  type DistFile,
  expandTags,
  kindRank,
  parseDistFilename,
} from "../../src/pypa/filename.ts";
import { isPrerelease } from "../../src/pypa/version.ts";

Deno.test("eggs: name-version[-pyX.Y[-platform]].egg", () => {
  assert.deepEqual(parseDistFilename("demo-0.4c1-py2.4.egg"), {
    filename: "demo-0.4c1-py2.4.egg",
    name: "demo",
    key: "demo",
    version: "0.4c1",
    kind: "egg",
    pyVersion: "2.4",
  });
  assert.ok(isPrerelease(parseDistFilename("demo-0.4c1-py2.4.egg")!.version));
  assert.deepEqual(
    parseDistFilename("extdemo-1.4-py3.11-linux-x86_64.egg"),
    {
      filename: "extdemo-1.4-py3.11-linux-x86_64.egg",
      name: "extdemo",
      key: "extdemo",
      version: "1.4",
      kind: "egg",
      pyVersion: "3.11",
      platform: "linux-x86_64",
    },
  );
  const bare = parseDistFilename("du_zipped-1.0.egg")!;
  assert.equal(bare.key, "du-zipped");
  assert.equal(bare.name, "du_zipped");
  assert.equal(bare.pyVersion, undefined);
  assert.equal(bare.platform, undefined);
  assert.equal(
    parseDistFilename("foo-1.0_post1-py3.11.egg")?.version,
    "1.0-post1",
  );
  const zipped = parseDistFilename("du_zipped-1.0-py3.11.egg.zip")!;
  assert.equal(zipped.kind, "egg");
  assert.equal(zipped.pyVersion, "3.11");
  assert.equal(
    parseDistFilename("http://x/y/demo-0.2-py3.11.egg")?.filename,
    "demo-0.2-py3.11.egg",
  );
});

Deno.test("wheels: PEP 427 with build tags and compressed tag sets", () => {
  assert.deepEqual(parseDistFilename("demo-0.2-py3-none-any.whl"), {
    filename: "demo-0.2-py3-none-any.whl",
    name: "demo",
    key: "demo",
    version: "0.2",
    kind: "wheel",
    tags: ["py3-none-any"],
  });
  const w = parseDistFilename("Foo_Bar-1.0-1-py2.py3-none-any.whl")!;
  assert.equal(w.key, "foo-bar");
  assert.equal(w.build, "1");
  assert.deepEqual(w.tags, ["py2-none-any", "py3-none-any"]);
  const m = parseDistFilename(
    "numpy-1.26.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
  )!;
  assert.deepEqual(m.tags, [
    "cp311-cp311-manylinux_2_17_x86_64",
    "cp311-cp311-manylinux2014_x86_64",
  ]);
  assert.deepEqual(expandTags("CP311.py3", "abi3.none", "ANY"), [
    "cp311-abi3-any",
    "cp311-none-any",
    "py3-abi3-any",
    "py3-none-any",
  ]);
});

Deno.test("sdists: every extension, version at the first digit part", () => {
  for (
    const ext of [".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip"]
  ) {
    const d = parseDistFilename("demoneeded-1.2c1" + ext)!;
    assert.equal(d.kind, "sdist", ext);
    assert.equal(d.name, "demoneeded");
    assert.equal(d.version, "1.2c1");
  }
  const fb = parseDistFilename("foo-bar-1.0.zip")!;
  assert.equal(fb.name, "foo-bar");
  assert.equal(fb.version, "1.0");
  assert.equal(parseDistFilename("mixedcase-0.5.tar.gz")?.key, "mixedcase");
  assert.equal(parseDistFilename("MIXEDCASE-0.5.TAR.GZ")?.key, "mixedcase");
  assert.equal(parseDistFilename("foo-1.0-1.tar.gz")?.version, "1.0-1");
  const late = parseDistFilename("foo-2-bar-1.0.tar.gz")!;
  assert.equal(late.name, "foo-2-bar");
  assert.equal(late.version, "1.0");
});

Deno.test("unparsable names are ignored, never thrown", () => {
  for (
    const f of [
      "index.html",
      "",
      "/",
      "demo.egg",
      "demo-.egg",
      "demo-latest-py3.11.egg",
      "demo-0.2.whl",
      "demo-0.2-py3-none.whl",
      "demo-0.2-x-py3-none-any.whl",
      "demo-0.2--none-any.whl",
      "demo.tar.gz",
      "demo-final.zip",
      "foo-1.0-py2.4-linux.tar.gz",
      "foo-1.0.linux-x86_64.tar.gz",
      "README.txt",
      "foo-1.0.exe",
      "-1.0.zip",
    ]
  ) {
    assert.equal(parseDistFilename(f), undefined, f);
  }
});

Deno.test("kindRank and compareDistFiles: version first, then wheel > egg > sdist", () => {
  assert.ok(kindRank("wheel") > kindRank("egg"));
  assert.ok(kindRank("egg") > kindRank("sdist"));
  const files = [
    "demo-0.3.tar.gz",
    "demo-0.3-py3-none-any.whl",
    "demo-0.4c1-py3.11.egg",
    "demo-0.3-py3.11.egg",
    "demo-0.2-py3-none-any.whl",
  ].map((f) => parseDistFilename(f) as DistFile);
  assert.deepEqual(files.sort(compareDistFiles).map((f) => f.filename), [
    "demo-0.2-py3-none-any.whl",
    "demo-0.3.tar.gz",
    "demo-0.3-py3.11.egg",
    "demo-0.3-py3-none-any.whl",
    "demo-0.4c1-py3.11.egg",
  ]);
});
