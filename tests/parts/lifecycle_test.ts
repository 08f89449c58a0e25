import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { registerRecipe } from "../../src/parts/recipe.ts";
import { UserError } from "../../src/errors.ts";

const SIG = "mkdir:default buildout-deno-0.1.0";
const MKSIG = "mkdir:default buildout-deno-0.1.0";

async function isDir(p: string): Promise<boolean> {
  return await Deno.stat(p).then((s) => s.isDirectory, () => false);
}
const exists = (p: string) => Deno.lstat(p).then(() => true, () => false);

async function build(dir: string, cfg: string, ...argv: string[]) {
  await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg);
  return await runCli(["-U", ...argv], { cwd: dir });
}

const installed = (dir: string) =>
  Deno.readTextFile(join(dir, ".installed.cfg"));

// Test-only recipes, registered once for this test module.
registerRecipe(["test.failing-update"], (ctx) => ({
  async install() {
    const p = join(ctx.settings.partsDirectory, ctx.name);
    await Deno.mkdir(p);
    return [p];
  },
  update() {
    ctx.options.get("x");
    throw new UserError("update failed");
  },
}));
registerRecipe(["test.outside"], (ctx) => ({
  install() {
    return Promise.resolve([ctx.options.require("target")]);
  },
}));
registerRecipe(["test.half"], (ctx) => ({
  async install() {
    await Deno.mkdir(join(ctx.settings.partsDirectory, ctx.name));
    await Deno.writeTextFile(
      join(ctx.settings.partsDirectory, ctx.name, "f"),
      "",
    );
    await Deno.writeTextFile(join(ctx.settings.binDirectory, "script"), "");
    throw new UserError("half way");
  },
}));
registerRecipe(["test.crash"], () => ({
  install() {
    throw new TypeError("boom");
  },
}));

const TWO = `[buildout]
parts = data logs

[data]
recipe = mkdir
paths = var/data

[logs]
recipe = mkdir
paths = var/log
`;

Deno.test("install, update, option change, removal in reverse order", async () => {
  await withTempDir(async (d) => {
    let r = await build(d, TWO);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `Creating directory '${d}/eggs'.
Creating directory '${d}/bin'.
Creating directory '${d}/parts'.
Creating directory '${d}/develop-eggs'.
Installing data.
data: Creating directory ${d}/var
data: Creating directory ${d}/var/data
Installing logs.
logs: Creating directory ${d}/var/log
`,
    );
    assert.ok(await isDir(join(d, "var/data")));
    assert.equal(
      await installed(d),
      `[buildout]
installed_develop_eggs = 
parts = data logs

[data]
__buildout_installed__ = ${d}/var/data
__buildout_signature__ = ${SIG}
paths = ${d}/var/data
recipe = mkdir

[logs]
__buildout_installed__ = ${d}/var/log
__buildout_signature__ = ${MKSIG}
paths = ${d}/var/log
recipe = mkdir
`,
    );

    r = await build(d, TWO);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "Updating data.\nUpdating logs.\n");

    r = await build(d, TWO.replace("var/log", "var/logs"));
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `Uninstalling logs.
Updating data.
Installing logs.
logs: Creating directory ${d}/var/logs
`,
    );
    assert.equal(await exists(join(d, "var/log")), false);
    assert.ok(await isDir(join(d, "var/logs")));

    r = await build(d, "[buildout]\nparts =\n");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "Uninstalling logs.\nUninstalling data.\n");
    assert.equal(await exists(join(d, "var/data")), false);
    assert.equal(await exists(join(d, "var/logs")), false);
    assert.equal(await exists(join(d, ".installed.cfg")), false);
  });
});

Deno.test("a part referenced through ${part:option} is installed first", async () => {
  await withTempDir(async (d) => {
    const r = await build(
      d,
      `[buildout]
parts = app

[app]
recipe = mkdir
paths = \${data:paths}/app

[data]
recipe = mkdir
paths = var/data
`,
    );
    assert.equal(r.stderr, "");
    assert.equal(
      r.stdout.split("\n").filter((l) => /^(Installing|Updating)/.test(l))
        .join("\n"),
      "Installing data.\nInstalling app.",
    );
    assert.ok(await isDir(join(d, "var/data/app")));
    assert.match(await installed(d), /parts = data app\n/);
  });
});

Deno.test("a failure midway: finished parts recorded, the failed part's directories removed", async () => {
  await withTempDir(async (d) => {
    await Deno.writeTextFile(join(d, "blocker"), "a file");
    const cfg = `[buildout]
parts = a b c

[a]
recipe = mkdir
paths = made-a

[b]
recipe = mkdir
paths = made-b/x
  blocker/sub

[c]
recipe = mkdir
paths = made-c
`;
    let r = await build(d, cfg);
    assert.equal(r.code, 1);
    const lines = r.stderr.split("\n");
    assert.deepEqual(lines.slice(0, 2), ["While:", "  Installing b."]);
    assert.match(
      lines[2],
      new RegExp(`^Error: Cannot create directory '${d}/blocker/sub': `),
    );
    assert.ok(await isDir(join(d, "made-a")));
    assert.equal(await exists(join(d, "made-b")), false);
    assert.equal(await exists(join(d, "made-c")), false);
    const text = await installed(d);
    assert.match(
      text,
      /^\[buildout\]\ninstalled_develop_eggs = \nparts = a\n\n\[a\]\n/,
    );
    assert.doesNotMatch(text, /\[b\]/);

    await Deno.remove(join(d, "blocker"));
    r = await build(d, cfg);
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.stdout.split("\n").filter((l) => /^(Installing|Updating)/.test(l)),
      ["Updating a.", "Installing b.", "Installing c."],
    );
  });
});

Deno.test("a failing update keeps the previous install (W9)", async () => {
  await withTempDir(async (d) => {
    const cfg = "[buildout]\nparts = p\n\n[p]\nrecipe = test.failing-update\n";
    let r = await build(d, cfg);
    assert.equal(r.code, 0);
    r = await build(d, cfg);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "Updating p.\n");
    assert.equal(r.stderr, "While:\n  Updating p.\nError: update failed\n");
    assert.ok(await isDir(join(d, "parts/p")));
    assert.match(await installed(d), /parts = p\n/);
  });
});

Deno.test("uninstall never deletes outside the buildout directory (W9)", async () => {
  await withTempDir(async (d) => {
    await withTempDir(async (outside) => {
      const target = join(outside, "keep.txt");
      await Deno.writeTextFile(target, "x");
      let r = await build(
        d,
        `[buildout]\nparts = p\n\n[p]\nrecipe = test.outside\ntarget = ${target}\n`,
      );
      assert.equal(r.code, 0);
      r = await build(d, "[buildout]\nparts =\n");
      assert.equal(r.code, 0);
      assert.equal(
        r.stdout,
        `Uninstalling p.\nNot removing '${target}': it is outside the buildout directory.\n`,
      );
      assert.ok(await exists(target));
    });
  });
});

Deno.test("a recorded path gone missing reinstalls the part", async () => {
  await withTempDir(async (d) => {
    const cfg = "[buildout]\nparts = p\n\n[p]\nrecipe = mkdir\npaths = x\n";
    await build(d, cfg);
    await Deno.remove(join(d, "x"));
    const r = await build(d, cfg);
    assert.equal(
      r.stdout,
      `Uninstalling p.\nInstalling p.\np: Creating directory ${d}/x\n`,
    );
  });
});

Deno.test("unused options warn on install and on update (W8)", async () => {
  await withTempDir(async (d) => {
    const cfg = `[buildout]
parts = p
typo-option = 1

[p]
recipe = mkdir
paths = x
pahts = y
zzz = 1
`;
    const hint =
      "This may be an indication for either a typo in the option's name or a bug in the used recipe.";
    const warnBuildout =
      `Section \`buildout\` contains unused option(s): 'typo-option'.\n${hint}\n`;
    const warnP =
      `Section \`p\` contains unused option(s): 'pahts' 'zzz'.\n${hint}\n`;
    let r = await build(d, cfg);
    assert.equal(r.code, 0);
    // (after the "Creating directory" lines of the buildout's own folders)
    assert.ok(
      r.stdout.endsWith(
        `\n${warnBuildout}Installing p.\np: Creating directory ${d}/x\n${warnP}`,
      ),
      r.stdout,
    );
    r = await build(d, cfg);
    assert.equal(r.stdout, `${warnBuildout}Updating p.\n${warnP}`);
  });
});

Deno.test("a recipe that is not built in is a distribution; a missing recipe is a user error naming the part", async () => {
  await withTempDir(async (d) => {
    let r = await build(
      d,
      "[buildout]\nparts = x\n\n[x]\nrecipe = foo.bar:baz\n",
      "-o",
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Installing.\n  Getting section x.\n  Initializing section x.\n" +
        "  Installing recipe foo.bar.\n" +
        "Error: We don't have a distribution for foo.bar\n" +
        "and can't install one in offline (no-install) mode.\n",
    );
    r = await build(d, "[buildout]\nparts = x\n\n[x]\npaths = a\n");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error: Missing option: x:recipe$/m);
    r = await build(d, "[buildout]\nparts = nope\n");
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^Error: The referenced section, 'nope', was not defined\.$/m,
    );
  });
});

Deno.test("install with part names installs only those and keeps the others", async () => {
  await withTempDir(async (d) => {
    let r = await build(d, TWO);
    r = await build(d, TWO.replace(/var\//g, "new/"), "install", "logs");
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `Uninstalling logs.\nInstalling logs.\nlogs: Creating directory ${d}/new\nlogs: Creating directory ${d}/new/log\n`,
    );
    assert.ok(await isDir(join(d, "var/data")));
    assert.match(await installed(d), /parts = data logs\n/);
  });
});

Deno.test("an unexpected failure is an internal error, exit 3, stack only with -v", async () => {
  await withTempDir(async (d) => {
    const cfg = "[buildout]\nparts = p\n\n[p]\nrecipe = test.crash\n";
    let r = await build(d, cfg);
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      "While:\n  Installing p.\n\nAn internal error occurred due to a bug in buildout for Deno or in a recipe being used:\nTypeError: boom (run with -v for the stack)\n",
    );
    r = await build(d, cfg, "-v");
    assert.equal(r.code, 3);
    assert.match(r.stderr, /TypeError: boom\n\s+at /);
    r = await build(d, cfg, "-D");
    assert.equal(r.code, 3);
    assert.match(r.stderr, /TypeError: boom\n\s+at /);
  });
});

Deno.test("a part referenced from [buildout] is not installed unless used (W6)", async () => {
  await withTempDir(async (d) => {
    const cfg = (parts: string) =>
      `[buildout]
parts = ${parts}
data-path = \${data:paths}

[data]
recipe = mkdir
paths = var/data

[app]
recipe = mkdir
paths = \${data:paths}/app
`;
    let r = await build(d, cfg(""));
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /Installing/);
    r = await build(d, cfg("app"));
    assert.equal(r.stderr, "");
    assert.deepEqual(
      r.stdout.split("\n").filter((l) => l.startsWith("Installing")),
      ["Installing data.", "Installing app."],
    );
  });
});

Deno.test("=> dependencies are installed before the part", async () => {
  await withTempDir(async (d) => {
    const r = await build(
      d,
      `[buildout]
parts = server

[server]
=> app
recipe = mkdir
paths = srv

[app]
recipe = mkdir
paths = app
`,
    );
    assert.equal(r.stderr, "");
    assert.deepEqual(
      r.stdout.split("\n").filter((l) => l.startsWith("Installing")),
      ["Installing app.", "Installing server."],
    );
  });
});

Deno.test("-vv logs why a part is reinstalled", async () => {
  await withTempDir(async (d) => {
    await build(d, "[buildout]\nparts = p\n\n[p]\nrecipe = mkdir\npaths = a\n");
    const r = await build(
      d,
      "[buildout]\nparts = p\n\n[p]\nrecipe = mkdir\npaths = b\n",
      "-vv",
    );
    assert.match(
      r.stdout,
      new RegExp(`Part p, option paths changed:\n'${d}/b' != '${d}/a'.\n`),
    );
    assert.match(
      r.stdout,
      new RegExp(
        `\nConfiguration data:\n(.|\n)*\\[p\\]\npaths = ${d}/b\nrecipe = mkdir\n`,
      ),
    );
  });
});

Deno.test("files a failed install left in bin/ and parts/ are removed", async () => {
  await withTempDir(async (d) => {
    await Deno.mkdir(join(d, "bin"));
    await Deno.writeTextFile(join(d, "bin/old"), "keep");
    const r = await build(
      d,
      "[buildout]\nparts = h\n\n[h]\nrecipe = test.half\n",
    );
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "While:\n  Installing h.\nError: half way\n");
    assert.deepEqual([...Deno.readDirSync(join(d, "parts"))], []);
    assert.deepEqual(
      [...Deno.readDirSync(join(d, "bin"))].map((e) => e.name),
      ["old"],
    );
    assert.equal(await exists(join(d, ".installed.cfg")), false);
  });
});
