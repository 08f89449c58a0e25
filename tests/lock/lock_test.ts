/**
 * `buildout lock` and `require-hashes` through the CLI, over a find-links
 * folder made from the fixtures (eggs, sdists) and wheels written here.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";
import { writeFixtures } from "../bridge/fixtures.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

async function sha(path: string): Promise<string> {
  return "sha256:" +
    createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

/**
 * A find-links folder: demo 0.2/0.3 eggs, demoneeded 1.0/1.1 sdists, a
 * pure-Python demo 0.3 wheel and one for another platform.
 */
async function makeLinks(dir: string): Promise<string> {
  const links = join(dir, "links");
  await Deno.mkdir(links);
  for (
    const f of [
      "demo-0.2-py3.11.egg",
      "demo-0.3-py3.11.egg",
      "demoneeded-1.0.zip",
      "demoneeded-1.1.zip",
    ]
  ) await Deno.copyFile(join(LINKS, f), join(links, f));
  for (const tag of ["py3-none-any", "cp27-cp27m-win32"]) {
    await writeWheel(links, {
      name: "demo",
      version: "0.3",
      files: { "eggrecipedemo.py": "def main():\n    print('wheel')\n" },
      requires: ["demoneeded"],
      entryPoints: { console_scripts: { demo: "eggrecipedemo:main" } },
      tag,
    });
  }
  await Deno.mkdir(join(dir, "empty-index"));
  return links;
}

/** Write buildout.cfg (the given find-links, an empty index) and run the CLI. */
async function buildout(
  dir: string,
  links: string,
  body: string,
  args: string[] = [],
) {
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${links}\nindex = ${dir}/empty-index\n` +
      `download-cache = ${dir}/cache\n${body}`,
  );
  return await runCli(args, {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

/** The names in a folder, hidden ones left out, sorted. */
async function visible(path: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(path)) {
    if (!e.name.startsWith(".")) names.push(e.name);
  }
  return names.sort();
}

const PART = "parts = demo\n\n[demo]\nrecipe = zc.recipe.egg\n";

async function expectedLock(links: string): Promise<string> {
  const demo = [
    await sha(join(links, "demo-0.3-py3.11.egg")),
    await sha(join(links, "demo-0.3-py3-none-any.whl")),
  ].sort();
  return [
    "# Written by `buildout lock`. Use it with `extends`; with",
    "# `require-hashes = true` only files with these hashes are installed.",
    "[versions]",
    "demo = 0.3",
    "demoneeded = 1.1",
    "",
    "[hashes]",
    `demo = ${demo.join(" ")}`,
    `demoneeded = ${await sha(join(links, "demoneeded-1.1.zip"))}`,
    "",
  ].join("\n");
}

Deno.test("lock writes [versions] and the hashes of every compatible file of each pin; nothing is recorded, no script written", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    const r = await buildout(dir, links, PART, ["lock", "-o", "buildout.lock"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(
      await Deno.readTextFile(join(dir, "buildout.lock")),
      await expectedLock(links),
    );
    assert.ok(lines(r.stderr).includes(`Wrote ${dir}/buildout.lock.`));
    // A dry resolution: no script, no record, no egg (only the cache is filled).
    await assert.rejects(Deno.stat(join(dir, "bin", "demo")));
    await assert.rejects(Deno.stat(join(dir, ".installed.cfg")));
    assert.deepEqual(await visible(join(dir, "eggs")), []);
    assert.deepEqual(await visible(join(dir, "cache", "dist")), [
      "demo-0.3-py3-none-any.whl",
      "demoneeded-1.1.zip",
    ]);
    // Without -o the same text goes to stdout.
    const again = await buildout(dir, links, PART, ["lock"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, await expectedLock(links));
  });
});

Deno.test("lock --json prints the same pins and hashes as JSON", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    const r = await buildout(dir, links, PART, ["lock", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      versions: { demo: "0.3", demoneeded: "1.1" },
      hashes: {
        demo: [
          await sha(join(links, "demo-0.3-py3.11.egg")),
          await sha(join(links, "demo-0.3-py3-none-any.whl")),
        ].sort(),
        demoneeded: [await sha(join(links, "demoneeded-1.1.zip"))],
      },
    });
  });
});

Deno.test("a buildout extending its lock gets the locked versions with allow-picked-versions = false and require-hashes = true", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    let r = await buildout(dir, links, PART, ["lock", "-o", "buildout.lock"]);
    assert.equal(r.code, 0, r.stderr);
    // A newer release appears after locking: the lock keeps 0.3.
    await Deno.copyFile(
      join(LINKS, "demo-0.4c1-py3.11.egg"),
      join(links, "demo-0.4c1-py3.11.egg"),
    );
    await writeWheel(links, {
      name: "demo",
      version: "0.5",
      files: { "eggrecipedemo.py": "" },
    });
    r = await buildout(
      dir,
      links,
      "extends = buildout.lock\nallow-picked-versions = false\n" +
        "require-hashes = true\n" + PART,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5, -1), [
      "Getting distribution for 'demo==0.3'.",
      "Got demo 0.3.",
      "Getting distribution for 'demoneeded==1.1'.",
      "Got demoneeded 1.1.",
    ]);
  });
});

/** Lock, then install once with require-hashes (filling the cache), then remove eggs/. */
async function lockedAndCached(dir: string, links: string) {
  let r = await buildout(dir, links, PART, ["lock", "-o", "buildout.lock"]);
  assert.equal(r.code, 0, r.stderr);
  r = await buildout(
    dir,
    links,
    "extends = buildout.lock\nrequire-hashes = true\n" + PART,
  );
  assert.equal(r.code, 0, r.stderr);
  await Deno.remove(join(dir, "eggs"), { recursive: true });
  await Deno.remove(join(dir, ".installed.cfg"));
  await Deno.remove(join(dir, "bin", "demo"));
}

const FROM_CACHE = "extends = buildout.lock\nrequire-hashes = true\n" +
  "install-from-cache = true\n" + PART;

Deno.test("require-hashes with install-from-cache installs matching cached files", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    await lockedAndCached(dir, links);
    const r = await buildout(dir, links, FROM_CACHE);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lines(r.stdout).includes("Got demo 0.3."), r.stdout);
    assert.ok(lines(r.stdout).includes("Got demoneeded 1.1."), r.stdout);
    await Deno.stat(join(dir, "bin", "demo"));
  });
});

Deno.test("require-hashes refuses a tampered file in the download cache: one line, nothing installed or recorded", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    await lockedAndCached(dir, links);
    const cached = join(dir, "cache", "dist", "demo-0.3-py3-none-any.whl");
    const locked = (await Deno.readTextFile(join(dir, "buildout.lock")))
      .match(/^demo = (sha256:.*)$/m)![1];
    // Another file under the same name.
    await Deno.remove(cached);
    const other = await writeWheel(join(dir, "cache", "dist"), {
      name: "demo",
      version: "0.3",
      files: { "eggrecipedemo.py": "print('evil')\n" },
    });
    assert.equal(other, cached);
    const bad = await sha(cached);
    for (const body of [FROM_CACHE, FROM_CACHE.replace("install-from", "x")]) {
      const r = await buildout(
        dir,
        links,
        body.replace("x-cache = true\n", ""),
      );
      assert.equal(r.code, 1, r.stdout);
      const errLines = lines(r.stderr);
      assert.equal(
        errLines.at(-1),
        `Error: Hash mismatch for demo-0.3-py3-none-any.whl: expected one of ${locked}, got ${bad}`,
      );
      await assert.rejects(Deno.stat(join(dir, "bin", "demo")));
      await assert.rejects(Deno.stat(join(dir, ".installed.cfg")));
      assert.deepEqual(await visible(join(dir, "eggs")), []);
    }
  });
});

Deno.test("require-hashes refuses a distribution missing from [hashes], and one with no pin", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    let r = await buildout(dir, links, PART, ["lock", "-o", "buildout.lock"]);
    assert.equal(r.code, 0, r.stderr);
    const lock = await Deno.readTextFile(join(dir, "buildout.lock"));
    await Deno.writeTextFile(
      join(dir, "buildout.lock"),
      lock.replace(/\ndemoneeded = sha256:.*\n/, "\n"),
    );
    const body = "extends = buildout.lock\nrequire-hashes = true\n" + PART;
    r = await buildout(dir, links, body);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: require-hashes is on and demoneeded has no entry in [hashes]: refusing demoneeded-1.1.zip",
    );
    await assert.rejects(Deno.stat(join(dir, ".installed.cfg")));
    await Deno.writeTextFile(
      join(dir, "buildout.lock"),
      lock.replace("demoneeded = 1.1\n", ""),
    );
    r = await buildout(dir, links, body);
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: require-hashes is on and demoneeded has no pin in [versions]: refusing demoneeded-1.1.zip",
    );
  });
});

Deno.test("lock pins the distributions of Python recipes too, without installing their parts", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    const recipes = join(dir, "recipes");
    await writeFixtures(recipes);
    const r = await buildout(
      dir,
      `${links}\n    ${recipes}`,
      "parts = data demo\n\n[data]\nrecipe = mkrecipe\npath = mydata\n\n" +
        "[demo]\nrecipe = zc.recipe.egg\n",
      ["lock", "--json"],
    );
    assert.equal(r.code, 0, r.stderr);
    const wheel = [...Deno.readDirSync(recipes)]
      .map((e) => e.name).find((n) => n.startsWith("mkrecipe-"))!;
    const version = wheel.split("-")[1];
    const lock = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(lock.versions), [
      "demo",
      "demoneeded",
      "mkrecipe",
    ]);
    assert.equal(lock.versions.mkrecipe, version);
    assert.deepEqual(lock.hashes.mkrecipe, [
      await sha(join(recipes, wheel)),
    ]);
    await assert.rejects(Deno.stat(join(dir, "mydata")));
  });
});

Deno.test("a [hashes] value that is not sha256:<hex> is one error line", async () => {
  await withTempDir(async (dir) => {
    const links = await makeLinks(dir);
    const r = await buildout(
      dir,
      links,
      PART + "\n[hashes]\ndemo = md5:0123\n",
    );
    assert.equal(r.code, 1, r.stdout);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Invalid hash for demo in [hashes]: 'md5:0123' (expected sha256:<64 hex digits>)",
    );
  });
});
