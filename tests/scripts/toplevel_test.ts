import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { topLevelNames } from "../../src/scripts/toplevel.ts";
import { withTempDir } from "../support/run.ts";

async function tree(root: string, files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(dirname(join(root, path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
}

const asObject = (m: Map<string, string>) => Object.fromEntries(m);

Deno.test("top_level.txt names what is there; listed names not found are left out", async () => {
  await withTempDir(async (dir) => {
    const egg = join(dir, "pytest-7.0-py3.11.egg");
    await tree(egg, {
      "py.py": "",
      "pytest/__init__.py": "",
      "_pytest/__init__.pyc": "",
      "extra/__init__.py": "",
      "pytest-7.0.dist-info/top_level.txt": "_pytest\npy\npytest\nmissing\n",
      "pytest-7.0.dist-info/RECORD": "extra/__init__.py,,\n",
    });
    assert.deepEqual(
      asObject(topLevelNames({ key: "pytest", location: egg })),
      {
        _pytest: "package",
        py: "module",
        pytest: "package",
      },
    );
  });
});

Deno.test("no top_level.txt: an installed wheel's names come from its egg folder (metadata, .data and __pycache__ left out)", async () => {
  await withTempDir(async (dir) => {
    const egg = join(dir, "py-1.11-py3.11.egg");
    await tree(egg, {
      "py/__init__.py": "",
      "fast.cpython-311-x86_64-linux-gnu.so": "",
      "nsp/sub.py": "",
      "extra.py": "",
      "__pycache__/extra.cpython-311.pyc": "",
      "py-1.11.data/scripts/tool": "",
      "py-1.11.dist-info/RECORD": "py/__init__.py,,\n" +
        "py-1.11.data/platlib/fast.cpython-311-x86_64-linux-gnu.so,,\n" +
        "nsp/sub.py,,\nextra.py,,\npy-1.11.data/scripts/tool,,\n" +
        "py-1.11.dist-info/RECORD,,\n",
    });
    assert.deepEqual(asObject(topLevelNames({ key: "py", location: egg })), {
      extra: "module",
      fast: "module",
      nsp: "namespace",
      py: "package",
    });
  });
});

Deno.test("no top_level.txt in EGG-INFO: the egg folder's listing; a develop egg's folder is not listed", async () => {
  await withTempDir(async (dir) => {
    const egg = join(dir, "old-1.0-py3.11.egg");
    await tree(egg, {
      "old.py": "",
      "oldpkg/__init__.py": "",
      "__pycache__/old.cpython-311.pyc": "",
      "EGG-INFO/PKG-INFO": "Name: old\nVersion: 1.0\n",
    });
    assert.deepEqual(asObject(topLevelNames({ key: "old", location: egg })), {
      old: "module",
      oldpkg: "package",
    });
    const src = join(dir, "src");
    await tree(src, {
      "setup.py": "",
      "mine.py": "",
      "mine.egg-info/PKG-INFO": "Name: mine\nVersion: 0.1\n",
    });
    const dev = { key: "mine", location: src, develop: true };
    assert.deepEqual(asObject(topLevelNames(dev)), {});
    await Deno.writeTextFile(
      join(src, "mine.egg-info", "top_level.txt"),
      "mine\n",
    );
    assert.deepEqual(asObject(topLevelNames(dev)), { mine: "module" });
  });
});
