import assert from "node:assert/strict";
import { join } from "node:path";
import { STALE_AFTER_MS, sweepStale, writeFileAtomic } from "../src/fsutil.ts";
import { withTempDir } from "./support/run.ts";

Deno.test("sweepStale removes old leftovers only, and only the temporary ones", async () => {
  await withTempDir(async (dir) => {
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    await Deno.mkdir(join(dir, ".tmp-old", "pkg"), { recursive: true });
    await Deno.utime(join(dir, ".tmp-old"), old, old);
    await Deno.mkdir(join(dir, ".tmp-fresh"));
    await Deno.mkdir(join(dir, "demo-0.2-py3.11.egg"));
    await Deno.utime(join(dir, "demo-0.2-py3.11.egg"), old, old);
    assert.deepEqual(sweepStale(dir, (n) => n.startsWith(".tmp-")), [
      ".tmp-old",
    ]);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, [".tmp-fresh", "demo-0.2-py3.11.egg"]);
    assert.deepEqual(sweepStale(join(dir, "missing"), () => true), []);
  });
});

Deno.test("writeFileAtomic replaces a file whole, with its mode whatever the umask, and leaves no temporary file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "app");
    await Deno.writeTextFile(path, "old");
    const umask = Deno.umask(0o077);
    try {
      await writeFileAtomic(path, "#!/bin/sh\n", { mode: 0o755 });
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o755);
      await writeFileAtomic(join(dir, "bytes"), new Uint8Array([1, 2, 3]));
      assert.equal((await Deno.stat(join(dir, "bytes"))).mode! & 0o777, 0o600);
    } finally {
      Deno.umask(umask);
    }
    assert.equal(await Deno.readTextFile(path), "#!/bin/sh\n");
    assert.deepEqual(
      await Deno.readFile(join(dir, "bytes")),
      new Uint8Array([1, 2, 3]),
    );
    await writeFileAtomic(path, "named", { temp: join(dir, "app.42.tmp") });
    assert.equal(await Deno.readTextFile(path), "named");
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["app", "bytes"]);
  });
});

Deno.test("writeFileAtomic: when the rename fails, the target is untouched and no temporary file is left", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "target");
    await Deno.mkdir(join(target, "inside"), { recursive: true });
    await assert.rejects(
      writeFileAtomic(target, "text"),
      Deno.errors.IsADirectory,
    );
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(names, ["target"]);
    assert.deepEqual([...Deno.readDirSync(target)].map((e) => e.name), [
      "inside",
    ]);
  });
});
