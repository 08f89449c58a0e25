import assert from "node:assert/strict";
import { writeScript } from "../../src/scripts/write.ts";
import { UserError } from "../../src/errors.ts";
import { withTempDir as withTemp } from "../support/run.ts";

Deno.test("writeScript writes a new script with mode 0755", () =>
  withTemp(async (dir) => {
    const path = `${dir}/demo`;
    assert.equal(
      await writeScript(path, "#!/usr/bin/python3\nprint(1)\n"),
      true,
    );
    assert.equal(
      await Deno.readTextFile(path),
      "#!/usr/bin/python3\nprint(1)\n",
    );
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o755);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["demo"]);
  }));

Deno.test("writeScript leaves an identical script alone and reports no change", () =>
  withTemp(async (dir) => {
    const path = `${dir}/demo`;
    await writeScript(path, "same\n");
    const before = await Deno.stat(path);
    assert.equal(await writeScript(path, "same\n"), false);
    const after = await Deno.stat(path);
    assert.equal(after.ino, before.ino); // not replaced
    assert.equal(after.mtime?.getTime(), before.mtime?.getTime());
  }));

Deno.test("writeScript replaces changed content (new file, no temp left behind)", () =>
  withTemp(async (dir) => {
    const path = `${dir}/demo`;
    await Deno.writeTextFile(path, "old\n", { mode: 0o644 });
    await Deno.chmod(path, 0o644);
    assert.equal(await writeScript(path, "new\n"), true);
    assert.equal(await Deno.readTextFile(path), "new\n");
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o755);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["demo"]);
  }));

Deno.test("writeScript restores lost execute bits of an unchanged script", () =>
  withTemp(async (dir) => {
    const path = `${dir}/demo`;
    await writeScript(path, "x\n");
    await Deno.chmod(path, 0o644);
    assert.equal(await writeScript(path, "x\n"), false);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o755);
  }));

Deno.test("writeScript refuses to replace a directory", () =>
  withTemp(async (dir) => {
    await Deno.mkdir(`${dir}/demo`);
    await assert.rejects(writeScript(`${dir}/demo`, "x\n"), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.equal(
        e.message,
        `Cannot write script '${dir}/demo': it is a directory.`,
      );
      return true;
    });
  }));
