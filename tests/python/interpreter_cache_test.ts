/**
 * The target interpreter's facts are remembered between runs (eggs/.interpreters):
 * a no-op rerun starts no Python, and a replaced interpreter or a changed
 * pyvenv.cfg is noticed. The interpreter is a virtual environment whose
 * site-packages hold a .pth file that logs every start of it.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import {
  clearInterpreterMemo,
  getInterpreter,
} from "../../src/python/interpreter.ts";
import { runCli, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));

/** A venv at `dir/venv` whose Python appends a line to `dir/starts.log` at each start. */
async function loggingVenv(dir: string): Promise<string> {
  const venv = join(dir, "venv");
  const made = await new Deno.Command("python3", {
    args: ["-m", "venv", "--without-pip", "--system-site-packages", venv],
  }).output();
  assert.ok(made.success, new TextDecoder().decode(made.stderr));
  const out = await new Deno.Command(join(venv, "bin", "python"), {
    args: ["-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
  }).output();
  const site = new TextDecoder().decode(out.stdout).trim();
  // Once per process: site-packages can be reached twice (lib64 -> lib).
  const log = JSON.stringify(join(dir, "starts.log"));
  await Deno.writeTextFile(
    join(site, "zz_log_starts.pth"),
    `import builtins; getattr(builtins, "_zz_logged", 0) or ` +
      `(setattr(builtins, "_zz_logged", 1), open(${log}, "a").write("start\\n"))\n`,
  );
  return join(venv, "bin", "python");
}

async function starts(dir: string): Promise<number> {
  const text = await Deno.readTextFile(join(dir, "starts.log")).catch(() => "");
  return text.split("\n").filter(Boolean).length;
}

/** A run as a fresh process would do it (nothing remembered in memory). */
async function buildout(dir: string) {
  clearInterpreterMemo();
  const r = await runCli([], {
    cwd: dir,
    env: { BUILDOUT_HOME: join(dir, "nohome") },
  });
  assert.equal(r.code, 0, r.stderr);
  return r;
}

Deno.test("a no-op rerun starts no Python; a replaced interpreter is asked again", async () => {
  await withTempDir(async (dir) => {
    const python = await loggingVenv(dir);
    await Deno.mkdir(join(dir, "empty-index"));
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      `[buildout]\nfind-links = ${LINKS}\nindex = ${dir}/empty-index\n` +
        `executable = ${python}\nparts = demo\n\n[demo]\nrecipe = zc.recipe.egg\n`,
    );
    await buildout(dir);
    const first = await starts(dir);
    assert.ok(first >= 1);

    const noop = await buildout(dir);
    assert.match(noop.stdout, /Updating demo\./);
    assert.equal(await starts(dir), first, "the no-op rerun started Python");

    // The venv's python replaced by a copy of the binary (what `venv
    // --copies` or an upgrade in place does): asked again, once.
    const real = await Deno.realPath(python);
    await Deno.remove(python);
    await Deno.copyFile(real, python);
    await Deno.chmod(python, 0o755);
    await buildout(dir);
    assert.equal(await starts(dir), first + 1);
    await buildout(dir);
    assert.equal(await starts(dir), first + 1);
  });
});

Deno.test("the remembered facts follow the binary and pyvenv.cfg", async () => {
  await withTempDir(async (dir) => {
    const python = await loggingVenv(dir);
    const cacheDir = join(dir, "cache");
    const ask = async () => {
      clearInterpreterMemo();
      return await getInterpreter(python, { cacheDir });
    };
    const facts = await ask();
    assert.equal(facts.executable, python);
    await ask();
    assert.equal(await starts(dir), 1, "the second answer came from the file");

    // A changed pyvenv.cfg (e.g. the venv re-pointed at another base) is noticed.
    const cfg = join(dir, "venv", "pyvenv.cfg");
    await Deno.writeTextFile(cfg, "# edited\n", { append: true });
    await ask();
    assert.equal(await starts(dir), 2);
    await ask();
    assert.equal(await starts(dir), 2);

    // So is the symlink pointed at another binary (here: a copy of it).
    const base = await Deno.realPath(python);
    const other = join(dir, "other-python");
    await Deno.copyFile(base, other);
    await Deno.remove(python);
    await Deno.symlink(other, python);
    await ask();
    assert.equal(await starts(dir), 3);
    // ... and that binary replaced in place (same path: a new inode and ctime).
    await Deno.remove(other);
    await Deno.copyFile(base, other);
    await ask();
    assert.equal(await starts(dir), 4);
  });
});

Deno.test("a new buildout folder of the same user starts no Python: the answer is kept in ~/.cache/buildout too", async () => {
  await withTempDir(async (dir) => {
    const python = await loggingVenv(dir);
    const home = join(dir, "home");
    await Deno.mkdir(join(dir, "empty-index"));
    const run = async (name: string) => {
      const b = join(dir, name);
      await Deno.mkdir(b);
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nfind-links = ${LINKS}\nindex = ${dir}/empty-index\n` +
          `executable = ${python}\nparts = demo\n\n[demo]\nrecipe = zc.recipe.egg\neggs = other\n`,
      );
      clearInterpreterMemo();
      const r = await runCli([], {
        cwd: b,
        // No XDG_CACHE_HOME: the cache goes under HOME.
        env: {
          HOME: home,
          XDG_CACHE_HOME: "",
          BUILDOUT_HOME: join(dir, "nohome"),
        },
      });
      assert.equal(r.code, 0, r.stderr);
    };
    await run("one");
    const first = await starts(dir);
    assert.ok(first >= 1);
    const kept = [
      ...Deno.readDirSync(join(home, ".cache", "buildout", "interpreters")),
    ];
    assert.equal(kept.length, 1);
    assert.match(kept[0].name, /^python-[0-9a-f]{16}\.json$/);
    await run("two"); // a fresh eggs/ folder
    assert.equal(await starts(dir), first, "the new folder started Python");
    assert.equal(
      [...Deno.readDirSync(join(dir, "two", "eggs", ".interpreters"))].length,
      1,
    );
  });
});
