/**
 * The finders, download caches and registry code are loaded only by a run
 * that needs a distribution it has not installed: a no-op rerun does not
 * load them (seen from V8's list of parsed modules, in a subprocess).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempDir } from "../support/run.ts";
import { runLoaded } from "../support/loaded_run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

async function run(dir: string): Promise<{ out: string; loaded: string[] }> {
  const { lines, loaded } = await runLoaded(dir);
  return { out: lines.join("\n"), loaded };
}

const NETWORK = [
  "src/resolve/network.ts",
  "src/find/finder.ts",
  "src/fetch/cache.ts",
  "src/fetch/pages.ts",
  "src/fetch/http.ts",
];

Deno.test("a no-op rerun does not load the finders, download caches and registry code; an install does", async () => {
  await withTempDir(async (dir) => {
    const wheels = join(dir, "wheels");
    await Deno.mkdir(wheels);
    await writeWheel(wheels, {
      name: "demo",
      version: "1.0",
      files: { "demo/__init__.py": "" },
    });
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      `[buildout]\nparts = x\nfind-links = ${wheels}\nindex = ${dir}/no-index/\n` +
        `download-cache = ${dir}/cache\nnewest = false\n\n` +
        `[x]\nrecipe = zc.recipe.egg\neggs = demo\n`,
    );
    const first = await run(dir);
    assert.match(first.out, /Got demo 1\.0\./);
    for (const m of NETWORK) assert.ok(first.loaded.includes(m), m);

    const again = await run(dir);
    assert.equal(again.out, "Updating x.");
    assert.ok(again.loaded.includes("src/resolve/working_set.ts"));
    const loaded = again.loaded.filter((m) =>
      NETWORK.includes(m) || m.startsWith("src/oci/")
    );
    assert.deepEqual(loaded, []);
  });
});
