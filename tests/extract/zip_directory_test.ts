import assert from "node:assert/strict";
import { extractArchive } from "../../src/extract/archive.ts";
import { UserError } from "../../src/errors.ts";
import { tree } from "../install/support.ts";
import { withTempDir as withTmp } from "../support/run.ts";
import {
  type CraftedMember,
  type CraftOptions,
  craftZip,
} from "./zip_bytes.ts";

const TWO: CraftedMember[] = [
  { name: "pkg/__init__.py", content: "" },
  { name: "pkg/mod.py", content: "X = 1\n" },
];

async function write(dir: string, members: CraftedMember[], o?: CraftOptions) {
  const file = `${dir}/p.zip`;
  await Deno.writeFile(file, craftZip(members, o));
  return file;
}

/** What Python's zipfile (the reference reader) lists in `file`. */
async function pythonNames(file: string): Promise<string[]> {
  const out = await new Deno.Command("python3", {
    args: [
      "-c",
      "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
      file,
    ],
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).trim().split("\n");
}

/** Extracting `file` fails with `<file> is not a valid zip archive: <why>`, leaving nothing. */
async function refused(dir: string, file: string, why: string) {
  await assert.rejects(
    extractArchive(file, `${dir}/out`),
    new UserError(`${file} is not a valid zip archive: ${why}`),
  );
  assert.deepEqual(await tree(dir), ["p.zip"]);
}

Deno.test("zip64: sizes and offsets from the zip64 records and extra fields", () =>
  withTmp(async (dir) => {
    const file = await write(dir, TWO, { zip64: true });
    assert.deepEqual(await pythonNames(file), [
      "pkg/__init__.py",
      "pkg/mod.py",
    ]);
    await extractArchive(file, `${dir}/out`);
    assert.deepEqual(await tree(`${dir}/out`), [
      "pkg/",
      "pkg/__init__.py",
      "pkg/mod.py",
    ]);
    assert.equal(await Deno.readTextFile(`${dir}/out/pkg/mod.py`), "X = 1\n");
  }));

Deno.test("zip: an archive comment is skipped to find the directory", () =>
  withTmp(async (dir) => {
    const comment = "made by hand ".repeat(4000); // 52,000 bytes
    for (const zip64 of [false, true]) {
      const file = await write(dir, TWO, { comment, zip64 });
      await extractArchive(file, `${dir}/out${zip64}`);
      assert.equal(
        await Deno.readTextFile(`${dir}/out${zip64}/pkg/mod.py`),
        "X = 1\n",
      );
    }
  }));

Deno.test("zip: names are UTF-8 when flagged so, else code page 437 (as Python's zipfile)", () =>
  withTmp(async (dir) => {
    const utf8 = new TextEncoder().encode("café-utf8.txt");
    const file = await write(dir, [
      {
        name: new Uint8Array([
          ...new TextEncoder().encode("caf"),
          0x82,
          ...new TextEncoder().encode(".txt"),
        ]),
        content: "437",
      },
      { name: utf8, flags: 0x800, content: "flagged" },
      { name: utf8, content: "unflagged" },
    ]);
    const names = ["café-utf8.txt", "café.txt", "caf├⌐-utf8.txt"];
    assert.deepEqual((await pythonNames(file)).sort(), names);
    await extractArchive(file, `${dir}/out`);
    assert.deepEqual(await tree(`${dir}/out`), names);
    assert.equal(await Deno.readTextFile(`${dir}/out/café.txt`), "437");
    assert.equal(
      await Deno.readTextFile(`${dir}/out/café-utf8.txt`),
      "flagged",
    );
    assert.equal(
      await Deno.readTextFile(`${dir}/out/caf├⌐-utf8.txt`),
      "unflagged",
    );
  }));

Deno.test("zip: a central directory cut short is refused", () =>
  withTmp(async (dir) => {
    const whole = craftZip(TWO);
    const cut = new Uint8Array([
      ...whole.subarray(0, whole.length - 22 - 10),
      ...whole.subarray(whole.length - 22),
    ]);
    const file = `${dir}/p.zip`;
    await Deno.writeFile(file, cut);
    await refused(
      dir,
      file,
      "central directory truncated or misplaced (117 bytes declared at offset 91)",
    );
    await Deno.writeFile(file, whole.subarray(0, whole.length - 30));
    await refused(dir, file, "no central directory (end record not found)");
  }));

Deno.test("zip: an end record declaring more members than its directory holds is refused", () =>
  withTmp(async (dir) => {
    await refused(
      dir,
      await write(dir, TWO, { declaredCount: 60000 }),
      "the archive declares 60000 members but its central directory holds at most 2",
    );
    await refused(
      dir,
      await write(dir, TWO, { declaredCount: 60000, zip64: true }),
      "the archive declares 60000 members but its central directory holds at most 3",
    );
    await refused(
      dir,
      await write(dir, TWO, { declaredCount: 3, zip64: true }),
      "central directory record 3 is damaged",
    );
  }));

Deno.test("zip: a directory too large to read is refused before it is read", () =>
  withTmp(async (dir) => {
    await refused(
      dir,
      await write(dir, TWO, { declaredSize: 100 * 1024 * 1024, zip64: true }),
      "central directory too large (104857600 bytes, at most 67108864)",
    );
  }));

Deno.test("zip: encrypted members and unknown methods are refused before anything is written", () =>
  withTmp(async (dir) => {
    await refused(
      dir,
      await write(dir, [...TWO, {
        name: "pkg/secret.py",
        content: "x",
        flags: 1,
      }]),
      "pkg/secret.py: encrypted members are not supported",
    );
    await refused(
      dir,
      await write(dir, [...TWO, {
        name: "pkg/x.py",
        content: "x",
        method: 12,
      }]),
      "pkg/x.py: compression method 12 is not supported",
    );
  }));

Deno.test("zip: a name with a .. part is refused even when it stays inside", () =>
  withTmp(async (dir) => {
    const file = await write(dir, [{ name: "pkg/../mod.py", content: "" }]);
    await assert.rejects(
      extractArchive(file, `${dir}/out`),
      new UserError(
        `Refusing to extract 'pkg/../mod.py' from ${file}: it points outside the destination.`,
      ),
    );
    assert.deepEqual(await tree(dir), ["p.zip"]);
  }));

Deno.test("zip: a zip64 archive whose zip64 end record is gone is refused", () =>
  withTmp(async (dir) => {
    const bytes = craftZip(TWO, { zip64: true });
    const v = new DataView(bytes.buffer);
    for (let i = bytes.length - 22; i >= 0; i--) {
      if (v.getUint32(i, true) === 0x06064b50) v.setUint32(i, 0, true);
    }
    const file = `${dir}/p.zip`;
    await Deno.writeFile(file, bytes);
    await refused(dir, file, "zip64 end of central directory record not found");
  }));

Deno.test("zip: bytes before the archive (a self-extractor's stub) are skipped, as Python does", () =>
  withTmp(async (dir) => {
    for (const zip64 of [false, true]) {
      const stub = new TextEncoder().encode("#!/bin/sh\nexit 0\n".repeat(10));
      const file = `${dir}/p${zip64}.zip`;
      await Deno.writeFile(
        file,
        new Uint8Array([...stub, ...craftZip(TWO, { zip64 })]),
      );
      assert.deepEqual(await pythonNames(file), [
        "pkg/__init__.py",
        "pkg/mod.py",
      ]);
      await extractArchive(file, `${dir}/out${zip64}`);
      assert.equal(
        await Deno.readTextFile(`${dir}/out${zip64}/pkg/mod.py`),
        "X = 1\n",
      );
    }
  }));
