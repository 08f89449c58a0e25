import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  createBundle,
  unpackBundle,
  verifyBundleFile,
  verifyDirectory,
} from "../../src/bundle/bundle.ts";
import {
  readTarGz,
  type TarSource,
  writeTarGz,
} from "../../src/bundle/tarball.ts";
import { describeProblem } from "../../src/bundle/manifest.ts";

const enc = new TextEncoder();
const noFetch = (url: string) =>
  Promise.reject(new Error(`no fetch expected: ${url}`));

async function readAll(file: string): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const e of readTarGz(file)) {
    out.set(e.name, new Uint8Array(await new Response(e.body).arrayBuffer()));
  }
  return out;
}

/** A buildout folder with a config extending a base, and a download cache. */
async function sample(tmp: string) {
  const b = join(tmp, "b");
  await Deno.mkdir(join(b, "downloads", "dist"), { recursive: true });
  await Deno.mkdir(join(b, "downloads", "download"), { recursive: true });
  await Deno.writeTextFile(
    join(b, "buildout.cfg"),
    "[buildout]\nextends = base.cfg\ndownload-cache = downloads\nparts =\n",
  );
  await Deno.writeTextFile(join(b, "base.cfg"), "[versions]\ndemo = 0.2\n");
  await Deno.writeFile(
    join(b, "downloads", "dist", "demo-0.2.tar.gz"),
    new Uint8Array([1, 2, 3]),
  );
  await Deno.writeTextFile(
    join(b, "downloads", "download", "tool"),
    "#!/bin/sh\n",
  );
  return b;
}

Deno.test("a bundle holds the configs, the whole cache and a MANIFEST of sha256 sums", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const b = await sample(tmp);
    const output = join(tmp, "out", "bundle.tar.gz");
    const summary = await createBundle({
      configFile: join(b, "buildout.cfg"),
      downloadCache: join(b, "downloads"),
      output,
      fetchText: noFetch,
    });
    assert.equal(summary.cacheFiles, 2);
    const files = await readAll(output);
    assert.deepEqual([...files.keys()], [
      "buildout.cfg",
      "base.cfg",
      "download-cache/dist/demo-0.2.tar.gz",
      "download-cache/download/tool",
      "MANIFEST",
    ]);
    const dec = new TextDecoder();
    assert.equal(
      dec.decode(files.get("buildout.cfg")),
      "[buildout]\nextends = base.cfg\ndownload-cache = download-cache\nparts =\n",
    );
    const manifest = dec.decode(files.get("MANIFEST"));
    const expected = [...files.entries()].filter(([n]) => n !== "MANIFEST").map(
      ([n, d]) => `${createHash("sha256").update(d).digest("hex")}  ${n}\n`,
    ).join("");
    assert.equal(manifest, expected);
    const v = await verifyBundleFile(output);
    assert.deepEqual(v.problems, []);
    assert.equal(v.checked, 4);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("verify reports a tampered, a missing and an unlisted file in a bundle", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const b = await sample(tmp);
    const good = join(tmp, "good.tar.gz");
    await createBundle({
      configFile: join(b, "buildout.cfg"),
      downloadCache: join(b, "downloads"),
      output: good,
      fetchText: noFetch,
    });
    const sources: TarSource[] = [];
    for (const [name, data] of await readAll(good)) {
      if (name === "base.cfg") continue;
      const changed = name.endsWith("demo-0.2.tar.gz")
        ? new Uint8Array([9])
        : data;
      sources.push({ name, data: changed });
    }
    sources.push({ name: "extra.txt", data: enc.encode("x") });
    const bad = join(tmp, "bad.tar.gz");
    await writeTarGz(bad, sources);
    const v = await verifyBundleFile(bad);
    assert.deepEqual(v.problems.map(describeProblem), [
      "base.cfg: missing",
      "download-cache/dist/demo-0.2.tar.gz: sha256 mismatch",
      "extra.txt: not listed in MANIFEST",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("unpack into a fresh folder, then verify the folder and its download cache", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const b = await sample(tmp);
    const bundle = join(tmp, "bundle.tar.gz");
    await createBundle({
      configFile: join(b, "buildout.cfg"),
      downloadCache: join(b, "downloads"),
      output: bundle,
      fetchText: noFetch,
    });
    const dest = join(tmp, "fresh", "app");
    assert.equal(await unpackBundle(bundle, dest), join(dest, "buildout.cfg"));
    const names = [];
    for await (const e of Deno.readDir(dest)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "MANIFEST",
      "base.cfg",
      "buildout.cfg",
      "download-cache",
    ]);
    assert.equal(
      await Deno.readTextFile(join(dest, "download-cache/download/tool")),
      "#!/bin/sh\n",
    );
    assert.deepEqual((await verifyDirectory(dest)).problems, []);
    const cacheCheck = await verifyDirectory(join(dest, "download-cache"));
    assert.equal(cacheCheck.manifestPath, join(dest, "MANIFEST"));
    assert.equal(cacheCheck.checked, 2);

    await Deno.writeTextFile(
      join(dest, "download-cache/download/tool"),
      "evil\n",
    );
    await Deno.remove(join(dest, "download-cache/dist/demo-0.2.tar.gz"));
    const v = await verifyDirectory(join(dest, "download-cache"));
    assert.deepEqual(v.problems.map(describeProblem), [
      "download-cache/dist/demo-0.2.tar.gz: missing",
      "download-cache/download/tool: sha256 mismatch",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a bundle with an escaping entry is refused and nothing is unpacked", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const bundle = join(tmp, "evil.tar.gz");
    await writeTarGz(bundle, [
      { name: "buildout.cfg", data: enc.encode("[buildout]\n") },
      { name: "../evil.txt", data: enc.encode("x") },
      { name: "MANIFEST", data: enc.encode("") },
    ]);
    const dest = join(tmp, "dest");
    await assert.rejects(unpackBundle(bundle, dest), /evil\.txt/);
    const left = [];
    for await (const e of Deno.readDir(dest)) left.push(e.name);
    assert.deepEqual(left, []);
    await assert.rejects(Deno.stat(join(tmp, "evil.txt")));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("no download cache: a clear error", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    await assert.rejects(
      createBundle({
        configFile: join(tmp, "buildout.cfg"),
        downloadCache: join(tmp, "nope"),
        output: join(tmp, "b.tar.gz"),
        fetchText: noFetch,
      }),
      /download cache .*nope doesn't exist: run buildout first/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
