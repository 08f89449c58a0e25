/**
 * zc.recipe.egg through the CLI: distutils scripts (`EGG-INFO/scripts/` of
 * eggs, `<name>.data/scripts/` of wheels) written into `bin/` with the
 * target Python and the part's `sys.path`, renamed by `scripts`, removed on
 * uninstall. Scripts are run with python3.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { makeEgg, makeWheel } from "../install/support.ts";

const FIXTURES = fileURLToPath(
  new URL("../../fixtures/links", import.meta.url),
);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lines = (text: string) =>
  text.split("\n").filter((l) => l !== "" && !l.startsWith("Creating "));

async function buildout(dir: string, links: string, body: string) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${links}\nindex = ${dir}/empty-index\n${body}`,
  );
  return await runCli([], {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

async function binFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(dir, "bin"))) names.push(e.name);
  return names.sort();
}

async function run(path: string): Promise<string> {
  const r = await new Deno.Command(path).output();
  assert.equal(r.code, 0, decode(r.stderr));
  return decode(r.stdout);
}

/** An egg `tool` with a distutils script needing `helper` (a wheel with scripts of its own). */
async function makeLinks(links: string) {
  await Deno.mkdir(links);
  await makeEgg(links, "tool", "1.0", { "tool.py": "NAME = 'tool'\n" }, {
    "requires.txt": "helper\n",
    "scripts/toolscript": [
      "#!/usr/bin/env python",
      "# -*- coding: utf-8 -*-",
      '"""Module docstring."""',
      "from __future__ import annotations",
      "import helper",
      "import tool",
      "print(tool.NAME, helper.WORD)",
      "",
    ].join("\n"),
    "scripts/__pycache__/junk.pyc": "",
  });
  await makeWheel(links, {
    name: "helper",
    version: "1.0",
    files: {
      "helper.py": "WORD = 'helped'\n",
      "helper-1.0.data/scripts/helperscript":
        "#!python\nimport helper\nprint('helper says', helper.WORD)\n",
      "helper-1.0.data/scripts/shellscript": "#!/bin/sh\necho from shell\n",
    },
  });
}

Deno.test("distutils scripts of the eggs named in eggs are written to bin/ and see the eggs", async () => {
  await withTempDir(async (dir) => {
    const links = join(dir, "links");
    await makeLinks(links);
    const r = await buildout(
      dir,
      links,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs = tool\n",
    );
    assert.equal(r.code, 0, r.stderr);
    // Only the requested egg's scripts, not its dependency's.
    assert.deepEqual(lines(r.stdout).slice(-1), [
      `Generated script '${dir}/bin/toolscript'.`,
    ]);
    assert.deepEqual(await binFiles(dir), ["toolscript"]);
    const script = join(dir, "bin", "toolscript");
    assert.equal((await Deno.stat(script)).mode! & 0o777, 0o755);
    assert.equal(await run(script), "tool helped\n");
    const text = await Deno.readTextFile(script);
    const eggs = await Deno.realPath(join(dir, "eggs"));
    const python = text.split("\n")[0];
    assert.match(python, /^#!\/.*python/);
    assert.equal(
      text,
      [
        python,
        "# -*- coding: utf-8 -*-",
        '"""Module docstring."""',
        "from __future__ import annotations",
        "",
        "",
        "import sys",
        "sys.path[0:0] = [",
        `  '${eggs}/tool-1.0-py3.11.egg',`,
        `  '${eggs}/helper-1.0-py3.11.egg',`,
        "  ]",
        "",
        "",
        "import helper",
        "import tool",
        "print(tool.NAME, helper.WORD)",
        "",
      ].join("\n"),
    );
  });
});

Deno.test("wheel data scripts with dependent-scripts; non-Python scripts are copied unchanged", async () => {
  await withTempDir(async (dir) => {
    const links = join(dir, "links");
    await makeLinks(links);
    const r = await buildout(
      dir,
      links,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs = tool\ndependent-scripts = true\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await binFiles(dir), [
      "helperscript",
      "shellscript",
      "toolscript",
    ]);
    assert.equal(
      await run(join(dir, "bin", "helperscript")),
      "helper says helped\n",
    );
    assert.equal(
      await Deno.readTextFile(join(dir, "bin", "shellscript")),
      "#!/bin/sh\necho from shell\n",
    );
    assert.equal(await run(join(dir, "bin", "shellscript")), "from shell\n");
  });
});

Deno.test("scripts = name=newname renames a distutils script; uninstall removes it", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      FIXTURES,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs =\n  other\n  demo\n" +
        "scripts = distutilsscript=renamed\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-1), [
      `Generated script '${dir}/bin/renamed'.`,
    ]);
    assert.deepEqual(await binFiles(dir), ["renamed"]);
    assert.equal(await run(join(dir, "bin", "renamed")), "distutils!\n");
    // Unchanged on a rerun: not written again.
    r = await buildout(
      dir,
      FIXTURES,
      "parts = app\n\n[app]\nrecipe = zc.recipe.egg\neggs =\n  other\n  demo\n" +
        "scripts = distutilsscript=renamed\n",
    );
    assert.deepEqual(lines(r.stdout), ["Updating app."]);
    r = await buildout(dir, FIXTURES, "parts =\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling app."]);
    assert.deepEqual(await binFiles(dir), []);
  });
});
