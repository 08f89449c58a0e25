/**
 * The wheel pool: wheels unpacked on workers give exactly what the main
 * thread gives; errors cross the worker boundary as the same kind of error
 * with the same message; workers and the writer thread start only for a
 * backlog; after close() nothing runs; a worker never has more permission
 * than the main thread.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../../src/errors.ts";
import { InvalidArchiveError } from "../../src/extract/archive.ts";
import { buildFromWheel } from "../../src/install/wheel.ts";
import {
  defaultWorkers,
  PoolClosed,
  WheelPool,
} from "../../src/install/wheel_pool.ts";
import { generateWheelhouse } from "../../tools/bench/wheelhouse.ts";
import { TASK_FLAGS, withTempDir } from "../support/run.ts";
import { INTERP, makeWheel, tree } from "./support.ts";

const interp = { pyVersion: INTERP.pyVersion, platform: INTERP.platform };

async function contents(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await tree(dir)) {
    out.push(
      rel.endsWith("/")
        ? rel
        : `${rel} ${await Deno.readTextFile(join(dir, rel))}`,
    );
  }
  return out;
}

Deno.test("wheels unpacked on a worker are the same as on the main thread", () =>
  withTempDir(async (dir) => {
    const house = join(dir, "house");
    const { files } = await generateWheelhouse(house, { count: 29 });
    const pool = new WheelPool({ workers: 1, backlog: 1 });
    try {
      const built = await Promise.all(files.map(async (f, i) => {
        const work = join(dir, `pool-${i}`);
        await Deno.mkdir(work);
        return await pool.run({ file: join(house, f), work, interp });
      }));
      assert.equal(pool.workersStarted, 1);
      for (const [i, f] of files.entries()) {
        const work = join(dir, `main-${i}`);
        await Deno.mkdir(work);
        const ref = await buildFromWheel(join(house, f), work, interp);
        assert.deepEqual(
          { ...built[i], dir: "" },
          { ...ref, dir: "" },
        );
        assert.deepEqual(
          await contents(join(dir, `pool-${i}`)),
          await contents(work),
        );
      }
    } finally {
      await pool.close();
    }
  }));

Deno.test("wheels whose files the writer thread wrote are the same as written here", () =>
  withTempDir(async (dir) => {
    const house = join(dir, "house");
    const { files } = await generateWheelhouse(house, { count: 20 });
    const pool = new WheelPool({ workers: 0, writerBacklog: 4 });
    try {
      const built = await Promise.all(files.map(async (f, i) => {
        const work = join(dir, `pool-${i}`);
        await Deno.mkdir(work);
        return await pool.run({ file: join(house, f), work, interp });
      }));
      assert.ok(pool.writerStarted);
      for (const [i, f] of files.entries()) {
        const work = join(dir, `main-${i}`);
        await Deno.mkdir(work);
        const ref = await buildFromWheel(join(house, f), work, interp);
        assert.deepEqual({ ...built[i], dir: "" }, { ...ref, dir: "" });
        assert.deepEqual(
          await contents(join(dir, `pool-${i}`)),
          await contents(work),
        );
      }
    } finally {
      await pool.close();
    }
    const never = new WheelPool({ workers: 0, writerBacklog: 0 });
    await Promise.all(files.map(async (f, i) => {
      const work = join(dir, `never-${i}`);
      await Deno.mkdir(work);
      return await never.run({ file: join(house, f), work, interp });
    }));
    assert.equal(never.writerStarted, false);
    await never.close();
  }));

Deno.test("a damaged wheel on a worker raises the main thread's UserError", () =>
  withTempDir(async (dir) => {
    const bad = await makeWheel(dir, {
      name: "bad",
      version: "1.0",
      files: { "bad.py": "x = 1\n" },
      recordOverride: { "bad.py": "bad.py,sha256=AAAA,6" },
    });
    const truncated = join(dir, "cut-1.0-py3-none-any.whl");
    const whole = await Deno.readFile(
      await makeWheel(dir, {
        name: "cut",
        version: "1.0",
        files: { "c.py": "" },
      }),
    );
    await Deno.writeFile(truncated, whole.subarray(0, whole.length - 30));
    const onMain = async (file: string): Promise<Error> => {
      const work = await Deno.makeTempDir({ dir });
      return await buildFromWheel(file, work, interp).then(
        () => assert.fail("accepted"),
        (e) => e,
      );
    };
    // Keep the main thread busy with good wheels so the bad ones go to the worker.
    const house = join(dir, "house");
    const { files } = await generateWheelhouse(house, { count: 6 });
    const pool = new WheelPool({ workers: 1, backlog: 1, writerBacklog: 1 });
    try {
      const job = async (file: string) =>
        await pool.run({ file, work: await Deno.makeTempDir({ dir }), interp });
      const good = files.map((f) => job(join(house, f)));
      const errors = await Promise.all(
        [bad, truncated, bad, truncated].map((f) =>
          job(f).then(() => assert.fail("accepted"), (e) => e)
        ),
      );
      await Promise.all(good);
      assert.equal(pool.workersStarted, 1);
      assert.ok(pool.writerStarted);
      const [mainBad, mainCut] = [await onMain(bad), await onMain(truncated)];
      assert.ok(mainCut instanceof InvalidArchiveError);
      for (const [i, e] of errors.entries()) {
        const ref: Error = i % 2 ? mainCut : mainBad;
        assert.ok(e instanceof UserError, String(e));
        assert.equal(e.message, ref.message);
        assert.equal(e instanceof InvalidArchiveError, i % 2 === 1);
      }
      assert.match(mainBad.message, /bad\.py does not match its RECORD hash/);
    } finally {
      await pool.close();
    }
  }));

Deno.test("no worker for a few wheels; none on 2 cores by default; closed pools refuse jobs", () =>
  withTempDir(async (dir) => {
    const whl = await makeWheel(dir, {
      name: "one",
      version: "1.0",
      files: { "one.py": "" },
    });
    const pool = new WheelPool({ workers: 3 });
    const works = await Promise.all(
      [1, 2, 3, 4].map(() => Deno.makeTempDir({ dir })),
    );
    await Promise.all(
      works.map((work) => pool.run({ file: whl, work, interp })),
    );
    assert.equal(pool.workersStarted, 0);
    assert.equal(pool.writerStarted, false);
    await pool.close();
    await assert.rejects(
      pool.run({ file: whl, work: works[0], interp }),
      PoolClosed,
    );
    assert.equal(defaultWorkers(2), 0);
    assert.equal(defaultWorkers(8), 7);
  }));

Deno.test("close() drops queued wheels and returns only once nothing writes", () =>
  withTempDir(async (dir) => {
    const house = join(dir, "house");
    const { files } = await generateWheelhouse(house, { count: 39 });
    const pool = new WheelPool({ workers: 1, backlog: 1 });
    // The work folders first: made after close(), they would look like writes.
    const works = await Promise.all(
      files.map(() => Deno.makeTempDir({ dir, prefix: "w-" })),
    );
    const outcomes = files.map((f, i) =>
      pool.run({ file: join(house, f), work: works[i], interp }).then(
        () => "done",
        (e) => e instanceof PoolClosed ? "dropped" : `error ${e}`,
      )
    );
    // Let a few jobs start, then close.
    await new Promise((r) => setTimeout(r, 20));
    await pool.close();
    const snapshot = await tree(dir);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await tree(dir), snapshot);
    const seen = await Promise.all(outcomes);
    assert.ok(seen.includes("dropped"), seen.join());
    assert.ok(seen.every((s) => s === "done" || s === "dropped"), seen.join());
  }));

const PROBE = fileURLToPath(
  new URL("../support/worker_net_probe.ts", import.meta.url),
);

Deno.test("a worker has no network once the main thread revoked it (install-from-cache)", async () => {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...TASK_FLAGS, PROBE],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(r.stdout);
  assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
  assert.deepEqual(out.trim().split("\n"), [
    "before the revoke: ok",
    "started before the revoke: NotCapable",
    "started after the revoke: NotCapable",
  ]);
});
