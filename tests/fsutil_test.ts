import assert from "node:assert/strict";
import { join } from "node:path";
import { STALE_AFTER_MS, sweepStale } from "../src/fsutil.ts";
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
