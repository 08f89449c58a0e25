/**
 * Python extensions through the bridge, end to end through `buildout`: a
 * fixture extension (a wheel in a find-links folder) that adds a part and
 * changes an option; install, annotate, unload, offline rerun.
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

const CFG = "extensions = myext\nparts = data\n\n" +
  "[data]\nrecipe = mkdir\npaths = mydata\n";

const isDir = (p: string) =>
  Deno.stat(p).then((s) => s.isDirectory, () => false);

Deno.test("a Python extension adds a part and changes an option; annotate shows it; unload runs; offline rerun", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    let r = await buildout(dir, CFG);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      `Creating directory '${dir}/eggs'.`,
      "Getting distribution for 'myext'.",
      "Got myext 1.0.",
      "myext: loading, parts were data",
      `Creating directory '${dir}/bin'.`,
      `Creating directory '${dir}/parts'.`,
      `Creating directory '${dir}/develop-eggs'.`,
      "Installing data.",
      `data: Creating directory ${dir}/mydata-changed`,
      "Installing extra.",
      `extra: Creating directory ${dir}/from-ext`,
    ]);
    assert.ok(await isDir(join(dir, "mydata-changed")));
    assert.ok(await isDir(join(dir, "from-ext")));
    assert.ok(!(await isDir(join(dir, "mydata"))));
    assert.equal(
      await Deno.readTextFile(join(dir, "unloaded.marker")),
      "data extra\n",
    );
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    assert.match(installed, /\nparts = data extra\n/);
    assert.match(
      installed,
      new RegExp(`\\[extra\\][^[]*paths = ${dir}/from-ext\n`),
    );

    // annotate shows what the extension changed, with it as the source.
    r = await runCli(["annotate", "data", "extra"], {
      cwd: dir,
      env: { BUILDOUT_HOME: join(dir, "nohome") },
    });
    assert.equal(r.code, 0, r.stderr);
    const text = lines(r.stdout).join("\n");
    assert.match(text, /\[data\]\npaths= mydata-changed\n {4}myext\n/);
    assert.match(
      text,
      /\[extra\]\npaths= from-ext\n {4}myext\nrecipe= mkdir\n {4}myext/,
    );
    r = await runCli(["annotate", "buildout"], {
      cwd: dir,
      env: { BUILDOUT_HOME: join(dir, "nohome") },
    });
    assert.match(
      lines(r.stdout).join("\n"),
      /\nparts= data extra\n {4}myext\n/,
    );

    // Offline rerun: the installed extension runs again, nothing changes.
    r = await buildout(dir, CFG, ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "myext: loading, parts were data",
      "Updating data.",
      "Updating extra.",
    ]);
    assert.equal(
      await Deno.readTextFile(join(dir, "unloaded.marker")),
      "data extra\ndata extra\n",
    );

    // Without the extension: its part goes, the option is back.
    r = await buildout(dir, CFG.replace("extensions = myext\n", ""), ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling extra.",
      "Uninstalling data.",
      "Installing data.",
      `data: Creating directory ${dir}/mydata`,
    ]);
  });
});

Deno.test("an extension that cannot be found: While/Error, nothing installed; a failed run does not unload", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    let r = await buildout(dir, CFG.replace("myext", "nosuchext"));
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Installing.\n  Loading extensions.\n" +
        "  Getting distribution for 'nosuchext'.\n" +
        "Error: Couldn't find a distribution for 'nosuchext'.\n",
    );
    assert.ok(!(await isDir(join(dir, "mydata"))));
    await Deno.writeTextFile(join(dir, "blocker"), "");
    r = await buildout(dir, CFG.replace("mydata", "blocker/sub"));
    assert.equal(r.code, 1);
    await assert.rejects(Deno.stat(join(dir, "unloaded.marker")));
  });
});
