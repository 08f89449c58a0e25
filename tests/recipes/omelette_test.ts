/**
 * collective.recipe.omelette through the CLI: the symlink farm of a working
 * set made of wheels and an egg built here (two PEP 420 distributions sharing
 * the namespace `ns`, an egg declaring `ns` in namespace_packages.txt, a plain
 * package, a single module), its options, update, uninstall and errors.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel, writeZip } from "../../tools/wheel_writer.ts";

const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");
const PKGUTIL_NS =
  "__path__ = __import__('pkgutil').extend_path(__path__, __name__)\n";

async function makeDists(dir: string): Promise<void> {
  const wheels = join(dir, "wheels");
  await Deno.mkdir(wheels, { recursive: true });
  await writeWheel(wheels, {
    name: "ns.a",
    version: "1.0",
    files: { "ns/a/__init__.py": "A = 'a'\n", "ns/a/mod.py": "" },
    requires: ["plain"],
  });
  await writeWheel(wheels, {
    name: "ns.b",
    version: "1.0",
    files: { "ns/b/__init__.py": "B = 'b'\n" },
  });
  await writeWheel(wheels, {
    name: "plain",
    version: "2.0",
    files: { "plain/__init__.py": "P = 'p'\n" },
  });
  await writeWheel(wheels, {
    name: "single",
    version: "1.0",
    files: { "single.py": "S = 's'\n" },
  });
  // An egg with a pkgutil-style namespace declared in namespace_packages.txt.
  await Deno.writeFile(
    join(wheels, "ns.c-1.0-py3.11.egg"),
    await writeZip([
      { name: "ns/__init__.py", data: PKGUTIL_NS },
      { name: "ns/c/__init__.py", data: "C = 'c'\n" },
      {
        name: "EGG-INFO/PKG-INFO",
        data: "Metadata-Version: 1.0\nName: ns.c\nVersion: 1.0\n",
      },
      { name: "EGG-INFO/namespace_packages.txt", data: "ns\n" },
      { name: "EGG-INFO/top_level.txt", data: "ns\n" },
    ]),
  );
}

async function buildout(dir: string, body: string, args: string[] = []) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${dir}/wheels\nindex = ${dir}/empty-index\n${body}`,
  );
  return await runCli(args, {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

/** The farm as `path -> link target` (folders as `path/`), sorted. */
async function farm(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  const entries: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(join(root, prefix))) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : 1);
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isSymlink) {
      out.push(`${rel} -> ${await Deno.readLink(join(root, rel))}`);
    } else if (e.isDirectory) {
      out.push(`${rel}/`, ...await farm(root, rel));
    } else out.push(rel);
  }
  return out;
}

/** The egg folder of project `name` (its file name starts `<name>-`). */
async function egg(dir: string, name: string): Promise<string> {
  for await (const e of Deno.readDir(join(dir, "eggs"))) {
    if (e.name.startsWith(`${name}-`)) return join(dir, "eggs", e.name);
  }
  throw new Error(`no egg ${name}`);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const PART =
  "parts = omelette\n\n[omelette]\nrecipe = collective.recipe.omelette\n";

Deno.test("omelette: namespaces merged into folders, packages and modules linked, importable from one path", async () => {
  await withTempDir(async (dir) => {
    await makeDists(dir);
    const cfg = PART + "eggs =\n  ns.a\n  ns.b\n  single\n  ns.c\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lines(r.stdout).includes("Installing omelette."), r.stdout);
    const root = join(dir, "parts", "omelette");
    const [a, b, c, plain, single] = [
      await egg(dir, "ns.a"),
      await egg(dir, "ns.b"),
      await egg(dir, "ns.c"),
      await egg(dir, "plain"),
      await egg(dir, "single"),
    ];
    const expected = [
      "ns/",
      `ns/__init__.py -> ${c}/ns/__init__.py`,
      `ns/a -> ${a}/ns/a`,
      `ns/b -> ${b}/ns/b`,
      `ns/c -> ${c}/ns/c`,
      `plain -> ${plain}/plain`,
      `single.py -> ${single}/single.py`,
    ];
    assert.deepEqual(await farm(root), expected);
    const py = await new Deno.Command("python3", {
      args: [
        "-c",
        "import ns.a, ns.b, ns.c, plain, single; print(ns.a.A, ns.b.B, ns.c.C, plain.P, single.S)",
      ],
      env: { PYTHONPATH: root },
    }).output();
    assert.equal(decode(py.stdout), "a b c p s\n", decode(py.stderr));
    // `location` is set for other parts; a rerun only updates (rebuilds).
    r = await runCli(["query", "omelette:location"], { cwd: dir });
    assert.equal(r.stdout, `${root}\n`);
    r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating omelette."]);
    assert.deepEqual(await farm(root), expected);
    // Uninstalling removes the farm, not what the links point at.
    r = await buildout(dir, "parts =\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling omelette."]);
    assert.equal(await exists(root), false);
    assert.ok(await exists(join(a, "ns", "a", "__init__.py")));
    assert.ok(await exists(join(plain, "plain", "__init__.py")));
  });
});

Deno.test("omelette: ignores, location, and an update rebuilds the farm", async () => {
  await withTempDir(async (dir) => {
    await makeDists(dir);
    let r = await buildout(dir, PART + "eggs = ns.a\nignores = plain\n");
    assert.equal(r.code, 0, r.stderr);
    const a = await egg(dir, "ns.a");
    const root = join(dir, "parts", "omelette");
    assert.deepEqual(await farm(root), ["ns/", `ns/a -> ${a}/ns/a`]);
    r = await buildout(dir, PART + "eggs = ns.a\nlocation = omelette\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling omelette.",
      "Installing omelette.",
    ]);
    assert.equal(await exists(root), false);
    const plain = await egg(dir, "plain");
    assert.deepEqual(await farm(join(dir, "omelette")), [
      "ns/",
      `ns/a -> ${a}/ns/a`,
      `plain -> ${plain}/plain`,
    ]);
    // A stray file in the farm is gone after the next run.
    await Deno.writeTextFile(join(dir, "omelette", "stray"), "");
    r = await buildout(dir, PART + "eggs = ns.a\nlocation = omelette\n");
    assert.deepEqual(lines(r.stdout), ["Updating omelette."]);
    assert.equal(await exists(join(dir, "omelette", "stray")), false);
  });
});

Deno.test("omelette: packages and products link folders' sub-folders, merging into existing folders", async () => {
  await withTempDir(async (dir) => {
    await makeDists(dir);
    for (const p of ["lib/pkgx", "lib/pkgy", "lib/ns/extra", "prods/Prod1"]) {
      await Deno.mkdir(join(dir, p), { recursive: true });
    }
    await Deno.writeTextFile(join(dir, "lib", "readme.txt"), "");
    const r = await buildout(
      dir,
      PART +
        "eggs = ns.b\nproducts = prods\n" +
        "packages =\n  ${buildout:directory}/lib\n  lib/pkgx Products\n  a b c\n  nothere\n",
    );
    assert.equal(r.code, 0, r.stderr);
    const b = await egg(dir, "ns.b");
    assert.deepEqual(await farm(join(dir, "parts", "omelette")), [
      "Products/",
      `Products/Prod1 -> ${dir}/prods/Prod1`,
      "ns/",
      `ns/b -> ${b}/ns/b`,
      `ns/extra -> ${dir}/lib/ns/extra`,
      `pkgx -> ${dir}/lib/pkgx`,
      `pkgy -> ${dir}/lib/pkgy`,
    ]);
    // pkgx has no sub-folders: nothing under Products from it.
    assert.ok(
      lines(r.stdout).includes(
        "omelette: Warning: Invalid package: omelette ['a', 'b', 'c']",
      ),
      r.stdout,
    );
    assert.ok(
      lines(r.stdout).includes(
        `omelette: Warning: Product directory ${dir}/nothere not found.  Skipping.`,
      ),
      r.stdout,
    );
  });
});

Deno.test("omelette: ignore-develop leaves the develop eggs out", async () => {
  await withTempDir(async (dir) => {
    await makeDists(dir);
    await Deno.mkdir(join(dir, "src", "devpkg"), { recursive: true });
    await Deno.writeTextFile(join(dir, "src", "devpkg", "__init__.py"), "");
    await Deno.writeTextFile(
      join(dir, "src", "setup.py"),
      "from setuptools import setup\nsetup(name='devpkg', version='1.0', packages=['devpkg'])\n",
    );
    const cfg = (ignore: string) =>
      `develop = src\n${PART}eggs =\n  devpkg\n  single\nignore-develop = ${ignore}\n`;
    let r = await buildout(dir, cfg("false"));
    assert.equal(r.code, 0, r.stderr);
    const root = join(dir, "parts", "omelette");
    const single = await egg(dir, "single");
    assert.deepEqual(await farm(root), [
      `devpkg -> ${dir}/src/devpkg`,
      `single.py -> ${single}/single.py`,
    ]);
    r = await buildout(dir, cfg("yes"));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await farm(root), [`single.py -> ${single}/single.py`]);
  });
});

Deno.test("omelette: a location holding the buildout, or a target outside the farm, is one error line", async () => {
  await withTempDir(async (dir) => {
    await makeDists(dir);
    let r = await buildout(dir, PART + "location = ${buildout:directory}\n");
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      `Error: The omelette location ${dir} would hold the buildout directory; it is removed on every install.`,
    );
    await Deno.mkdir(join(dir, "lib"));
    r = await buildout(dir, PART + "eggs = single\npackages = lib ../..\n");
    assert.equal(r.code, 1);
    assert.ok(
      r.stderr.startsWith("While:\n  Installing omelette.\n"),
      r.stderr,
    );
    assert.equal(
      lines(r.stderr).at(-1),
      `Error: The packages target '../..' would be outside ${dir}/parts/omelette.`,
    );
    assert.equal(await exists(join(dir, "parts", "omelette")), false);
  });
});
