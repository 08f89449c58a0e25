import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";
import { parseStopOnError } from "../../src/recipes/command.ts";
import { networkIsolation } from "../../src/recipes/shell.ts";

async function write(b: string, text: string) {
  await Deno.writeTextFile(join(b, "buildout.cfg"), text);
}

async function exists(p: string) {
  return await Deno.lstat(p).then(() => true, () => false);
}

const cfg = (body: string, extra = "") =>
  `[buildout]\nparts = gen\n${extra}\n[gen]\nrecipe = plone.recipe.command\n${body}`;

Deno.test("stop-on-error values", () => {
  assert.equal(parseStopOnError(undefined), false);
  assert.equal(parseStopOnError("OFF"), false);
  assert.equal(parseStopOnError("Yes"), true);
  assert.throws(() => parseStopOnError("sometimes"), /Invalid value/);
});

Deno.test("plone.recipe.command: install, update, rerun, uninstall of location", () =>
  withTempDir(async (b) => {
    await write(
      b,
      cfg(
        "command = mkdir -p out && echo made > out/file && echo installing in $(pwd)\n" +
          "update-command = echo updating >> out/file\nlocation = out\n",
      ),
    );
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /^Installing gen\.$/m);
    assert.match(
      r.stdout,
      /^gen: Running 'mkdir -p out && echo made > out\/file && echo installing in \$\(pwd\)'$/m,
    );
    // the command ran in the buildout directory and its output is shown
    assert.match(r.stdout, new RegExp(`^installing in ${b}$`, "m"));
    assert.equal(await Deno.readTextFile(join(b, "out", "file")), "made\n");
    assert.match(
      await Deno.readTextFile(join(b, ".installed.cfg")),
      /__buildout_installed__ = out\n/,
    );

    // unchanged: the update command runs
    const u = await runCli(["-U"], { cwd: b });
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /^Updating gen\.$/m);
    assert.match(u.stdout, /^gen: Running echo updating >> out\/file$/m);
    assert.equal(
      await Deno.readTextFile(join(b, "out", "file")),
      "made\nupdating\n",
    );

    // without an update-command an update runs nothing and writes nothing
    await write(
      b,
      cfg("command = echo again > out.txt\nlocation = out.txt\n"),
    );
    const re = await runCli(["-U"], { cwd: b });
    assert.equal(re.code, 0, re.stderr);
    assert.match(re.stdout, /^Uninstalling gen\.\nInstalling gen\.$/m);
    assert.equal(await exists(join(b, "out")), false, "old location removed");
    assert.equal(await Deno.readTextFile(join(b, "out.txt")), "again\n");
    const before = await Deno.stat(join(b, ".installed.cfg"));
    const noop = await runCli(["-U"], { cwd: b });
    assert.equal(noop.code, 0, noop.stderr);
    assert.equal(noop.stdout, "Updating gen.\n");
    assert.deepEqual(
      (await Deno.stat(join(b, ".installed.cfg"))).mtime,
      before.mtime,
    );

    // removing the part removes its location
    await write(b, "[buildout]\nparts =\n");
    const un = await runCli(["-U"], { cwd: b });
    assert.equal(un.code, 0, un.stderr);
    assert.match(un.stdout, /^Uninstalling gen\.$/m);
    assert.equal(await exists(join(b, "out.txt")), false);
  }));

Deno.test("plone.recipe.command: a failing command fails the part only with stop-on-error", () =>
  withTempDir(async (b) => {
    await write(b, cfg("command = echo before; exit 3\n"));
    const soft = await runCli(["-U"], { cwd: b });
    assert.equal(soft.code, 0, soft.stderr);
    assert.match(soft.stdout, /^before$/m);
    assert.match(
      soft.stdout,
      /^gen: Non zero exit code \(3\) while running command \(ignored: stop-on-error is off\)\.$/m,
    );

    await write(b, cfg("command = exit 4\nstop-on-error = true\n"));
    const hard = await runCli(["-U"], { cwd: b });
    assert.equal(hard.code, 1);
    assert.match(
      hard.stderr,
      /While:\n {2}Installing gen\.\nError: Non zero exit code \(4\) while running command\.\n$/,
    );
    // nothing recorded for the failed part (with no part left, no record at all)
    assert.equal(await exists(join(b, ".installed.cfg")), false);

    await write(b, cfg("command = true\nstop-on-error = maybe\n"));
    const bad = await runCli(["-U"], { cwd: b });
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /Error: Invalid value 'maybe' for 'stop_on_error', use 'yes', 'on', 'true', 'no', 'off' or false\.\n$/,
    );

    await write(b, cfg("location = x\n"));
    const none = await runCli(["-U"], { cwd: b });
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      /While:\n {2}Installing gen\.\nError: No command specified\n$/,
    );
  }));

Deno.test("plone.recipe.command: under install-from-cache commands run without network", async (t) => {
  if (!(await networkIsolation())) {
    t.step("unshare is not available here", () => {});
    return;
  }
  await withTempDir(async (b) => {
    const srv = join(b, "srv");
    await Deno.mkdir(srv);
    await Deno.writeTextFile(join(srv, "x"), "x");
    await Deno.mkdir(join(b, "cache"));
    const server = await startLinkServer(srv, { logging: true });
    try {
      const fetch =
        `python3 -c "import urllib.request as u; u.urlopen('${server.url}x')" 2>/dev/null ` +
        "&& echo reached || echo unreachable";
      await write(
        b,
        cfg(
          `command = ${fetch}\nupdate-command = ${fetch}\n`,
          "download-cache = cache\n",
        ),
      );
      const online = await runCli(["-U"], { cwd: b });
      assert.equal(online.code, 0, online.stderr);
      assert.match(online.stdout, /^reached$/m);
      assert.deepEqual(server.log(), ["GET 200 /x"]);

      server.clearLog();
      await write(
        b,
        cfg(
          `command = ${fetch}\nupdate-command = ${fetch}\n`,
          "download-cache = cache\ninstall-from-cache = true\n",
        ),
      );
      // same part options: the update command runs, in its own network namespace
      const cached = await runCli(["-U"], { cwd: b });
      assert.equal(cached.code, 0, cached.stderr);
      assert.match(cached.stdout, /^Updating gen\.$/m);
      assert.match(
        cached.stdout,
        /^gen: install-from-cache: running without network access \(unshare .*-n\)\.$/m,
      );
      assert.match(cached.stdout, /^unreachable$/m);
      assert.deepEqual(server.log(), []);
    } finally {
      await server.close();
    }
  });
});
