/**
 * Python recipes through the bridge, end to end through `buildout`: fixture
 * recipes installed from a find-links folder, run by one Python process.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { linksOf, writeFixtures } from "./fixtures.ts";

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

async function buildout(dir: string, body: string, args: string[] = []) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${linksOf(dir)}\nindex = ${dir}/empty-index\n` +
      body,
  );
  return await runCli(args, {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

const constructed = (dir: string) =>
  Deno.readTextFile(join(dir, "constructed.log")).then(lines, () => []);

Deno.test("a mkdir-like Python recipe: install, no-op rerun without Python, update, uninstall", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const cfg = "parts = data\n\n[data]\nrecipe = mkrecipe\npath = mydata\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5), [
      "Getting distribution for 'mkrecipe'.",
      "Got mkrecipe 1.0.",
      "Installing data.",
      "data: Creating directory mydata",
      "made it",
    ]);
    assert.ok((await Deno.stat(join(dir, "mydata"))).isDirectory);
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    assert.match(installed, new RegExp(`location = ${dir}/parts/data\n`));
    assert.deepEqual(await constructed(dir), ["data"]);

    // Nothing changed: no Python (the constructor does not run again).
    r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating data."]);
    assert.deepEqual(await constructed(dir), ["data"]);

    // An option changed: uninstalled (uninstall recipe) and installed again.
    r = await buildout(dir, cfg.replace("mydata", "other"));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling data.",
      "Running uninstall recipe.",
      "uninstalling data mydata",
      "Installing data.",
      "data: Creating directory other",
      "made it",
    ]);
    assert.deepEqual(await constructed(dir), ["data", "data"]);
    await assert.rejects(Deno.stat(join(dir, "mydata")));

    // Offline rerun: the installed recipe is used, nothing fetched.
    r = await buildout(dir, cfg.replace("mydata", "other"), ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating data."]);

    r = await buildout(dir, "parts =\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling data.",
      "Running uninstall recipe.",
      "uninstalling data other",
    ]);
  });
});
