/**
 * Issue 12, "built once": a distribution built from an sdist is kept in
 * `<download-cache>/built/` and reused by a second buildout, by
 * install-from-cache, after damage (rebuilt with a warning), and by a bundle
 * installed where there is no compiler; independent sdists build in parallel.
 * Each test setup.py records its runs in a log file, so "no build" is seen
 * directly: the log does not grow.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, runSubprocess, withTempDir } from "../support/run.ts";
import { makeTar } from "../install/support.ts";
import { sha256File } from "../../src/install/built_cache.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));

/** An sdist `<name>-1.0.tar.gz` in `links` whose setup.py logs start/end to `log`. */
async function loggingSdist(
  links: string,
  name: string,
  log: string,
  sleep = 0,
): Promise<void> {
  const top = `${name}-1.0`;
  const setup = [
    "import time",
    "from setuptools import setup",
    `with open(${JSON.stringify(log)}, "a") as f:`,
    `    f.write("${name} start %r\\n" % time.time())`,
    `time.sleep(${sleep})`,
    `setup(name="${name}", version="1.0", py_modules=["${name}"])`,
    `with open(${JSON.stringify(log)}, "a") as f:`,
    `    f.write("${name} end %r\\n" % time.time())`,
    "",
  ].join("\n");
  await makeTar(join(links, `${top}.tar.gz`), [
    { name: `${top}/`, type: "directory" },
    {
      name: `${top}/PKG-INFO`,
      content: `Metadata-Version: 1.0\nName: ${name}\nVersion: 1.0\n`,
    },
    { name: `${top}/setup.py`, content: setup },
    { name: `${top}/${name}.py`, content: `NAME = "${name}"\n` },
  ], "gz");
}

/** A buildout folder installing `eggs` from the local `links` with a shared cache. */
async function buildoutDir(
  root: string,
  name: string,
  eggs: string[],
  extra = "",
): Promise<string> {
  const dir = join(root, name);
  await Deno.mkdir(join(root, "empty"), { recursive: true });
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nparts = eggs\ndownload-cache = ${
      join(root, "cache")
    }\ncache-builds = true\n` +
      `find-links = ${join(root, "links")}\nindex = ${join(root, "empty")}\n` +
      extra +
      `\n[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = ${eggs.join("\n  ")}\n`,
  );
  return dir;
}

const starts = async (log: string) =>
  (await Deno.readTextFile(log).catch(() => "")).split("\n").filter((l) =>
    / start /.test(l)
  ).length;

/** The one entry folder of the built cache (`built/<sha>/<target>`). */
async function entryOf(cache: string, sdist: string): Promise<string> {
  const sha = await sha256File(join(cache, "dist", sdist));
  const targets = [...Deno.readDirSync(join(cache, "built", sha))]
    .filter((e) => !e.name.startsWith("."));
  assert.equal(targets.length, 1);
  return join(cache, "built", sha, targets[0].name);
}

Deno.test("a second buildout and install-from-cache reuse the cached build", () =>
  withTempDir(async (root) => {
    await Deno.mkdir(join(root, "links"));
    const log = join(root, "builds.log");
    await loggingSdist(join(root, "links"), "hello", log);
    const a = await buildoutDir(root, "a", ["hello"]);
    let r = await runCli([], { cwd: a });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await starts(log), 1);
    const entry = await entryOf(join(root, "cache"), "hello-1.0.tar.gz");
    assert.match(entry, /\/cpython-3\.\d+-cp3\d+-[a-z0-9_.-]+$/);
    const egg = [...Deno.readDirSync(entry)].map((e) => e.name).sort();
    assert.equal(egg.length, 2);
    assert.match(egg[0], /^hello-1\.0-py3\.\d+\.egg$/);
    assert.equal(egg[1], egg[0] + ".sha256");
    assert.equal(
      (await Deno.readTextFile(join(entry, egg[1]))).split(" ")[0],
      await sha256File(join(entry, egg[0])),
    );

    // Another buildout sharing the download cache: installed, not built.
    const b = await buildoutDir(root, "b", ["hello"]);
    r = await runCli(["-v"], { cwd: b });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await starts(log), 1);
    assert.doesNotMatch(r.stdout, /^Building /m);
    assert.match(
      r.stdout,
      new RegExp(
        `^Using the build of hello-1\\.0\\.tar\\.gz in ${entry}/`,
        "m",
      ),
    );
    assert.match(r.stdout, /^Got hello 1\.0\.$/m);
    assert.ok(Deno.statSync(join(b, "eggs", egg[0])).isDirectory);

    // install-from-cache after removing the eggs: still no build.
    await Deno.remove(join(b, "eggs"), { recursive: true });
    r = await runCli(["-v", "buildout:install-from-cache=true"], { cwd: b });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await starts(log), 1);
    assert.doesNotMatch(r.stdout, /^Building /m);
    assert.match(r.stdout, /^Got hello 1\.0\.$/m);
    assert.ok(Deno.statSync(join(b, "eggs", egg[0])).isDirectory);
  }));

Deno.test("a damaged cached build is rebuilt with a warning", () =>
  withTempDir(async (root) => {
    await Deno.mkdir(join(root, "links"));
    const log = join(root, "builds.log");
    await loggingSdist(join(root, "links"), "hello", log);
    const a = await buildoutDir(root, "a", ["hello"]);
    let r = await runCli([], { cwd: a });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const entry = await entryOf(join(root, "cache"), "hello-1.0.tar.gz");
    const egg = [...Deno.readDirSync(entry)].map((e) => e.name)
      .find((n) => n.endsWith(".egg"))!;
    await Deno.writeFile(join(entry, egg), new Uint8Array([1, 2, 3]), {
      append: true,
    });

    await Deno.remove(join(a, "eggs"), { recursive: true });
    r = await runCli([], { cwd: a });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await starts(log), 2);
    assert.ok(
      (r.stdout + r.stderr).includes(
        `The cached build ${entry} is damaged (sha256 mismatch); building hello-1.0.tar.gz again.\n`,
      ),
      r.stdout + r.stderr,
    );
    // The entry is whole again and reused by the next install.
    assert.equal(
      (await Deno.readTextFile(join(entry, egg + ".sha256"))).split(" ")[0],
      await sha256File(join(entry, egg)),
    );
    await Deno.remove(join(a, "eggs"), { recursive: true });
    r = await runCli([], { cwd: a });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(await starts(log), 2);
    assert.doesNotMatch(r.stdout + r.stderr, /damaged/);
  }));

Deno.test({
  name: "independent sdists build at the same time; messages keep their order",
  ignore: (navigator.hardwareConcurrency || 1) < 2,
  fn: () =>
    withTempDir(async (root) => {
      await Deno.mkdir(join(root, "links"));
      const log = join(root, "times.log");
      await loggingSdist(join(root, "links"), "slowa", log, 1);
      await loggingSdist(join(root, "links"), "slowb", log, 1);
      const a = await buildoutDir(root, "a", ["slowa", "slowb"]);
      const r = await runCli([], { cwd: a });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const at: Record<string, number> = {};
      for (const line of (await Deno.readTextFile(log)).trim().split("\n")) {
        const [name, what, t] = line.split(" ");
        at[`${name} ${what}`] = Number(t);
      }
      assert.equal(Object.keys(at).length, 4, JSON.stringify(at));
      assert.ok(
        at["slowa start"] < at["slowb end"] &&
          at["slowb start"] < at["slowa end"],
        `the builds did not overlap: ${JSON.stringify(at)}`,
      );
      assert.deepEqual(
        r.stdout.split("\n").filter((l) => /^(Getting|Got) /.test(l)),
        [
          "Getting distribution for 'slowa'.",
          "Got slowa 1.0.",
          "Getting distribution for 'slowb'.",
          "Got slowb 1.0.",
        ],
      );
    }),
});

Deno.test("a bundle's cached C extension build installs where there is no compiler", () =>
  withTempDir(async (root) => {
    await Deno.mkdir(join(root, "links"));
    await Deno.copyFile(
      join(LINKS, "extdemo-1.4.zip"),
      join(root, "links", "extdemo-1.4.zip"),
    );
    await Deno.mkdir(join(root, "include"));
    await Deno.writeTextFile(
      join(root, "include", "extdemo.h"),
      "#define EXTDEMO 42\n",
    );
    const a = await buildoutDir(root, "a", ["extdemo"]);
    let r = await runSubprocess([], {
      cwd: a,
      env: { CFLAGS: `-I${join(root, "include")}` },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    r = await runSubprocess(["bundle", "-o", join(root, "app.tar.gz")], {
      cwd: a,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);

    // No compiler: PATH holds python3 only, CC points nowhere.
    const bin = join(root, "nocc");
    await Deno.mkdir(bin);
    const python = (await new Deno.Command("python3", {
      args: ["-c", "import sys; print(sys.executable)"],
    }).output()).stdout;
    await Deno.symlink(
      new TextDecoder().decode(python).trim(),
      join(bin, "python3"),
    );
    const noCompiler = { PATH: bin, CC: "/nonexistent", CFLAGS: "" };
    const fresh = join(root, "fresh");
    await Deno.mkdir(fresh);
    r = await runSubprocess(["install-bundle", join(root, "app.tar.gz")], {
      cwd: fresh,
      env: noCompiler,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // The bundle carried the build, and the install took it from there.
    const entry = await entryOf(
      join(fresh, "download-cache"),
      "extdemo-1.4.zip",
    );
    assert.ok(
      [...Deno.readDirSync(entry)].some((e) =>
        /^extdemo-1\.4-.*\.egg$/.test(e.name)
      ),
    );
    const egg = [...Deno.readDirSync(join(fresh, "eggs"))].map((e) => e.name)
      .find((n) => n.startsWith("extdemo-1.4-"))!;
    const out = await new Deno.Command(join(bin, "python3"), {
      args: ["-c", "import extdemo; print(extdemo.val)"],
      env: { PYTHONPATH: join(fresh, "eggs", egg) },
    }).output();
    assert.equal(new TextDecoder().decode(out.stdout), "42\n");

    // Without the bundled build the same machine cannot install it.
    await Deno.remove(join(fresh, "download-cache", "built"), {
      recursive: true,
    });
    await Deno.remove(join(fresh, "eggs"), { recursive: true });
    r = await runSubprocess([], { cwd: fresh, env: noCompiler });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /Building extdemo-1\.4\.zip failed/);
  }));

Deno.test("zc.recipe.egg:custom builds with its own options, never from the built cache", () =>
  withTempDir(async (root) => {
    await Deno.mkdir(join(root, "links"));
    await Deno.copyFile(
      join(LINKS, "extdemo-1.4.zip"),
      join(root, "links", "extdemo-1.4.zip"),
    );
    await Deno.mkdir(join(root, "include"));
    await Deno.writeTextFile(
      join(root, "include", "extdemo.h"),
      "#define EXTDEMO 42\n",
    );
    // A plain build (val 42) lands in the built cache.
    const a = await buildoutDir(root, "a", ["extdemo"]);
    let r = await runSubprocess([], {
      cwd: a,
      env: { CFLAGS: `-I${join(root, "include")}` },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await entryOf(join(root, "cache"), "extdemo-1.4.zip");

    // A custom build with define = TWO in a buildout sharing the cache.
    const b = join(root, "b");
    await Deno.mkdir(b);
    await Deno.writeTextFile(
      join(b, "buildout.cfg"),
      `[buildout]\nparts = extdemo\ndownload-cache = ${
        join(root, "cache")
      }\ncache-builds = true\n` +
        `find-links = ${join(root, "links")}\nindex = ${
          join(root, "empty")
        }\n` +
        `\n[extdemo]\nrecipe = zc.recipe.egg:custom\n` +
        `include-dirs = ${join(root, "include")}\ndefine = TWO\n`,
    );
    r = await runCli([], { cwd: b });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const egg = [...Deno.readDirSync(join(b, "develop-eggs"))].map((e) =>
      e.name
    ).find((n) => n.startsWith("extdemo-1.4-"))!;
    const out = await new Deno.Command("python3", {
      args: ["-c", "import extdemo; print(extdemo.val)"],
      env: { PYTHONPATH: join(b, "develop-eggs", egg) },
    }).output();
    assert.equal(new TextDecoder().decode(out.stdout), "2\n");
  }));

Deno.test("under require-hashes an sdist refused by its hash is never built (its setup.py never runs)", () =>
  withTempDir(async (root) => {
    const links = join(root, "links");
    await Deno.mkdir(links);
    const log = join(root, "setup.log");
    await loggingSdist(links, "unsafe", log, 1);
    const dir = await buildoutDir(
      root,
      "b",
      ["unsafe"],
      "require-hashes = true\n\n[versions]\nunsafe = 1.0\n\n" +
        `[hashes]\nunsafe = sha256:${"0".repeat(64)}\n`,
    );
    const r = await runCli([], { cwd: dir });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^Error: Hash mismatch for unsafe-1\.0\.tar\.gz: /m);
    // Give a background build the time it would need to start and log.
    await new Promise((done) => setTimeout(done, 1500));
    assert.equal(await Deno.readTextFile(log).catch(() => ""), "");
  }));

Deno.test({
  name:
    "a failed run stops the sdist builds it started ahead: nothing keeps building or writing after it",
  // Both builds must run at once for the failure to meet a running build.
  ignore: (navigator.hardwareConcurrency || 1) < 2,
  fn: () =>
    withTempDir(async (root) => {
      const links = join(root, "links");
      await Deno.mkdir(links);
      const log = join(root, "setup.log");
      await loggingSdist(links, "slow", log, 4);
      await makeTar(join(links, "bad-1.0.tar.gz"), [
        { name: "bad-1.0/", type: "directory" },
        {
          name: "bad-1.0/PKG-INFO",
          content: "Metadata-Version: 1.0\nName: bad\nVersion: 1.0\n",
        },
        {
          name: "bad-1.0/setup.py",
          content:
            "import time\ntime.sleep(1)\nraise SystemExit('bad on purpose')\n",
        },
      ], "gz");
      const dir = await buildoutDir(root, "b", ["bad", "slow"]);
      const r = await runCli([], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /Building bad-1\.0\.tar\.gz failed/);
      // slow's build was running when bad's failed the run...
      assert.match(await Deno.readTextFile(log), /^slow start /m);
      // ...and was stopped with it: no work folder left, and it never ends.
      const built = [...Deno.readDirSync(join(root, "cache", "built"))]
        .map((e) => e.name);
      assert.deepEqual(built.filter((n) => n.startsWith(".tmp-")), []);
      await new Promise((done) => setTimeout(done, 5000));
      assert.doesNotMatch(await Deno.readTextFile(log), /^slow end /m);
    }),
});
