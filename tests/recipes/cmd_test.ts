import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { cmdSwitch } from "../../src/recipes/cmd.ts";

async function write(b: string, text: string) {
  await Deno.writeTextFile(join(b, "buildout.cfg"), text);
}

async function exists(p: string) {
  return await Deno.lstat(p).then(() => true, () => false);
}

const cfg = (body: string, recipe = "collective.recipe.cmd") =>
  `[buildout]\nparts = cmds\n\n[cmds]\nrecipe = ${recipe}\n${body}`;

Deno.test("cmd switches: 1 and true only", () => {
  assert.equal(cmdSwitch("True"), true);
  assert.equal(cmdSwitch("1"), true);
  assert.equal(cmdSwitch("yes"), false);
  assert.equal(cmdSwitch(undefined), false);
});

Deno.test("collective.recipe.cmd: install, update, no-op rerun, uninstall_cmds", () =>
  withTempDir(async (b) => {
    const body = "on_install = true\non_update = true\n" +
      "cmds =\n    echo run >> log.txt\n    echo shown in $(pwd)\n" +
      "uninstall_cmds = echo uninstalled >> log.txt\n";
    await write(b, cfg(body));
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.ok(
      r.stdout.endsWith(`\nInstalling cmds.\nshown in ${b}\n`),
      r.stdout,
    );
    assert.equal(await Deno.readTextFile(join(b, "log.txt")), "run\n");

    const u = await runCli(["-U"], { cwd: b });
    assert.equal(u.code, 0, u.stderr);
    assert.equal(u.stdout, `Updating cmds.\nshown in ${b}\n`);
    assert.equal(await Deno.readTextFile(join(b, "log.txt")), "run\nrun\n");

    // on_update off: an update runs nothing, writes nothing
    await write(b, cfg(body.replace("on_update = true", "on_update = false")));
    const re = await runCli(["-U"], { cwd: b });
    assert.equal(re.code, 0, re.stderr);
    assert.equal(
      re.stdout,
      `Uninstalling cmds.\nRunning uninstall recipe.\nInstalling cmds.\nshown in ${b}\n`,
    );
    const before = (await Deno.stat(join(b, ".installed.cfg"))).mtime;
    const noop = await runCli(["-U"], { cwd: b });
    assert.equal(noop.stdout, "Updating cmds.\n");
    assert.deepEqual(
      (await Deno.stat(join(b, ".installed.cfg"))).mtime,
      before,
    );
    assert.equal(
      await Deno.readTextFile(join(b, "log.txt")),
      "run\nrun\nuninstalled\nrun\n",
    );

    // removing the part runs uninstall_cmds
    await write(b, "[buildout]\nparts =\n");
    const un = await runCli(["-U"], { cwd: b });
    assert.equal(un.code, 0, un.stderr);
    assert.equal(un.stdout, "Uninstalling cmds.\nRunning uninstall recipe.\n");
    assert.equal(
      await Deno.readTextFile(join(b, "log.txt")),
      "run\nrun\nuninstalled\nrun\nuninstalled\n",
    );
  }));

Deno.test("collective.recipe.cmd: on_install off runs nothing; shell chooses the interpreter", () =>
  withTempDir(async (b) => {
    await write(b, cfg("cmds = touch made\n"));
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await exists(join(b, "made")), false);

    await write(
      b,
      cfg(
        "on_install = 1\nshell = python3\ncmds =\n  import os\n  print(os.getcwd())\n",
        "collective.recipe.cmd:sh",
      ),
    );
    const py = await runCli(["-U"], { cwd: b });
    assert.equal(py.code, 0, py.stderr);
    assert.equal(
      py.stdout,
      `Uninstalling cmds.\nRunning uninstall recipe.\nInstalling cmds.\n${b}\n`,
    );
  }));

Deno.test("collective.recipe.cmd: a failing script fails the part; :py is refused", () =>
  withTempDir(async (b) => {
    await write(b, cfg("on_install = true\ncmds =\n  echo first\n  exit 23\n"));
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^first$/m);
    assert.match(
      r.stderr,
      /While:\n {2}Installing cmds\.\nError: Command 'sh <cmds>' returned non-zero exit status 23\.\n$/,
    );
    assert.equal(await exists(join(b, ".installed.cfg")), false);

    await write(
      b,
      cfg(
        "on_install = true\ncmds = >>> print(1)\n",
        "collective.recipe.cmd:py",
      ),
    );
    const py = await runCli(["-U"], { cwd: b });
    assert.equal(py.code, 1);
    assert.match(
      py.stderr,
      /Error: The recipe collective\.recipe\.cmd:py is not supported: it runs Python code inside buildout's own process\./,
    );

    // a failing uninstall_cmds stops the uninstall, the part stays recorded
    await write(b, cfg("uninstall_cmds = exit 2\n"));
    assert.equal((await runCli(["-U"], { cwd: b })).code, 0);
    await write(b, "[buildout]\nparts =\n");
    const un = await runCli(["-U"], { cwd: b });
    assert.equal(un.code, 1);
    assert.match(
      un.stderr,
      /While:\n {2}Uninstalling cmds\.\nError: Command 'sh <cmds>' returned non-zero exit status 2\.\n$/,
    );
    assert.match(
      await Deno.readTextFile(join(b, ".installed.cfg")),
      /^\[cmds\]$/m,
    );
  }));
