/**
 * What is read from installed egg folders is remembered in
 * `<eggs>/.facts/` (a file per buildout) for later runs, and used only while the folder is the
 * one it was read from.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { EggFacts } from "../../src/install/facts.ts";
import { readInstalledDist } from "../../src/install/metadata.ts";
import { INTERP } from "./support.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

const FOLDER = "demo-1.0-py3.11.egg";

async function writeEgg(eggs: string, requires: string) {
  const dir = join(eggs, FOLDER, "demo-1.0.dist-info");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    join(dir, "METADATA"),
    `Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nRequires-Dist: ${requires}\n`,
  );
}

const dist = (
  eggs: string,
  facts: EggFacts,
  env: Record<string, string> = INTERP.markerEnv,
) => readInstalledDist(join(eggs, FOLDER), env, undefined, facts)!;

const requires = (
  eggs: string,
  facts: EggFacts,
  env?: Record<string, string>,
) => dist(eggs, facts, env).requires().map((r) => r.name);

Deno.test("an egg folder's metadata is remembered for the next run, and read again once the folder is replaced", async () => {
  await withTempDir(async (eggs) => {
    await writeEgg(eggs, "first");
    const one = new EggFacts(eggs);
    assert.deepEqual(requires(eggs, one), ["first"]);
    one.save();
    const saved = JSON.parse(
      await Deno.readTextFile(join(eggs, ".facts", "facts.json")),
    );
    assert.deepEqual(Object.keys(saved.folders), [FOLDER]);

    // The file changed behind the folder's back (its identity did not): the
    // remembered answer is the one used, so nothing was read.
    const folder = join(eggs, FOLDER);
    const { mtime } = await Deno.stat(folder);
    await writeEgg(eggs, "edited");
    await Deno.utime(folder, mtime!, mtime!);
    assert.deepEqual(requires(eggs, new EggFacts(eggs)), ["first"]);

    // Removed and installed again: another folder, read afresh.
    await Deno.remove(folder, { recursive: true });
    await writeEgg(eggs, "second");
    const later = new Date(mtime!.getTime() + 10_000);
    await Deno.utime(folder, later, later);
    const two = new EggFacts(eggs);
    assert.deepEqual(requires(eggs, two), ["second"]);
    two.save();
    assert.deepEqual(requires(eggs, new EggFacts(eggs)), ["second"]);
  });
});

Deno.test("a damaged facts file is ignored and replaced; folders that are gone are dropped; temporary files do not stay", async () => {
  await withTempDir(async (eggs) => {
    await writeEgg(eggs, "dep");
    await Deno.mkdir(join(eggs, ".facts"));
    await Deno.writeTextFile(
      join(eggs, ".facts", "facts.json"),
      '{"format": 2, "fol',
    );
    // Left by a run killed while writing, two days ago.
    const dead = join(eggs, ".facts", ".tmp-dead");
    await Deno.writeTextFile(dead, "{");
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await Deno.utime(dead, old, old);
    const facts = new EggFacts(eggs);
    assert.deepEqual(requires(eggs, facts), ["dep"]);
    facts.remember(
      join(eggs, "gone-1.0-py3.11.egg"),
      "x",
      () => 1,
      Number.isInteger,
    );
    facts.save();
    const saved = JSON.parse(
      await Deno.readTextFile(join(eggs, ".facts", "facts.json")),
    );
    assert.deepEqual(Object.keys(saved.folders), [FOLDER]);
    const names = [...Deno.readDirSync(join(eggs, ".facts"))].map((e) =>
      e.name
    );
    assert.deepEqual(names, ["facts.json"]);
  });
});

Deno.test("buildout: each buildout remembers the eggs it uses; a rerun uses them, and an egg folder replaced by another build is read again", async () => {
  await withTempDir(async (dir) => {
    const wheels = join(dir, "wheels");
    await Deno.mkdir(wheels);
    await writeWheel(wheels, {
      name: "app",
      version: "1.0",
      files: { "app/__init__.py": "def main():\n    print('app')\n" },
      requires: ["one"],
      entryPoints: { console_scripts: { app: "app:main" } },
    });
    for (const name of ["one", "two"]) {
      await writeWheel(wheels, {
        name,
        version: "1.0",
        files: { [`${name}/__init__.py`]: "" },
      });
    }
    // Two buildouts sharing one eggs directory.
    const eggs = join(dir, "shared-eggs");
    const run = async (name: string, wanted: string) => {
      const at = join(dir, name);
      await Deno.mkdir(at, { recursive: true });
      await Deno.writeTextFile(
        join(at, "buildout.cfg"),
        `[buildout]\nparts = x\nfind-links = ${wheels}\nindex = ${dir}/no-index/\n` +
          `eggs-directory = ${eggs}\nnewest = false\n\n` +
          `[x]\nrecipe = zc.recipe.egg\neggs = ${wanted}\n`,
      );
      return await runCli([], { cwd: at, env: { BUILDOUT_HOME: dir } });
    };
    const facts = async () => {
      const out: string[][] = [];
      for await (const e of Deno.readDir(join(eggs, ".facts"))) {
        const text = await Deno.readTextFile(join(eggs, ".facts", e.name));
        out.push(Object.keys(JSON.parse(text).folders).sort());
      }
      return out.sort();
    };
    const first = await run("a", "app");
    assert.equal(first.code, 0, first.stderr);
    assert.equal((await run("b", "two")).code, 0);
    assert.deepEqual(await facts(), [
      ["app-1.0-py3.11.egg", "one-1.0-py3.11.egg"],
      ["two-1.0-py3.11.egg"],
    ]);
    const script = await Deno.readTextFile(join(dir, "a", "bin", "app"));

    const again = await run("a", "app");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, "Updating x.\n");
    assert.equal(await Deno.readTextFile(join(dir, "a", "bin", "app")), script);

    // Another build of app 1.0 put in place of the first: it needs `two`.
    const app = join(eggs, "app-1.0-py3.11.egg");
    await Deno.remove(app, { recursive: true });
    await Deno.mkdir(join(app, "app-1.0.dist-info"), { recursive: true });
    await Deno.mkdir(join(app, "app"));
    await Deno.writeTextFile(join(app, "app", "__init__.py"), "");
    await Deno.writeTextFile(
      join(app, "app-1.0.dist-info", "METADATA"),
      "Metadata-Version: 2.1\nName: app\nVersion: 1.0\nRequires-Dist: two\n",
    );
    await Deno.writeTextFile(
      join(app, "app-1.0.dist-info", "entry_points.txt"),
      "[console_scripts]\napp = app:main\n",
    );
    const future = new Date(Date.now() + 60_000);
    await Deno.utime(app, future, future);
    const third = await run("a", "app");
    assert.equal(third.code, 0, third.stderr);
    // two is installed (by b): used, and the script now has it on its path.
    assert.equal(
      third.stdout,
      `Updating x.\nGenerated script '${join(dir, "a", "bin", "app")}'.\n`,
    );
    assert.match(
      await Deno.readTextFile(join(dir, "a", "bin", "app")),
      /two-1\.0-py3\.11\.egg/,
    );
  });
});

Deno.test("remembered requirements are per interpreter: markers are evaluated for each environment", async () => {
  await withTempDir(async (eggs) => {
    await writeEgg(eggs, 'win; sys_platform == "win32"\nRequires-Dist: always');
    const linux = { ...INTERP.markerEnv, sys_platform: "linux" };
    const windows = { ...INTERP.markerEnv, sys_platform: "win32" };
    const one = new EggFacts(eggs);
    assert.deepEqual(requires(eggs, one, linux), ["always"]);
    one.save();
    const two = new EggFacts(eggs);
    assert.deepEqual(requires(eggs, two, windows), ["win", "always"]);
    assert.deepEqual(requires(eggs, two, linux), ["always"]);
  });
});

Deno.test("a facts file that is JSON but says the wrong things is not trusted: the egg is read again", async () => {
  await withTempDir(async (eggs) => {
    await writeEgg(eggs, "dep");
    const one = new EggFacts(eggs);
    assert.deepEqual(requires(eggs, one), ["dep"]);
    one.save();
    const file = join(eggs, ".facts", "facts.json");
    const data = JSON.parse(await Deno.readTextFile(file));
    for (const entry of Object.values(data.folders) as { facts: object }[]) {
      for (const field of Object.keys(entry.facts)) {
        (entry.facts as Record<string, unknown>)[field] = field.startsWith(
            "requires",
          )
          ? [{ name: 7 }]
          : { name: null };
      }
    }
    await Deno.writeTextFile(file, JSON.stringify(data));
    assert.deepEqual(requires(eggs, new EggFacts(eggs)), ["dep"]);
    assert.equal(dist(eggs, new EggFacts(eggs)).name, "demo");
    data.folders[FOLDER].facts = null;
    await Deno.writeTextFile(file, JSON.stringify(data));
    assert.deepEqual(requires(eggs, new EggFacts(eggs)), ["dep"]);
  });
});
