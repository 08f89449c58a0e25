/**
 * Python recipes through the bridge, end to end through `buildout`: fixture
 * recipes installed from a find-links folder, run by one Python process.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";
import { linksOf, writeFixtures } from "./fixtures.ts";

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

async function buildout(
  dir: string,
  body: string,
  args: string[] = [],
  links = linksOf(dir),
) {
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nfind-links = ${links}\nindex = ${dir}/empty-index\n` + body,
  );
  return await runCli(args, {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
}

const constructed = (dir: string) =>
  Deno.readTextFile(join(dir, "constructed.log")).then(lines, () => []);

Deno.test("a mkdir-like Python recipe: install, no-op rerun without Python, update, uninstall", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const cfg = "parts = data\n\n[data]\nrecipe = mkrecipe\npath = mydata\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5), [
      "Getting distribution for 'mkrecipe'.",
      "Got mkrecipe 1.0.",
      "Installing data.",
      "data: Creating directory mydata",
      "made it",
    ]);
    assert.ok((await Deno.stat(join(dir, "mydata"))).isDirectory);
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    assert.match(installed, new RegExp(`location = ${dir}/parts/data\n`));
    assert.deepEqual(await constructed(dir), ["data"]);

    // Nothing changed: no Python (the constructor does not run again).
    r = await buildout(dir, cfg, ["-vv"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lines(r.stdout).includes("Updating data."));
    assert.ok(!r.stdout.includes("Starting the Python recipe bridge"));
    assert.deepEqual(await constructed(dir), ["data"]);

    // An option changed: uninstalled (uninstall recipe) and installed again.
    r = await buildout(dir, cfg.replace("mydata", "other"));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling data.",
      "Running uninstall recipe.",
      "uninstalling data mydata",
      "Installing data.",
      "data: Creating directory other",
      "made it",
    ]);
    assert.deepEqual(await constructed(dir), ["data", "data"]);
    await assert.rejects(Deno.stat(join(dir, "mydata")));

    // Offline rerun: the installed recipe is used, nothing fetched.
    r = await buildout(dir, cfg.replace("mydata", "other"), ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating data."]);

    r = await buildout(dir, "parts =\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling data.",
      "Running uninstall recipe.",
      "uninstalling data other",
    ]);
  });
});

Deno.test("an option a Python constructor sets is seen by a built-in part's ${...} and recorded", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const cfg = "parts = made data\n\n[made]\nrecipe = mkdir\n" +
      "paths = ${data:location}\n\n[data]\nrecipe = mkrecipe\npath = mydata\n";
    const r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5), [
      "Installing data.",
      "data: Creating directory mydata",
      "made it",
      "Installing made.",
      `made: Creating directory ${dir}/parts/data`,
    ]);
    assert.ok((await Deno.stat(join(dir, "parts", "data"))).isDirectory);
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    assert.match(
      installed,
      new RegExp(`\\[made\\][^[]*paths = ${dir}/parts/data\n`),
    );
  });
});

Deno.test("UserError from a Python recipe: While/Error, exit 1; other exceptions: internal error, exit 3, created paths removed", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    let r = await buildout(
      dir,
      "parts = data\n\n[data]\nrecipe = mkrecipe\npath = nope/x\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `While:\n  Installing data.\nError: Cannot create ${dir}/nope/x. ${dir}/nope is not a directory.\n`,
    );
    r = await buildout(
      dir,
      "parts = data\n\n[data]\nrecipe = mkrecipe\npath = mydata\nfail = yes\n",
    );
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      "While:\n  Installing data.\n\n" +
        "An internal error occurred due to a bug in buildout for Deno or in a recipe being used:\n" +
        "ZeroDivisionError: division by zero (run with -v for the stack)\n",
    );
    await assert.rejects(Deno.stat(join(dir, "mydata")));
    assert.ok(
      !(await Deno.readTextFile(join(dir, ".installed.cfg")).catch(() => ""))
        .includes("[data]"),
    );
  });
});

Deno.test("easy_install.install and scripts from a Python recipe go through the project's resolver", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const cfg = "parts = s\n\n[s]\nrecipe = scriptrecipe\neggs = greet\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-6), [
      "Got scriptrecipe 1.0.",
      "Installing s.",
      "Getting distribution for 'greet'.",
      "Got greet 1.0.",
      "ws: greet 1.0",
      `Generated script '${dir}/bin/greet'.`,
    ]);
    const out = await new Deno.Command(join(dir, "bin", "greet")).output();
    assert.equal(new TextDecoder().decode(out.stdout), "hello from greet\n");
    r = await buildout(dir, cfg, ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating s."]);
    // A pin that cannot be met offline: the project's resolver says so.
    r = await buildout(dir, cfg + "\n[versions]\ngreet = 2.0\n", ["-o"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Installing s.\n" +
        "Error: We don't have a distribution for greet==2.0\n" +
        "and can't install one in offline (no-install) mode.\n",
    );
  });
});

Deno.test("a recipe subclassing zc.recipe.egg.Scripts installs through the project's egg recipe", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const cfg = "parts = s\n\n[s]\nrecipe = subrecipe\neggs = greet\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5), [
      "Installing s.",
      "Getting distribution for 'greet'.",
      "Got greet 1.0.",
      "subclass ws: greet 1.0; eggs: greet",
      `Generated script '${dir}/bin/greet'.`,
    ]);
    const out = await new Deno.Command(join(dir, "bin", "greet")).output();
    assert.equal(
      new TextDecoder().decode(out.stdout),
      "initialized by s\nhello from greet\n",
    );
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    assert.match(installed, new RegExp(`eggs-directory = ${dir}/eggs\n`));
    assert.match(
      installed,
      /initialization = print\('initialized by ' \+ 's'\)\n/,
    );
    r = await buildout(dir, cfg, ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating s."]);
    // Another egg option: installed again through the subclass, offline.
    r = await buildout(dir, cfg + "arguments = \n", ["-o"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling s.",
      "Installing s.",
      "subclass ws: greet 1.0; eggs: greet",
      `Generated script '${dir}/bin/greet'.`,
    ]);
  });
});

Deno.test("an error of a callback keeps its While: context; recipe log records follow log-format", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    let r = await buildout(
      dir,
      "parts = s\n\n[s]\nrecipe = scriptrecipe\neggs = nosuch\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Installing s.\n  Getting distribution for 'nosuch'.\n" +
        "Error: Couldn't find a distribution for 'nosuch'.\n",
    );
    r = await buildout(
      dir,
      "log-format = %(levelname)s %(name)s: %(message)s\nparts = data\n\n" +
        "[data]\nrecipe = mkrecipe\npath = mydata\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-3), [
      "INFO zc.buildout: Installing data.",
      "INFO data: Creating directory mydata",
      "made it",
    ]);
  });
});

Deno.test("options a Python recipe never reads are reported as unused", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const cfg = "parts = data\n\n[data]\nrecipe = mkrecipe\npath = mydata\n" +
      "pth = typo\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5), [
      "Installing data.",
      "data: Creating directory mydata",
      "made it",
      "Section `data` contains unused option(s): 'pth'.",
      "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
    ]);
    // Nothing changed, no Python: not repeated.
    r = await buildout(dir, cfg);
    assert.deepEqual(lines(r.stdout), ["Updating data."]);
  });
});

Deno.test("offline and install-from-cache: the Python recipe gets no network", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    await Deno.mkdir(join(dir, "cache"));
    const server = await startLinkServer(linksOf(dir), { logging: true });
    try {
      const port = new URL(server.url).port;
      const cfg = (extra: string, option: string) =>
        `download-cache = ${dir}/cache\n${extra}parts = net\n\n` +
        `[net]\nrecipe = netrecipe\nport = ${port}\n${option}`;
      const run = (extra: string, args: string[] = [], option = "") =>
        buildout(dir, cfg(extra, option), args, server.url);
      // Online, the recipe reaches the server (and the cache is filled).
      let r = await run("");
      assert.equal(r.code, 0, r.stderr);
      assert.equal(lines(r.stdout).at(-1), "connected");
      assert.ok(server.log().includes("GET 404 /recipe-was-here"));
      await Deno.remove(join(dir, "eggs"), { recursive: true });
      await Deno.remove(join(dir, ".installed.cfg"));
      server.clearLog();
      r = await run("install-from-cache = true\n");
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout).slice(-4), [
        "Getting distribution for 'netrecipe'.",
        "Got netrecipe 1.0.",
        "Installing net.",
        "no connection",
      ]);
      assert.deepEqual(server.log(), []);
      r = await run("", ["-o"], "x = 1\n");
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout).slice(-3), [
        "no connection",
        "Section `net` contains unused option(s): 'x'.",
        "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
      ]);
      assert.deepEqual(server.log(), []);
      // Without a network namespace: the socket guard.
      Deno.env.set("BUILDOUT_BRIDGE_NO_UNSHARE", "1");
      try {
        r = await run("", ["-o"], "x = 2\n");
      } finally {
        Deno.env.delete("BUILDOUT_BRIDGE_NO_UNSHARE");
      }
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout).slice(-3), [
        "no connection",
        "Section `net` contains unused option(s): 'x'.",
        "This may be an indication for either a typo in the option's name or a bug in the used recipe.",
      ]);
      assert.deepEqual(server.log(), []);
    } finally {
      await server.close();
    }
  });
});

Deno.test("no bridged part: no bridge folder, no Python started", async () => {
  await withTempDir(async (dir) => {
    await writeFixtures(linksOf(dir));
    const r = await buildout(
      dir,
      "parts = d\n\n[d]\nrecipe = mkdir\npaths = x\n",
      ["-vv"],
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes("Starting the Python recipe bridge"));
    await assert.rejects(Deno.stat(join(dir, "eggs", ".bridge")));
  });
});
