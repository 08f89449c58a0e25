/**
 * Many wheels at once (unpacked ahead of the installer, see
 * src/install/early_wheels.ts): the eggs/ tree and bin/ scripts are exactly
 * what installing the wheels one by one gives, from find-links and from the
 * cache; a damaged wheel among many stops the run with the usual single
 * error and leaves no partial folder in eggs/; install-from-cache and runs
 * with local sources only hand the writes to the writer thread, a run that
 * downloads does not.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { installArtifact } from "../../src/install/install.ts";
import { generateWheelhouse } from "../../tools/bench/wheelhouse.ts";
import { INTERP, makeWheel, tree } from "../install/support.ts";
import { Logger } from "../../src/log.ts";
import { runSubprocess, withTempDir } from "../support/run.ts";
import { runLoaded } from "../support/loaded_run.ts";
import { startLinkServer } from "../support/link_server.ts";

/** Every file with its content and mode, folders marked; dot entries skipped. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await tree(dir)) {
    if (rel.startsWith(".")) continue;
    const path = join(dir, rel);
    if (rel.endsWith("/")) out.push(rel);
    else {
      const mode = ((await Deno.stat(path)).mode ?? 0) & 0o777;
      out.push(`${rel} ${mode.toString(8)} ${await Deno.readTextFile(path)}`);
    }
  }
  return out;
}

async function setUp(dir: string, count: number) {
  const house = join(dir, "house");
  const { files } = await generateWheelhouse(house, { count, seed: 3 });
  await Deno.mkdir(join(dir, "empty-index"));
  const cfg = (fromCache: boolean) =>
    Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      `[buildout]\nparts = app\ndownload-cache = ${dir}/cache\nfind-links = ${house}\n` +
        `index = ${dir}/empty-index\n` +
        (fromCache ? "install-from-cache = true\n" : "") +
        `\n[app]\nrecipe = zc.recipe.egg\neggs = app\n`,
    );
  return { house, files, cfg };
}

Deno.test("many wheels: eggs/ and bin/ as installing them one by one gives, cold and from the cache", () =>
  withTempDir(async (dir) => {
    const { house, files, cfg } = await setUp(dir, 60);
    await cfg(false);
    const env = { BUILDOUT_HOME: join(dir, "no-home") };
    let r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal((r.stdout.match(/^Got /gm) ?? []).length, files.length);
    const eggs = await snapshot(join(dir, "eggs"));
    const bin = await snapshot(join(dir, "bin"));
    assert.ok(bin.some((l) => l.startsWith("app 755 ")), bin.join("\n"));

    // The reference: each wheel installed on its own, as before.
    const ref = join(dir, "ref-eggs");
    for (const f of files) {
      await installArtifact(
        join(house, f),
        ref,
        INTERP,
        new Logger(20, () => {}),
      );
    }
    assert.deepEqual(eggs, await snapshot(ref));

    await Deno.remove(join(dir, "eggs"), { recursive: true });
    await cfg(true);
    const before = r.stdout;
    r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    // Same messages in the same order (resolution order).
    const gets = (s: string) =>
      s.split("\n").filter((l) => /^(Get|Got) /.test(l));
    assert.deepEqual(gets(r.stdout), gets(before));
    assert.deepEqual(await snapshot(join(dir, "eggs")), eggs);
    assert.deepEqual(await snapshot(join(dir, "bin")), bin);
    const app = await new Deno.Command(join(dir, "bin", "app")).output();
    assert.equal(app.code, 0);
  }));

Deno.test("a damaged wheel among many: one error line, exit 1, no partial folder in eggs/", () =>
  withTempDir(async (dir) => {
    const { files, cfg } = await setUp(dir, 40);
    await cfg(false);
    const env = { BUILDOUT_HOME: join(dir, "no-home") };
    let r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    // Replace one cached wheel by one whose RECORD does not match.
    const victim = files.find((f) => f.startsWith("pkg010-"))!;
    const bad = await makeWheel(await Deno.makeTempDir({ dir }), {
      name: "pkg010",
      version: "1.0",
      files: { "pkg010/__init__.py": "NUMBER = 10\n" },
      recordOverride: {
        "pkg010/__init__.py": "pkg010/__init__.py,sha256=AAAA,12",
      },
    });
    await Deno.copyFile(bad, join(dir, "cache", "dist", victim));
    await Deno.remove(join(dir, "eggs"), { recursive: true });
    await cfg(true);
    r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.code, 1);
    const err = r.stderr.trim().split("\n");
    assert.equal(err.filter((l) => l.startsWith("Error:")).length, 1, r.stderr);
    assert.equal(err[0], "While:");
    assert.equal(err.at(-2), "  Getting distribution for 'pkg010'.");
    assert.equal(
      err.at(-1),
      "Error: pkg010-1.0-py3-none-any.whl is damaged: pkg010/__init__.py does not match its RECORD hash.",
    );
    const left = (await tree(join(dir, "eggs"))).filter((e) =>
      !e.includes("/") || e.endsWith("/") && e.split("/").length === 2
    );
    assert.deepEqual(left.filter((e) => e.startsWith(".tmp-")), []);
    assert.ok(!left.some((e) => e.startsWith("pkg010-")), left.join("\n"));
    // Every folder left is a whole egg (its RECORD-checked dist-info is there).
    for (const e of left.filter((e) => e.endsWith(".egg/"))) {
      const info = e.replace(/-py3\.\d+\.egg\/$/, ".dist-info");
      await Deno.stat(join(dir, "eggs", e, info, "RECORD"));
    }
  }));

Deno.test("a wheel whose file cannot be written, among many from the cache: one error line, exit 1, nothing half-written", () =>
  withTempDir(async (dir) => {
    const { files, cfg } = await setUp(dir, 40);
    await cfg(false);
    const env = { BUILDOUT_HOME: join(dir, "no-home") };
    let r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    // A member name longer than the file system allows: the write itself
    // fails (on the writer thread, which install-from-cache of many uses).
    const victim = files.find((f) => f.startsWith("pkg020-"))!;
    const bad = await makeWheel(await Deno.makeTempDir({ dir }), {
      name: "pkg020",
      version: "1.0",
      files: {
        "pkg020/__init__.py": "NUMBER = 20\n",
        [`pkg020/${"x".repeat(300)}.py`]: "",
      },
    });
    await Deno.copyFile(bad, join(dir, "cache", "dist", victim));
    await Deno.remove(join(dir, "eggs"), { recursive: true });
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    await cfg(true);
    r = await runSubprocess([], { cwd: dir, env });
    assert.equal(r.code, 1);
    const err = r.stderr.trim().split("\n");
    assert.equal(err.filter((l) => l.startsWith("Error:")).length, 1, r.stderr);
    assert.equal(err.at(-2), "  Getting distribution for 'pkg020'.");
    assert.equal(err.at(-1), "Error: File name too long (os error 36)");
    const eggs = await tree(join(dir, "eggs"));
    assert.deepEqual(eggs.filter((e) => e.startsWith(".tmp-")), []);
    assert.ok(!eggs.some((e) => e.startsWith("pkg020-")), eggs.join("\n"));
    assert.equal(
      await Deno.readTextFile(join(dir, ".installed.cfg")),
      installed,
    );
  }));

/** A run that also lists the modules it loaded; its Get/Got lines. */
async function runListing(dir: string) {
  const { lines, loaded } = await runLoaded(dir);
  return { gets: lines.filter((l) => /^(Get|Got) /.test(l)), loaded };
}

Deno.test("the writer thread writes the wheels of install-from-cache, never those of a run that downloads; all give the same eggs", () =>
  withTempDir(async (dir) => {
    const { house, cfg } = await setUp(dir, 60);
    const WRITER = "src/extract/write_thread.ts";
    const server = await startLinkServer(house);
    let remote;
    try {
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts = app\ndownload-cache = ${dir}/cache\n` +
          `find-links = ${server.url}\nindex = ${dir}/empty-index\n` +
          `\n[app]\nrecipe = zc.recipe.egg\neggs = app\n`,
      );
      remote = await runListing(dir);
    } finally {
      await server.close();
    }
    assert.ok(!remote.loaded.includes(WRITER), remote.loaded.join("\n"));
    const eggs = await snapshot(join(dir, "eggs"));
    assert.equal(
      eggs.filter((l) => /^pkg\d+-1\.0-py3\.\d+\.egg\/$/.test(l)).length,
      60,
    );

    for (const fromCache of [true, false]) {
      await Deno.remove(join(dir, "eggs"), { recursive: true });
      if (!fromCache) {
        await Deno.remove(join(dir, "cache"), { recursive: true });
      }
      await cfg(fromCache);
      const run = await runListing(dir);
      // From the cache the wheels wait for the main thread at once; copied
      // from a local folder they may come slower than they are unpacked, so
      // whether a backlog builds up there depends on the machine's pace (the
      // policy itself: tests/resolve/writer_policy_test.ts).
      if (fromCache) assert.ok(run.loaded.includes(WRITER), run.loaded.join());
      assert.deepEqual(run.gets, remote.gets);
      assert.deepEqual(await snapshot(join(dir, "eggs")), eggs);
      const app = await new Deno.Command(join(dir, "bin", "app")).output();
      assert.equal(app.code, 0);
    }
  }));
