import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, runSubprocess, withTempDir } from "../support/run.ts";
import { LOCK_FILE, parseLockTimeout } from "../../src/parts/runlock.ts";

const MKDIR_CFG = "[buildout]\nparts = data\n\n" +
  "[data]\nrecipe = mkdir\npaths = var/data\n";

/** Hold the folder's lock as another run would. */
async function holdLock(b: string): Promise<Deno.FsFile> {
  const f = await Deno.open(join(b, LOCK_FILE), {
    read: true,
    write: true,
    create: true,
  });
  await f.lock(true);
  await f.write(new TextEncoder().encode("4242\n"));
  return f;
}

Deno.test("lock-timeout values", () => {
  assert.equal(parseLockTimeout(""), undefined);
  assert.equal(parseLockTimeout(" 3 "), 3);
  assert.throws(
    () => parseLockTimeout("soon"),
    /Invalid value for 'lock-timeout' option: 'soon'/,
  );
});

Deno.test("a run in a busy folder gives up after lock-timeout with one error line", () =>
  withTempDir(async (b) => {
    await Deno.writeTextFile(join(b, "buildout.cfg"), MKDIR_CFG);
    const held = await holdLock(b);
    try {
      const r = await runCli(["-U", "buildout:lock-timeout=0.3"], { cwd: b });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const waits = r.stdout.split("\n").filter((l) => l.includes("waiting"));
      assert.deepEqual(waits, [
        `Another buildout run (pid 4242) is working in '${b}'; waiting for it to finish.`,
      ]);
      assert.match(
        r.stderr,
        /^Error: Another buildout run \(pid 4242\) is still working in '.*' after 0.3 seconds \(lock-timeout\); try again later\.$/m,
      );
      assert.equal(await Deno.lstat(join(b, "var")).then(() => 1, () => 0), 0);
      assert.equal(
        await Deno.lstat(join(b, ".installed.cfg")).then(() => 1, () => 0),
        0,
      );
    } finally {
      held.close();
    }
  }));

Deno.test("a run in a busy folder waits, says so once, then installs", () =>
  withTempDir(async (b) => {
    await Deno.writeTextFile(join(b, "buildout.cfg"), MKDIR_CFG);
    const held = await holdLock(b);
    const run = runCli(["-U"], { cwd: b });
    await new Promise((r) => setTimeout(r, 400));
    held.close();
    const r = await run;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.split("waiting for it to finish").length, 2);
    assert.match(r.stdout, /Installing data\./);
    assert.equal((await Deno.stat(join(b, "var", "data"))).isDirectory, true);
  }));

Deno.test("four concurrent runs in one folder: one installs, the others wait and find it done", () =>
  withTempDir(async (dir) => {
    const srv = join(dir, "srv");
    await Deno.mkdir(srv);
    await Deno.writeTextFile(join(srv, "tool"), "x".repeat(40_000));
    const b = join(dir, "b");
    await Deno.mkdir(b);
    const server = await startLinkServer(srv, { logging: true });
    // ~1 s per download: the runs overlap whatever their start-up times.
    server.fault("/tool", { kind: "slow", chunkSize: 1000, intervalMs: 25 });
    try {
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        "[buildout]\nparts = tool\n\n[tool]\nrecipe = hexagonit.recipe.download\n" +
          `url = ${server.url}tool\ndownload-only = true\n`,
      );
      const runs = await Promise.all(
        [1, 2, 3, 4].map(() => runSubprocess([], { cwd: b })),
      );
      for (const r of runs) assert.equal(r.code, 0, r.stdout + r.stderr);
      const installing = runs.filter((r) =>
        r.stdout.includes("Installing tool")
      );
      assert.equal(
        installing.length,
        1,
        runs.map((r) => r.stdout).join("\n--\n"),
      );
      assert.ok(
        runs.some((r) => r.stdout.includes("waiting for it to finish")),
      );
      assert.deepEqual(
        server.log().filter((l) => l.includes("/tool")).length,
        1,
      );
      const installed = await Deno.readTextFile(join(b, ".installed.cfg"));
      assert.match(installed, /^parts = tool$/m);
      assert.equal(
        (await Deno.stat(join(b, "parts", "tool", "tool"))).size,
        40_000,
      );
    } finally {
      await server.close();
    }
  }));
