/**
 * zc.recipe.egg:custom and zc.recipe.egg:develop through the CLI, building the
 * C extension of the `extdemo-1.4.zip` fixture with the machine's compiler:
 * `extdemo.h` comes from an include folder the test writes
 * (`#define EXTDEMO 42`), `define = TWO` makes `val` 2.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { startLinkServer } from "../support/link_server.ts";
import { extractArchive } from "../../src/extract/archive.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const EGG = "extdemo-1.4-py3.11-linux-x86_64.egg";
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const lines = (text: string) => text.split("\n").filter((l) => l !== "");

/** Write the include folder and buildout.cfg, then run the CLI. */
async function buildout(dir: string, body: string, args: string[] = []) {
  await Deno.mkdir(join(dir, "include"), { recursive: true });
  await Deno.mkdir(join(dir, "empty-index"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "include", "extdemo.h"),
    "#define EXTDEMO 42\n",
  );
  await Deno.writeTextFile(join(dir, "buildout.cfg"), body);
  return await runCli(["-U", ...args], { cwd: dir });
}

const header = (dir: string, parts = "extdemo") =>
  `[buildout]\nparts = ${parts}\nfind-links = ${LINKS}\nindex = ${dir}/empty-index\n`;

/** `extdemo.val` imported by python3 from `path` (an egg or a source folder). */
async function val(path: string): Promise<string> {
  const r = await new Deno.Command("python3", {
    args: [
      "-c",
      "import sys; sys.path.insert(0, sys.argv[1]); import extdemo; print(extdemo.val)",
      path,
    ],
  }).output();
  assert.equal(r.code, 0, decode(r.stderr));
  return decode(r.stdout).trim();
}

/** The names in `dir`, hidden ones (`.interpreters`, `.tmp-*`) left out. */
async function ls(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.name.startsWith(".")) names.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return names.sort();
}

Deno.test("custom: include-dirs builds the egg into develop-eggs; a rerun changes nothing; egg parts use it", async () => {
  await withTempDir(async (dir) => {
    const cfg = header(dir, "extdemo py") +
      "\n[extdemo]\nrecipe = zc.recipe.egg:custom\ninclude-dirs = include\n" +
      "\n[py]\nrecipe = zc.recipe.egg\neggs = extdemo\ninterpreter = py\n" +
      "\n[show]\ndirs = ${extdemo:include-dirs}\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-5), [
      "Installing extdemo.",
      "Getting distribution for 'extdemo'.",
      "Got extdemo 1.4.",
      "Installing py.",
      `Generated interpreter '${dir}/bin/py'.`,
    ]);
    assert.deepEqual(await ls(join(dir, "develop-eggs")), [EGG]);
    assert.deepEqual(await ls(join(dir, "eggs")), []);
    assert.equal(await val(join(dir, "develop-eggs", EGG)), "42");
    const py = await new Deno.Command(join(dir, "bin", "py"), {
      args: ["-c", "import extdemo; print(extdemo.val)"],
    }).output();
    assert.equal(decode(py.stdout), "42\n", decode(py.stderr));
    const installed = await Deno.readTextFile(join(dir, ".installed.cfg"));
    assert.match(
      installed,
      new RegExp(
        `\\[extdemo\\]\\n__buildout_installed__ = ${dir}/develop-eggs/${EGG}\\n`,
      ),
    );
    assert.match(installed, new RegExp(`include-dirs = ${dir}/include\\n`));
    r = await runCli(["-U", "query", "show:dirs"], { cwd: dir });
    assert.equal(r.stdout, `${dir}/include\n`);

    const before = (await Deno.stat(join(dir, "develop-eggs", EGG))).mtime;
    r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating extdemo.", "Updating py."]);
    assert.deepEqual(
      (await Deno.stat(join(dir, "develop-eggs", EGG))).mtime,
      before,
    );
  });
});

Deno.test("custom: without the include folder the build fails with the compiler's words, nothing left behind", async () => {
  await withTempDir(async (dir) => {
    const r = await buildout(
      dir,
      header(dir) + "\n[extdemo]\nrecipe = zc.recipe.egg:custom\n",
    );
    assert.equal(r.code, 1);
    const err = lines(r.stderr);
    assert.deepEqual(err.slice(0, 4), [
      "While:",
      "  Installing extdemo.",
      "  Getting distribution for 'extdemo'.",
      "Error: Building extdemo-1.4.zip failed:",
    ]);
    assert.ok(
      err.some((l) => l.includes("extdemo.h: No such file or directory")),
      r.stderr,
    );
    assert.match(err.at(-1)!, /^ {2}error: command .*failed/);
    // Not even a hidden build folder.
    assert.deepEqual(
      [...Deno.readDirSync(join(dir, "develop-eggs"))].map((e) => e.name),
      [],
    );
    assert.doesNotMatch(
      await Deno.readTextFile(join(dir, ".installed.cfg")).catch(() => ""),
      /extdemo/,
    );
  });
});

Deno.test("custom: changing define rebuilds the egg (val 2); removing the part removes the egg", async () => {
  await withTempDir(async (dir) => {
    const part = "\n[extdemo]\nrecipe = zc.recipe.egg:custom\n" +
      "include-dirs = include\n";
    let r = await buildout(dir, header(dir) + part);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await val(join(dir, "develop-eggs", EGG)), "42");
    r = await buildout(dir, header(dir) + part + "define = TWO\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling extdemo.",
      "Installing extdemo.",
      "Getting distribution for 'extdemo'.",
      "Got extdemo 1.4.",
    ]);
    assert.equal(await val(join(dir, "develop-eggs", EGG)), "2");
    r = await buildout(dir, header(dir, "") + part);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling extdemo."]);
    assert.deepEqual(await ls(join(dir, "develop-eggs")), []);
  });
});

Deno.test("custom: the environment section is set during the build, interpolated, and recorded", async () => {
  await withTempDir(async (dir) => {
    const cfg = (value: string) =>
      header(dir) +
      "\n[extdemo-env]\ntest_environment_variable = " + value + "\n" +
      "\n[extdemo]\nrecipe = zc.recipe.egg:custom\n" +
      "include-dirs = include\nenvironment = extdemo-env\n";
    let r = await buildout(dir, cfg("foo"), ["-v"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      lines(r.stdout).includes(
        "Have environment test_environment_variable: foo",
      ),
      r.stdout,
    );
    assert.match(
      await Deno.readTextFile(join(dir, ".installed.cfg")),
      /_environment-data = \[\('test_environment_variable', 'foo'\)\]\n/,
    );
    assert.equal(Deno.env.get("test_environment_variable"), undefined);

    // Changing the section rebuilds; %(NAME)s takes our environment's value.
    r = await buildout(dir, cfg("foo:%(PATH)s"), ["-v"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lines(r.stdout).includes("Uninstalling extdemo."), r.stdout);
    assert.ok(
      lines(r.stdout).includes(
        `Have environment test_environment_variable: foo:${
          Deno.env.get("PATH")
        }`,
      ),
      r.stdout,
    );

    r = await buildout(dir, cfg("%(NO_SUCH_VARIABLE_HERE)s"));
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Environment variable test_environment_variable refers to %(NO_SUCH_VARIABLE_HERE)s, which is not set",
    );
  });
});

Deno.test("custom: only source distributions count, pins apply, bad switches are refused", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      header(dir) +
        "\n[extdemo]\nrecipe = zc.recipe.egg:custom\negg = demo\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Couldn't find a source distribution for 'demo'.",
    );
    r = await buildout(
      dir,
      header(dir) + "\n[versions]\nextdemo = 1.3\n" +
        "\n[extdemo]\nrecipe = zc.recipe.egg:custom\ninclude-dirs = include\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Couldn't find a source distribution for 'extdemo==1.3'.",
    );
    r = await buildout(
      dir,
      header(dir) +
        "\n[extdemo]\nrecipe = zc.recipe.egg:custom\ndebug = maybe\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Invalid value for debug option: 'maybe' (use true or false)",
    );
    assert.deepEqual(await ls(join(dir, "develop-eggs")), []);
  });
});

Deno.test("custom: offline and install-from-cache rebuild from the download cache without a request", async () => {
  const server = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (dir) => {
      const cfg = (extra: string) =>
        `[buildout]\nparts = extdemo\nfind-links = ${server.url}\n` +
        `index = ${server.url}index/\ndownload-cache = ${dir}/cache\n${extra}` +
        "\n[extdemo]\nrecipe = zc.recipe.egg:custom\ninclude-dirs = include\n";
      let r = await buildout(dir, cfg(""));
      assert.equal(r.code, 0, r.stderr);
      assert.ok(server.log().includes("GET 200 /extdemo-1.4.zip"));
      assert.deepEqual(await ls(join(dir, "cache", "dist")), [
        "extdemo-1.4.zip",
      ]);
      server.clearLog();

      r = await buildout(dir, cfg(""), ["-o"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), ["Updating extdemo."]);

      r = await buildout(dir, cfg("") + "define = TWO\n", ["-o"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), [
        "Uninstalling extdemo.",
        "Installing extdemo.",
        "Getting distribution for 'extdemo'.",
        "Got extdemo 1.4.",
      ]);
      assert.equal(await val(join(dir, "develop-eggs", EGG)), "2");

      r = await buildout(dir, cfg("install-from-cache = true\n"));
      assert.equal(r.code, 0, r.stderr);
      assert.ok(lines(r.stdout).includes("Got extdemo 1.4."), r.stdout);
      assert.equal(await val(join(dir, "develop-eggs", EGG)), "42");
      assert.deepEqual(server.log(), []);
    });
  } finally {
    await server.close();
  }
});

Deno.test("develop: builds the extension in place with the options; egg-link removed on uninstall", async () => {
  await withTempDir(async (dir) => {
    await extractArchive(join(LINKS, "extdemo-1.4.zip"), join(dir, "src"));
    const src = join(dir, "src", "extdemo-1.4");
    const part = "\n[extdemo]\nrecipe = zc.recipe.egg:develop\n" +
      "setup = src/extdemo-1.4\ninclude-dirs = include\n";
    let r = await buildout(dir, header(dir) + part + "define = TWO\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-1), ["Installing extdemo."]);
    assert.deepEqual(await ls(join(dir, "develop-eggs")), [
      "extdemo.egg-link",
    ]);
    assert.ok(
      (await ls(src)).some((n) =>
        n.startsWith("extdemo.") && n.endsWith(".so")
      ),
    );
    assert.equal(await val(src), "2");
    assert.match(
      await Deno.readTextFile(join(dir, ".installed.cfg")),
      new RegExp(`setup = ${src}\\n`),
    );

    // Without define the module is rebuilt with the header's value.
    r = await buildout(dir, header(dir) + part + "force = true\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Uninstalling extdemo.",
      "Installing extdemo.",
    ]);
    assert.equal(await val(src), "42");

    r = await buildout(dir, header(dir, "") + part);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Uninstalling extdemo."]);
    assert.deepEqual(await ls(join(dir, "develop-eggs")), []);
  });
});

Deno.test("develop: a missing setup option and a failing build are one error each", async () => {
  await withTempDir(async (dir) => {
    let r = await buildout(
      dir,
      header(dir) + "\n[extdemo]\nrecipe = zc.recipe.egg:develop\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Missing option: extdemo:setup",
    );
    await extractArchive(join(LINKS, "extdemo-1.4.zip"), join(dir, "src"));
    r = await buildout(
      dir,
      header(dir) +
        "\n[extdemo]\nrecipe = zc.recipe.egg:develop\nsetup = src/extdemo-1.4/setup.py\n",
    );
    assert.equal(r.code, 1);
    const err = lines(r.stderr);
    assert.deepEqual(err.slice(0, 3), [
      "While:",
      "  Installing extdemo.",
      `Error: Developing ${dir}/src/extdemo-1.4 failed:`,
    ]);
    assert.ok(
      err.some((l) => l.includes("extdemo.h: No such file or directory")),
      r.stderr,
    );
    assert.deepEqual(await ls(join(dir, "develop-eggs")), []);
  });
});

/** Copy extdemo-1.4.zip into `links` as version `version` (a new sdist). */
async function extdemoRelease(links: string, version: string) {
  const r = await new Deno.Command("python3", {
    args: [
      "-c",
      `import sys, zipfile
src, dst, v = sys.argv[1:]
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
    for i in zin.infolist():
        data = zin.read(i).replace(b"1.4", v.encode())
        zout.writestr(i.filename.replace("1.4", v), data)`,
      join(LINKS, "extdemo-1.4.zip"),
      join(links, `extdemo-${version}.zip`),
      version,
    ],
  }).output();
  assert.equal(r.code, 0, decode(r.stderr));
}

Deno.test("custom: a newer sdist is built on update in newest mode only (-N and -o keep the egg)", async () => {
  await withTempDir(async (dir) => {
    const links = join(dir, "links");
    await Deno.mkdir(links);
    await Deno.copyFile(
      join(LINKS, "extdemo-1.4.zip"),
      join(links, "extdemo-1.4.zip"),
    );
    const cfg = `[buildout]\nparts = extdemo\nfind-links = ${links}\n` +
      `index = ${dir}/empty-index\n` +
      "\n[extdemo]\nrecipe = zc.recipe.egg:custom\ninclude-dirs = include\n";
    let r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    await extdemoRelease(links, "1.5");
    for (const flag of ["-N", "-o"]) {
      r = await buildout(dir, cfg, [flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), ["Updating extdemo."]);
    }
    assert.deepEqual(await ls(join(dir, "develop-eggs")), [EGG]);
    r = await buildout(dir, cfg);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "Updating extdemo.",
      "Getting distribution for 'extdemo'.",
      "Got extdemo 1.5.",
    ]);
    const egg15 = EGG.replace("1.4", "1.5");
    assert.deepEqual(await ls(join(dir, "develop-eggs")), [EGG, egg15]);
    assert.equal(await val(join(dir, "develop-eggs", egg15)), "42");
    // A pin brings 1.4 back without a build: it is there.
    r = await buildout(dir, cfg + "\n[versions]\nextdemo = 1.4\n");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), ["Updating extdemo."]);
  });
});

Deno.test("custom: lock pins and hashes the sdist without building it; require-hashes then builds it", async () => {
  await withTempDir(async (dir) => {
    const part =
      "\n[extdemo]\nrecipe = zc.recipe.egg:custom\ninclude-dirs = include\n";
    let r = await buildout(dir, header(dir) + part, [
      "lock",
      "-o",
      "buildout.lock",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await ls(join(dir, "develop-eggs")), []);
    const zip = await Deno.readFile(join(LINKS, "extdemo-1.4.zip"));
    const digest = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", zip)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    const lock = await Deno.readTextFile(join(dir, "buildout.lock"));
    assert.match(lock, /^\[versions\]\nextdemo = 1\.4$/m);
    assert.match(lock, new RegExp(`^extdemo = sha256:${digest}$`, "m"));

    r = await buildout(
      dir,
      header(dir).replace(
        "[buildout]\n",
        "[buildout]\nextends = buildout.lock\nrequire-hashes = true\nallow-picked-versions = false\n",
      ) + part,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(-3), [
      "Installing extdemo.",
      "Getting distribution for 'extdemo==1.4'.",
      "Got extdemo 1.4.",
    ]);
    assert.equal(await val(join(dir, "develop-eggs", EGG)), "42");
  });
});

Deno.test("custom: lock for an egg no source distribution offers is one error line and writes no lock file", async () => {
  await withTempDir(async (dir) => {
    const part =
      "\n[nosuch]\nrecipe = zc.recipe.egg:custom\negg = nosuchproject\n";
    const r = await buildout(dir, header(dir, "nosuch") + part, [
      "lock",
      "-o",
      "buildout.lock",
    ]);
    assert.equal(r.code, 1);
    // (progress lines go to stderr too, stdout being for the lock text)
    assert.deepEqual(lines(r.stderr).slice(-5), [
      "While:",
      "  Locking.",
      "  Locking nosuch.",
      "  Getting distribution for 'nosuchproject'.",
      "Error: Couldn't find a source distribution for 'nosuchproject'.",
    ]);
    await assert.rejects(
      Deno.stat(join(dir, "buildout.lock")),
      Deno.errors.NotFound,
    );
  });
});
