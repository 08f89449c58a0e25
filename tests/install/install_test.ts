import assert from "node:assert/strict";
import { installArtifact } from "../../src/install/install.ts";
import { scanEggsDirectory } from "../../src/install/scan.ts";
import type { InstalledDist } from "../../src/install/metadata.ts";
import { UserError } from "../../src/errors.ts";
import { Logger } from "../../src/log.ts";
import { INTERP, makeEgg, makeWheel, makeZip, tree } from "./support.ts";
import { withTempDir as withTmp } from "../support/run.ts";

function quietLog() {
  const lines: string[] = [];
  return { log: new Logger(20, (l) => lines.push(l)), lines };
}

const DEMO_WHEEL = {
  name: "Demo.App",
  version: "1.0",
  files: {
    "demo_app/__init__.py": "def main():\n    print('hi')\n",
    "demo_app/util.py": "X = 1\n",
  },
  metadata: [
    "Requires-Dist: demoneeded (>=1.0)",
    'Requires-Dist: tomli ; python_version < "3.11"',
    'Requires-Dist: pytest ; extra == "test"',
    'Requires-Dist: coverage ; (python_version >= "3.8") and extra == "test"',
    "Provides-Extra: test",
  ],
  entryPoints: "[console_scripts]\ndemo = demo_app:main\n",
};

/** What DEMO_WHEEL's installed distribution says of itself. */
function assertDemoAnswers(dist: InstalledDist): void {
  assert.equal(dist.name, "Demo.App");
  assert.deepEqual(dist.requires().map((r) => r.name), ["demoneeded"]);
  assert.deepEqual(dist.requires(["Test"]).map((r) => r.name), [
    "demoneeded",
    "pytest",
    "coverage",
  ]);
  assert.deepEqual(dist.entryPoints("console_scripts"), {
    demo: "demo_app:main",
  });
}

Deno.test("a wheel becomes an egg folder holding its files and dist-info, no EGG-INFO copy", () =>
  withTmp(async (dir) => {
    const whl = await makeWheel(dir, DEMO_WHEEL);
    const eggs = `${dir}/eggs`;
    const { log, lines } = quietLog();
    const dist = await installArtifact(whl, eggs, INTERP, log);
    assert.deepEqual(lines, []);
    assert.equal(dist.location, `${eggs}/Demo.App-1.0-py3.11.egg`);
    assert.equal(dist.name, "Demo.App");
    assert.equal(dist.key, "demo-app");
    assert.equal(dist.version, "1.0");
    assert.deepEqual(await tree(eggs), [
      "Demo.App-1.0-py3.11.egg/",
      "Demo.App-1.0-py3.11.egg/Demo_App-1.0.dist-info/",
      "Demo.App-1.0-py3.11.egg/Demo_App-1.0.dist-info/METADATA",
      "Demo.App-1.0-py3.11.egg/Demo_App-1.0.dist-info/RECORD",
      "Demo.App-1.0-py3.11.egg/Demo_App-1.0.dist-info/WHEEL",
      "Demo.App-1.0-py3.11.egg/Demo_App-1.0.dist-info/entry_points.txt",
      "Demo.App-1.0-py3.11.egg/demo_app/",
      "Demo.App-1.0-py3.11.egg/demo_app/__init__.py",
      "Demo.App-1.0-py3.11.egg/demo_app/util.py",
    ]);
    assertDemoAnswers(dist);
    const [scanned] = await scanEggsDirectory(eggs, INTERP);
    assert.deepEqual(scanned.requires(["test"]), dist.requires(["test"]));
  }));

Deno.test("a wheel whose METADATA is too large to keep in memory is read back from its file", () =>
  withTmp(async (dir) => {
    // A long description of 5 MiB after the headers (over the 4 MiB kept).
    const body = "A long description.\n".repeat(5 * 1024 * 1024 / 20);
    const whl = await makeWheel(dir, {
      ...DEMO_WHEEL,
      metadata: [...DEMO_WHEEL.metadata, `Summary: big\n\n${body}`],
    });
    const dist = await installArtifact(
      whl,
      `${dir}/eggs`,
      INTERP,
      quietLog().log,
    );
    assertDemoAnswers(dist);
  }));

Deno.test("a platform wheel gets the interpreter's platform in its folder name", () =>
  withTmp(async (dir) => {
    const whl = await makeWheel(dir, {
      name: "fast",
      version: "2.0",
      tag: "cp311-cp311-manylinux_2_17_x86_64",
      files: { "fast.py": "" },
    });
    const dist = await installArtifact(
      whl,
      `${dir}/eggs`,
      INTERP,
      quietLog().log,
    );
    assert.equal(dist.location, `${dir}/eggs/fast-2.0-py3.11-linux-x86_64.egg`);
  }));

Deno.test("a RECORD mismatch rejects the wheel and leaves nothing in eggs/", () =>
  withTmp(async (dir) => {
    const whl = await makeWheel(dir, {
      ...DEMO_WHEEL,
      recordOverride: {
        "demo_app/util.py":
          "demo_app/util.py,sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA,6",
      },
    });
    await assert.rejects(
      installArtifact(whl, `${dir}/eggs`, INTERP, quietLog().log),
      new UserError(
        "Demo_App-1.0-py3-none-any.whl is damaged: demo_app/util.py does not match its RECORD hash.",
      ),
    );
    assert.deepEqual(await tree(`${dir}/eggs`), []);
  }));

Deno.test("a file listed in RECORD but missing, or no RECORD, is refused", () =>
  withTmp(async (dir) => {
    const whl = await makeWheel(dir, {
      ...DEMO_WHEEL,
      recordOverride: { "demo_app/util.py": "demo_app/gone.py,sha256=abc,3" },
    });
    await assert.rejects(
      installArtifact(whl, `${dir}/eggs`, INTERP, quietLog().log),
      new UserError(
        "Demo_App-1.0-py3-none-any.whl is damaged: demo_app/gone.py is listed in RECORD but missing.",
      ),
    );
    await makeZip(`${dir}/bare-1.0-py3-none-any.whl`, [
      { name: "bare.py", content: "" },
      {
        name: "bare-1.0.dist-info/METADATA",
        content: "Name: bare\nVersion: 1.0\n",
      },
      { name: "bare-1.0.dist-info/WHEEL", content: "Wheel-Version: 1.0\n" },
    ]);
    await assert.rejects(
      installArtifact(
        `${dir}/bare-1.0-py3-none-any.whl`,
        `${dir}/eggs`,
        INTERP,
        quietLog().log,
      ),
      new UserError(
        "bare-1.0-py3-none-any.whl is damaged: it has no RECORD file.",
      ),
    );
    assert.deepEqual(await tree(`${dir}/eggs`), []);
  }));

Deno.test(".data: purelib and platlib merge into the root, scripts/headers/data stay in .data", () =>
  withTmp(async (dir) => {
    const whl = await makeWheel(dir, {
      name: "withdata",
      version: "0.1",
      files: {
        "withdata/__init__.py": "",
        "withdata-0.1.data/purelib/withdata/extra.py": "E = 1\n",
        "withdata-0.1.data/platlib/plat.py": "",
        "withdata-0.1.data/scripts/tool": "#!python\n",
        "withdata-0.1.data/headers/w.h": "",
        "withdata-0.1.data/data/share/w.txt": "",
      },
    });
    const dist = await installArtifact(
      whl,
      `${dir}/eggs`,
      INTERP,
      quietLog().log,
    );
    const files = (await tree(dist.location)).filter((p) => !/info/i.test(p));
    assert.deepEqual(files, [
      "plat.py",
      "withdata/",
      "withdata/__init__.py",
      "withdata/extra.py",
      "withdata-0.1.data/",
      "withdata-0.1.data/data/",
      "withdata-0.1.data/data/share/",
      "withdata-0.1.data/data/share/w.txt",
      "withdata-0.1.data/headers/",
      "withdata-0.1.data/headers/w.h",
      "withdata-0.1.data/scripts/",
      "withdata-0.1.data/scripts/tool",
    ]);
    // purelib and platlib content is importable from the egg folder.
    const py = await new Deno.Command("python3", {
      args: ["-c", "import withdata.extra, plat; print(withdata.extra.E)"],
      env: { PYTHONPATH: dist.location },
    }).output();
    assert.equal(new TextDecoder().decode(py.stdout), "1\n");
  }));

Deno.test("an egg file is unpacked into a folder of the same name", () =>
  withTmp(async (dir) => {
    const egg = await makeEgg(dir, "demo", "0.2", {
      "demo.py": "def main(): pass\n",
    }, {
      "requires.txt":
        "demoneeded\n\n[extra1]\nother>=1\n\n[:python_version < '3']\nfuture\n",
      "entry_points.txt": "[console_scripts]\ndemo = demo:main\n",
    });
    const dist = await installArtifact(
      egg,
      `${dir}/eggs`,
      INTERP,
      quietLog().log,
    );
    assert.equal(dist.location, `${dir}/eggs/demo-0.2-py3.11.egg`);
    assert.deepEqual(await tree(dist.location), [
      "EGG-INFO/",
      "EGG-INFO/PKG-INFO",
      "EGG-INFO/entry_points.txt",
      "EGG-INFO/requires.txt",
      "demo.py",
    ]);
    assert.deepEqual(dist.requires().map((r) => r.name), ["demoneeded"]);
    assert.deepEqual(
      dist.requires(["extra1"]).map((r) => `${r.name}${r.specifier}`),
      ["demoneeded", "other>=1"],
    );
    assert.deepEqual(dist.entryPoints("console_scripts"), {
      demo: "demo:main",
    });
    assert.deepEqual(dist.entryPoints("gui_scripts"), {});
  }));

Deno.test("an egg without EGG-INFO is refused and nothing is left", () =>
  withTmp(async (dir) => {
    await makeZip(`${dir}/broken-1.0-py3.11.egg`, [{
      name: "broken.py",
      content: "",
    }]);
    await assert.rejects(
      installArtifact(
        `${dir}/broken-1.0-py3.11.egg`,
        `${dir}/eggs`,
        INTERP,
        quietLog().log,
      ),
      new UserError(
        "broken-1.0-py3.11.egg is not a valid egg: it has no EGG-INFO/PKG-INFO.",
      ),
    );
    assert.deepEqual(await tree(`${dir}/eggs`), []);
  }));

Deno.test("an identical egg put there by a parallel run is accepted with a warning", () =>
  withTmp(async (dir) => {
    const whl = await makeWheel(dir, DEMO_WHEEL);
    const eggs = `${dir}/eggs`;
    const first = quietLog();
    const second = quietLog();
    const [a, b] = await Promise.all([
      installArtifact(whl, eggs, INTERP, first.log),
      installArtifact(whl, eggs, INTERP, second.log),
    ]);
    assert.equal(a.location, b.location);
    const warned = [...first.lines, ...second.lines];
    assert.deepEqual(warned, [
      `Path ${a.location} unexpectedly already exists.`,
      "Maybe a buildout running in parallel has added it. We will accept it.",
      "If this contains a wrong package, please remove it yourself.",
      "It contains the expected distribution for Demo.App 1.0.",
    ]);
    assert.deepEqual(
      (await tree(eggs)).filter((p) => !p.slice(0, -1).includes("/")),
      [
        "Demo.App-1.0-py3.11.egg/",
      ],
    );
  }));

Deno.test("a different distribution under the target name is an error, and kept", () =>
  withTmp(async (dir) => {
    const eggs = `${dir}/eggs`;
    await Deno.mkdir(`${eggs}/demo-0.2-py3.11.egg/EGG-INFO`, {
      recursive: true,
    });
    await Deno.writeTextFile(
      `${eggs}/demo-0.2-py3.11.egg/EGG-INFO/PKG-INFO`,
      "Name: other\nVersion: 9\n",
    );
    const egg = await makeEgg(dir, "demo", "0.2", { "demo.py": "" });
    await assert.rejects(
      installArtifact(egg, eggs, INTERP, quietLog().log),
      new UserError(
        `Path ${eggs}/demo-0.2-py3.11.egg already exists and does not contain demo 0.2; please remove it yourself.`,
      ),
    );
    assert.deepEqual(await tree(eggs), [
      "demo-0.2-py3.11.egg/",
      "demo-0.2-py3.11.egg/EGG-INFO/",
      "demo-0.2-py3.11.egg/EGG-INFO/PKG-INFO",
    ]);
  }));

Deno.test("an empty folder under the target name is replaced by the egg, without a warning", () =>
  withTmp(async (dir) => {
    const eggs = `${dir}/eggs`;
    await Deno.mkdir(`${eggs}/demo-0.2-py3.11.egg`, { recursive: true });
    const egg = await makeEgg(dir, "demo", "0.2", { "demo.py": "" });
    const { log, lines } = quietLog();
    const dist = await installArtifact(egg, eggs, INTERP, log);
    assert.equal(dist.name, "demo");
    assert.deepEqual(lines, []);
    assert.deepEqual(await tree(eggs), [
      "demo-0.2-py3.11.egg/",
      "demo-0.2-py3.11.egg/EGG-INFO/",
      "demo-0.2-py3.11.egg/EGG-INFO/PKG-INFO",
      "demo-0.2-py3.11.egg/demo.py",
    ]);
  }));

Deno.test("scanning lists egg folders only, ignoring temp folders and odd names", () =>
  withTmp(async (dir) => {
    const eggs = `${dir}/eggs`;
    await installArtifact(
      await makeEgg(dir, "demo", "0.2", {}),
      eggs,
      INTERP,
      quietLog().log,
    );
    await installArtifact(
      await makeWheel(dir, DEMO_WHEEL),
      eggs,
      INTERP,
      quietLog().log,
    );
    await Deno.mkdir(`${eggs}/.tmp-abc/x.egg`, { recursive: true });
    await Deno.mkdir(`${eggs}/not an egg`);
    await Deno.mkdir(`${eggs}/junk.egg`);
    await Deno.writeTextFile(`${eggs}/zipped-1.0-py3.11.egg`, "");
    const dists = await scanEggsDirectory(eggs, INTERP);
    assert.deepEqual(dists.map((d) => `${d.key} ${d.version} ${d.name}`), [
      "demo-app 1.0 Demo.App",
      "demo 0.2 demo",
    ]);
    assert.deepEqual(await scanEggsDirectory(`${dir}/missing`, INTERP), []);
  }));

Deno.test("an egg folder is copied; a wheel of an unknown major version is refused", () =>
  withTmp(async (dir) => {
    await Deno.mkdir(`${dir}/src/demo-0.3-py3.11.egg/EGG-INFO`, {
      recursive: true,
    });
    await Deno.writeTextFile(
      `${dir}/src/demo-0.3-py3.11.egg/EGG-INFO/PKG-INFO`,
      "Name: demo\nVersion: 0.3\n",
    );
    await Deno.writeTextFile(`${dir}/src/demo-0.3-py3.11.egg/demo.py`, "");
    const dist = await installArtifact(
      `${dir}/src/demo-0.3-py3.11.egg`,
      `${dir}/eggs`,
      INTERP,
      quietLog().log,
    );
    assert.equal(dist.location, `${dir}/eggs/demo-0.3-py3.11.egg`);
    assert.deepEqual(await tree(dist.location), [
      "EGG-INFO/",
      "EGG-INFO/PKG-INFO",
      "demo.py",
    ]);
    assert.ok(await Deno.stat(`${dir}/src/demo-0.3-py3.11.egg/demo.py`));

    await makeZip(`${dir}/future-1.0-py3-none-any.whl`, [
      {
        name: "future-1.0.dist-info/METADATA",
        content: "Name: future\nVersion: 1.0\n",
      },
      { name: "future-1.0.dist-info/WHEEL", content: "Wheel-Version: 2.0\n" },
      { name: "future-1.0.dist-info/RECORD", content: "" },
    ]);
    await assert.rejects(
      installArtifact(
        `${dir}/future-1.0-py3-none-any.whl`,
        `${dir}/eggs`,
        INTERP,
        quietLog().log,
      ),
      new UserError(
        "future-1.0-py3-none-any.whl has Wheel-Version '2.0'; only version 1 wheels are supported.",
      ),
    );
    assert.deepEqual(
      (await tree(`${dir}/eggs`)).filter((p) => !p.slice(0, -1).includes("/")),
      [
        "demo-0.3-py3.11.egg/",
      ],
    );
  }));
