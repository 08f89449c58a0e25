import assert from "node:assert/strict";
import { readInstalledDist } from "../../src/install/metadata.ts";
import { INTERP } from "./support.ts";

async function withEgg(
  folder: string,
  files: Record<string, string>,
  fn: (location: string) => void,
) {
  const dir = await Deno.makeTempDir();
  try {
    const location = `${dir}/${folder}`;
    for (const [name, content] of Object.entries(files)) {
      const path = `${location}/${name}`;
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), {
        recursive: true,
      });
      await Deno.writeTextFile(path, content);
    }
    fn(location);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const fmt = (rs: { name: string; specifier: string; extras: string[] }[]) =>
  rs.map((r) =>
    `${r.name}${r.extras.length ? `[${r.extras}]` : ""}${r.specifier}`
  );

Deno.test("EGG-INFO: requires.txt sections and markers are evaluated for the interpreter", () =>
  withEgg("demo-0.4rc1-py3.11.egg", {
    "EGG-INFO/PKG-INFO": "Metadata-Version: 1.0\nName: demo\nVersion: 0.4c1\n",
    "EGG-INFO/requires.txt": [
      "demoneeded>=1.0",
      "",
      "[:python_version < '3']",
      "futures",
      "",
      "[:sys_platform == 'linux']",
      "linuxonly",
      "",
      "[Docs]",
      "sphinx[html]",
      "",
      "[docs:os_name == 'nt']",
      "winhelp",
      "",
    ].join("\n"),
    "EGG-INFO/entry_points.txt":
      "[console_scripts]\ndemo = demo:main\nd2 = demo.sub:run [docs]\n",
  }, (location) => {
    const d = readInstalledDist(location, INTERP.markerEnv)!;
    assert.equal(d.name, "demo");
    assert.equal(d.key, "demo");
    assert.equal(d.version, "0.4rc1");
    assert.equal(d.location, location);
    assert.deepEqual(fmt(d.requires()), ["demoneeded>=1.0", "linuxonly"]);
    assert.deepEqual(fmt(d.requires(["docs"])), [
      "demoneeded>=1.0",
      "linuxonly",
      "sphinx[html]",
    ]);
    assert.deepEqual(d.extras(), ["docs"]);
    assert.deepEqual(d.entryPoints("console_scripts"), {
      demo: "demo:main",
      d2: "demo.sub:run [docs]",
    });
  }));

Deno.test("a folder holding only a .dist-info reads METADATA and its entry points", () =>
  withEgg("Thing-2.0-py3.11.egg", {
    "thing/__init__.py": "",
    "thing-2.0.dist-info/METADATA": [
      "Metadata-Version: 2.1",
      "Name: Thing",
      "Version: 2.0",
      'Requires-Dist: base; python_version >= "3.8"',
      'Requires-Dist: old; python_version < "3.8"',
      'Requires-Dist: fancy-dep>=2; extra == "fancy"',
      "Provides-Extra: fancy",
      "",
      "Long description: not a header.",
    ].join("\n"),
    "thing-2.0.dist-info/entry_points.txt":
      "[gui_scripts]\nthing = thing:gui\n",
  }, (location) => {
    const d = readInstalledDist(location, INTERP.markerEnv)!;
    assert.equal(d.name, "Thing");
    assert.equal(d.key, "thing");
    assert.deepEqual(fmt(d.requires()), ["base"]);
    assert.deepEqual(fmt(d.requires(["Fancy"])), ["base", "fancy-dep>=2"]);
    assert.deepEqual(d.extras(), ["fancy"]);
    assert.deepEqual(d.entryPoints("gui_scripts"), { thing: "thing:gui" });
    assert.deepEqual(d.entryPoints("console_scripts"), {});
  }));

Deno.test("names that are not egg names give no distribution", () => {
  assert.equal(readInstalledDist("/eggs/not-an-egg", {}), undefined);
  assert.equal(readInstalledDist("/eggs/junk.egg", {}), undefined);
  assert.equal(
    readInstalledDist("/eggs/x-notaversion!!-py3.11.egg", {}),
    undefined,
  );
});

Deno.test("an egg folder without metadata is known by its name and needs nothing", () =>
  withEgg("bare_thing-1.0-py3.11.egg", { "bare_thing.py": "" }, (location) => {
    const d = readInstalledDist(location, INTERP.markerEnv)!;
    assert.equal(d.name, "bare_thing");
    assert.equal(d.key, "bare-thing");
    assert.equal(d.version, "1.0");
    assert.deepEqual(d.requires(["x"]), []);
    assert.deepEqual(d.entryPoints("console_scripts"), {});
  }));
