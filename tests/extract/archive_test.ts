import assert from "node:assert/strict";
import { extractArchive, listArchive } from "../../src/extract/archive.ts";
import { UserError } from "../../src/errors.ts";
import { TextReader, Uint8ArrayWriter, ZipWriter } from "@zip.js/zip.js";
import { makeTar, makeZip, type Member, tree } from "../install/support.ts";
import { withTempDir as withTmp } from "../support/run.ts";

const FORMATS: [string, (p: string, m: Member[]) => Promise<void>][] = [
  ["zip", makeZip],
  ["tar", (p, m) => makeTar(p, m)],
  ["tar.gz", (p, m) => makeTar(p, m, "gz")],
  ["tgz", (p, m) => makeTar(p, m, "gz")],
  ["tar.bz2", (p, m) => makeTar(p, m, "bz2")],
  ["tar.xz", (p, m) => makeTar(p, m, "xz")],
];

const SAMPLE: Member[] = [
  { name: "app/", type: "directory" },
  { name: "app/bin/run", content: "#!/bin/sh\necho hi\n", mode: 0o755 },
  { name: "app/README", content: "read me", mode: 0o644 },
  { name: "app/lib/x.py", content: "X = 1\n" },
  { name: "app/latest", type: "symlink", linkname: "lib/x.py" },
  { name: "app/lib/up", type: "symlink", linkname: "../README" },
];

for (const [ext, make] of FORMATS) {
  Deno.test(`${ext}: files, modes and inside symlinks are extracted`, () =>
    withTmp(async (dir) => {
      const file = `${dir}/sample.${ext}`;
      await make(file, SAMPLE);
      const tops = await extractArchive(file, `${dir}/out`);
      assert.deepEqual(tops, [`${dir}/out/app`]);
      assert.deepEqual(await tree(`${dir}/out`), [
        "app/",
        "app/README",
        "app/bin/",
        "app/bin/run",
        "app/latest",
        "app/lib/",
        "app/lib/up",
        "app/lib/x.py",
      ]);
      assert.equal(
        (await Deno.stat(`${dir}/out/app/bin/run`)).mode! & 0o777,
        0o755,
      );
      assert.equal(
        (await Deno.stat(`${dir}/out/app/README`)).mode! & 0o777,
        0o644,
      );
      assert.equal(await Deno.readLink(`${dir}/out/app/latest`), "lib/x.py");
      assert.equal(await Deno.readTextFile(`${dir}/out/app/latest`), "X = 1\n");
      assert.equal(await Deno.readTextFile(`${dir}/out/app/lib/up`), "read me");
      assert.deepEqual(await tree(dir), [
        "out/",
        ...(await tree(`${dir}/out`)).map((p) => "out/" + p),
        `sample.${ext}`,
      ]);
    }));

  Deno.test(`${ext}: a truncated archive is an error and leaves nothing`, () =>
    withTmp(async (dir) => {
      const file = `${dir}/sample.${ext}`;
      await make(file, [
        ...SAMPLE,
        { name: "app/big", content: "0123456789".repeat(5000) },
      ]);
      const data = await Deno.readFile(file);
      await Deno.writeFile(file, data.slice(0, Math.floor(data.length / 2)));
      await assert.rejects(
        extractArchive(file, `${dir}/out`),
        (e: Error) => {
          assert.ok(e instanceof UserError);
          const kind = ext === "tgz" ? "tar.gz" : ext;
          assert.match(
            e.message,
            new RegExp(
              `^${file.replace(/\./g, "\\.")} is not a valid ${
                kind.replace(".", "\\.")
              } archive: .+`,
            ),
          );
          return true;
        },
      );
      assert.deepEqual(await tree(dir), [`sample.${ext}`]);
    }));
}

Deno.test("garbage that is no archive at all is refused", () =>
  withTmp(async (dir) => {
    for (const name of ["x.zip", "x.tar.gz", "x.tar", "x.tar.bz2"]) {
      await Deno.writeTextFile(`${dir}/${name}`, "this is not an archive\n");
      await assert.rejects(
        extractArchive(`${dir}/${name}`, `${dir}/out`),
        new RegExp(`is not a valid .* archive`),
      );
    }
    assert.deepEqual(await tree(dir), [
      "x.tar",
      "x.tar.bz2",
      "x.tar.gz",
      "x.zip",
    ]);
  }));

const ESCAPES: [string, Member[], string][] = [
  ["an absolute path", [{ name: "/tmp/evil", content: "x" }], "/tmp/evil"],
  ["a .. path", [{ name: "ok.txt", content: "ok" }, {
    name: "../evil",
    content: "x",
  }], "../evil"],
  [
    "a .. path below a folder",
    [{ name: "a/../../evil", content: "x" }],
    "a/../../evil",
  ],
  [
    "a symlink pointing up",
    [{ name: "l", type: "symlink", linkname: "../x" }],
    "l",
  ],
  ["an absolute symlink", [{
    name: "l",
    type: "symlink",
    linkname: "/etc/passwd",
  }], "l"],
  ["a file written through an escaping symlink", [
    { name: "up", type: "symlink", linkname: ".." },
    { name: "up/evil", content: "x" },
  ], "up/evil"],
  ["a symlink that escapes through another symlink", [
    { name: "d", type: "symlink", linkname: "." },
    { name: "x/", type: "directory" },
    { name: "x/l", type: "symlink", linkname: "../d/.." },
  ], "x/l"],
];

for (const [ext, make] of FORMATS.filter(([e]) => e !== "tgz")) {
  for (const [what, members, entry] of ESCAPES) {
    Deno.test(`${ext}: ${what} is refused, nothing left behind`, () =>
      withTmp(async (dir) => {
        const file = `${dir}/evil.${ext}`;
        await make(file, members);
        await assert.rejects(
          extractArchive(file, `${dir}/sub/out`),
          new UserError(
            `Refusing to extract '${entry}' from ${file}: it points outside the destination.`,
          ),
        );
        assert.deepEqual(await tree(dir), [`evil.${ext}`, "sub/"]);
      }));
  }
}

Deno.test("tar: a hard link to a file outside is refused; inside is copied", () =>
  withTmp(async (dir) => {
    const file = `${dir}/h.tar`;
    await makeTar(file, [{
      name: "h",
      type: "link",
      linkname: "../../etc/passwd",
    }]);
    await assert.rejects(
      extractArchive(file, `${dir}/out`),
      new UserError(
        `Refusing to extract 'h' from ${file}: it points outside the destination.`,
      ),
    );
    assert.deepEqual(await tree(dir), ["h.tar"]);
    await makeTar(file, [
      { name: "a", content: "data", mode: 0o755 },
      { name: "b", type: "link", linkname: "a" },
    ]);
    await extractArchive(file, `${dir}/out`);
    assert.equal(await Deno.readTextFile(`${dir}/out/b`), "data");
    assert.equal((await Deno.stat(`${dir}/out/b`)).mode! & 0o777, 0o755);
  }));

Deno.test("a symlink to a folder inside is followed for later entries", () =>
  withTmp(async (dir) => {
    const file = `${dir}/l.tar`;
    await makeTar(file, [
      { name: "real/", type: "directory" },
      { name: "alias", type: "symlink", linkname: "real" },
      { name: "alias/f.txt", content: "f" },
    ]);
    await extractArchive(file, `${dir}/out`);
    assert.deepEqual(await tree(`${dir}/out`), [
      "alias",
      "real/",
      "real/f.txt",
    ]);
  }));

Deno.test("stripTopLevel drops the single top folder; links must stay below it", () =>
  withTmp(async (dir) => {
    const file = `${dir}/p.tar.gz`;
    await makeTar(file, SAMPLE, "gz");
    const tops = await extractArchive(file, `${dir}/out`, {
      stripTopLevel: true,
    });
    assert.deepEqual(
      tops,
      ["README", "bin", "latest", "lib"].map((n) => `${dir}/out/${n}`),
    );
    assert.equal(await Deno.readTextFile(`${dir}/out/lib/up`), "read me");

    await makeTar(file, [
      { name: "top/a", content: "a" },
      { name: "top/l", type: "symlink", linkname: "../top/a" },
    ], "gz");
    await assert.rejects(
      extractArchive(file, `${dir}/out2`, { stripTopLevel: true }),
      new UserError(
        `Refusing to extract 'top/l' from ${file}: it points outside the destination.`,
      ),
    );
    await makeTar(file, [{ name: "a", content: "a" }, {
      name: "b",
      content: "b",
    }], "gz");
    await assert.rejects(
      extractArchive(file, `${dir}/out2`, { stripTopLevel: true }),
      new UserError(
        `Cannot strip the top-level folder of ${file}: it does not hold exactly one folder at its root.`,
      ),
    );
    assert.deepEqual(
      (await tree(dir)).filter((p) => p === "out/" || !p.startsWith("out/")),
      [
        "out/",
        "p.tar.gz",
      ],
    );
  }));

Deno.test("excludes skip matching entries and what is below them", () =>
  withTmp(async (dir) => {
    const file = `${dir}/p.zip`;
    await makeZip(file, [
      { name: "p/keep.py", content: "" },
      { name: "p/drop.pyc", content: "" },
      { name: "p/tests/t.py", content: "" },
    ]);
    await extractArchive(file, `${dir}/out`, {
      excludes: ["*.pyc", "p/tests"],
    });
    assert.deepEqual(await tree(`${dir}/out`), ["p/", "p/keep.py"]);
  }));

Deno.test("extracting into an existing folder adds to it", () =>
  withTmp(async (dir) => {
    await Deno.mkdir(`${dir}/out`);
    await Deno.writeTextFile(`${dir}/out/mine`, "keep");
    const file = `${dir}/p.zip`;
    await makeZip(file, [{ name: "new.txt", content: "n" }]);
    assert.deepEqual(await extractArchive(file, `${dir}/out`), [
      `${dir}/out/new.txt`,
    ]);
    assert.deepEqual(await tree(`${dir}/out`), ["mine", "new.txt"]);
    assert.deepEqual(await tree(dir), [
      "out/",
      "out/mine",
      "out/new.txt",
      "p.zip",
    ]);
  }));

Deno.test("a missing decompressor is a clear error", () =>
  withTmp(async (dir) => {
    const file = `${dir}/p.tar.xz`;
    await makeTar(file, [{ name: "a", content: "a" }], "xz");
    const path = Deno.env.get("PATH")!;
    Deno.env.set("PATH", dir);
    try {
      await assert.rejects(
        extractArchive(file, `${dir}/out`),
        new UserError(
          `Cannot extract ${file}: the 'xz' command is needed for this archive and was not found on PATH.`,
        ),
      );
    } finally {
      Deno.env.set("PATH", path);
    }
    assert.deepEqual(await tree(dir), ["p.tar.xz"]);
  }));

Deno.test("listArchive names the members without extracting", () =>
  withTmp(async (dir) => {
    await makeZip(`${dir}/p.zip`, [{ name: "a/b.txt", content: "" }]);
    assert.deepEqual(await listArchive(`${dir}/p.zip`), ["a/b.txt"]);
    await makeTar(`${dir}/p.tgz`, SAMPLE, "gz");
    assert.deepEqual(
      await listArchive(`${dir}/p.tgz`),
      SAMPLE.map((m) => m.name),
    );
  }));

Deno.test("zip: stored and deflated members are checked against their CRC", () =>
  withTmp(async (dir) => {
    const text = "the same sentence again and again. ".repeat(50);
    const out = new Uint8ArrayWriter();
    const zw = new ZipWriter(out, { useWebWorkers: false });
    await zw.add("stored.txt", new TextReader(text), { level: 0 });
    await zw.add("deflated.txt", new TextReader(text));
    const data = await zw.close();
    const file = `${dir}/c.zip`;
    await Deno.writeFile(file, data);
    await extractArchive(file, `${dir}/ok`);
    assert.equal(await Deno.readTextFile(`${dir}/ok/stored.txt`), text);
    assert.equal(await Deno.readTextFile(`${dir}/ok/deflated.txt`), text);
    // flip one byte inside the stored member's content
    const at = new TextDecoder("latin1").decode(data).indexOf(
      "the same sentence",
    );
    data[at + 4] ^= 0x20;
    await Deno.writeFile(file, data);
    await assert.rejects(
      extractArchive(file, `${dir}/bad`),
      new UserError(
        `${file} is not a valid zip archive: stored.txt: data does not match its checksum`,
      ),
    );
    assert.deepEqual(await tree(dir), [
      "c.zip",
      "ok/",
      "ok/deflated.txt",
      "ok/stored.txt",
    ]);
  }));

Deno.test("direct: written straight into a private folder, no temporary folder beside it", () =>
  withTmp(async (dir) => {
    const file = `${dir}/sample.zip`;
    await makeZip(file, SAMPLE);
    const seen: string[] = [];
    await Deno.mkdir(`${dir}/private/out`, { recursive: true });
    const tops = await extractArchive(file, `${dir}/private/out`, {
      direct: true,
      onFile: (name) => {
        seen.push(name);
        return undefined;
      },
    });
    assert.deepEqual(tops, [`${dir}/private/out/app`]);
    assert.deepEqual(await tree(`${dir}/private`), [
      "out/",
      "out/app/",
      "out/app/README",
      "out/app/bin/",
      "out/app/bin/run",
      "out/app/latest",
      "out/app/lib/",
      "out/app/lib/up",
      "out/app/lib/x.py",
    ]);
    assert.deepEqual(seen.sort(), [
      "app/README",
      "app/bin/run",
      "app/lib/x.py",
    ]);
  }));
