import assert from "node:assert/strict";
import { generateWheelhouse } from "../../tools/bench/wheelhouse.ts";
import { python, zipTexts } from "./zip_support.ts";

Deno.test("the wheelhouse is deterministic: same files, same bytes", async () => {
  const a = await Deno.makeTempDir();
  const b = await Deno.makeTempDir();
  try {
    const ha = await generateWheelhouse(a, { count: 40, seed: 7 });
    const hb = await generateWheelhouse(b, { count: 40, seed: 7 });
    assert.deepEqual(ha, hb);
    assert.equal(ha.files.length, 41);
    for (const f of ha.files) {
      assert.deepEqual(
        await Deno.readFile(`${a}/${f}`),
        await Deno.readFile(`${b}/${f}`),
        f,
      );
    }
    const other = await generateWheelhouse(b, { count: 40, seed: 8 });
    assert.notDeepEqual(other.graph, ha.graph);
  } finally {
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("the wheelhouse graph points downwards and app pulls in every package", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const house = await generateWheelhouse(dir, { count: 60, seed: 3 });
    assert.equal(house.files[0], "pkg000-1.0-py3-none-any.whl");
    assert.equal(house.files.at(-1), "app-1.0-py3-none-any.whl");
    for (const [name, deps] of Object.entries(house.graph)) {
      assert.ok(deps.length <= 3, name);
      for (const d of deps) assert.ok(d < name, `${name} -> ${d}`);
    }
    const meta = (await zipTexts(`${dir}/pkg059-1.0-py3-none-any.whl`)).get(
      "pkg059-1.0.dist-info/METADATA",
    )!;
    assert.deepEqual(
      [...meta.matchAll(/^Requires-Dist: (.*)$/gm)].map((m) => m[1]),
      house.graph["pkg059"],
    );
    const app = await zipTexts(`${dir}/app-1.0-py3-none-any.whl`);
    assert.equal(
      app.get("app-1.0.dist-info/entry_points.txt"),
      "[console_scripts]\napp = app.cli:main\n",
    );
    // Unzip everything and run the app's entry point.
    const x = await python([
      "-c",
      "import sys, zipfile\nfor f in sys.argv[2:]: zipfile.ZipFile(f).extractall(sys.argv[1])",
      `${dir}/site`,
      ...house.files.map((f) => `${dir}/${f}`),
    ]);
    assert.equal(x.code, 0);
    const r = await python([
      "-c",
      "import app.cli, sys; sys.exit(app.cli.main())",
    ], {
      PYTHONPATH: `${dir}/site`,
    });
    assert.deepEqual([r.stdout, r.stderr, r.code], [
      "app: 60 packages imported\n",
      "",
      0,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
