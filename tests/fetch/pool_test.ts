import assert from "node:assert/strict";
import { limiter, mapLimit } from "../../src/fetch/pool.ts";
import { progressLine } from "../../src/fetch/progress.ts";

Deno.test("mapLimit keeps order and never runs more than the limit at once", async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30, 0]);
  assert.equal(peak, 2);
  assert.deepEqual(await mapLimit([], 4, () => Promise.resolve(1)), []);
});

Deno.test("mapLimit stops starting work after a failure and throws it", async () => {
  const started: number[] = [];
  await assert.rejects(
    mapLimit([1, 2, 3, 4, 5], 1, (n) => {
      started.push(n);
      return n === 2 ? Promise.reject(new Error("boom 2")) : Promise.resolve(n);
    }),
    { message: "boom 2" },
  );
  assert.deepEqual(started, [1, 2]);
});

Deno.test("progressLine draws a bar with percentage and sizes", () => {
  const MiB = 1024 * 1024;
  assert.equal(
    progressLine("demo.whl", 1.5 * MiB, 3 * MiB, 10),
    "demo.whl [#####     ]  50% 1.5/3.0 MiB",
  );
  assert.equal(progressLine("x", 2 * MiB, NaN), "x 2.0 MiB");
});

Deno.test("limiter: never more than the limit at once, every result returned", async () => {
  const run = limiter(2);
  let active = 0;
  let peak = 0;
  const results = await Promise.all([1, 2, 3, 4, 5].map((n) =>
    run(async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return n * 10;
    })
  ));
  assert.deepEqual(results, [10, 20, 30, 40, 50]);
  assert.equal(peak, 2);
});
