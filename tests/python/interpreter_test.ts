import assert from "node:assert/strict";
import { join } from "node:path";
import { UserError } from "../../src/errors.ts";
import { parseDistFilename } from "../../src/pypa/filename.ts";
import {
  clearInterpreterMemo,
  findExecutable,
  getInterpreter,
  type Interpreter,
  interpreterCacheFile,
  isCompatible,
  wheelRank,
} from "../../src/python/interpreter.ts";
import { probePython } from "../../src/python/probe.ts";
import { fakeInterpreter } from "../support/interpreter.ts";
import { withTempDir as withTemp } from "../support/run.ts";

async function pythonSays(code: string): Promise<string> {
  const out = await new Deno.Command("python3", { args: ["-c", code] })
    .output();
  assert.ok(out.success);
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("getInterpreter describes the machine's python3", async () => {
  const py = await getInterpreter("python3");
  const [ver, plat, exe] = (await pythonSays(
    "import platform, sys, sysconfig; print(platform.python_version()); print(sysconfig.get_platform()); print(sys.executable)",
  )).split("\n");
  assert.equal(py.version, ver);
  assert.equal(py.pyVersion, ver.split(".").slice(0, 2).join("."));
  assert.equal(py.platform, plat);
  assert.equal(py.executable, exe);
  assert.equal(py.implementation, "cpython");
  assert.equal(py.markerEnv.python_version, py.pyVersion);
  assert.equal(py.markerEnv.python_full_version, ver);
  const nodot = py.pyVersion.replace(".", "");
  assert.ok(py.tags[0].startsWith(`cp${nodot}-cp${nodot}-`), py.tags[0]);
  assert.ok(py.tags.includes("py3-none-any"));
  assert.ok(
    py.tags.includes(`cp${nodot}-abi3-linux_x86_64`) ||
      Deno.build.arch !== "x86_64",
  );
  assert.ok(
    py.tags.indexOf(`cp${nodot}-none-any`) < py.tags.indexOf("py3-none-any"),
  );
  assert.equal(await getInterpreter("python3"), py, "remembered in memory");
});

Deno.test("built-in tag computation equals packaging's on this machine", async () => {
  const real = await probePython("python3");
  const fallback = await probePython("python3", { fallbackTags: true });
  assert.equal(fallback.tagSource, "fallback");
  assert.notEqual(real.tagSource, "fallback", "packaging is importable here");
  assert.deepEqual(fallback.tags, real.tags);
});

Deno.test("a missing executable is a one-line UserError", async () => {
  await assert.rejects(
    getInterpreter("no-such-python-3.99"),
    (e: Error) =>
      e instanceof UserError &&
      e.message ===
        "The Python executable 'no-such-python-3.99' was not found (set [buildout] executable).",
  );
  await withTemp(async (dir) => {
    await assert.rejects(
      getInterpreter("bin/python", { cwd: dir }),
      (e: Error) =>
        e instanceof UserError &&
        e.message ===
          "The Python executable 'bin/python' was not found (set [buildout] executable).",
    );
  });
});

Deno.test("a program that is not Python is a UserError", async () => {
  await withTemp(async (dir) => {
    const fake = join(dir, "python");
    await Deno.writeTextFile(
      fake,
      "#!/bin/sh\necho 'no python here' >&2\nexit 3\n",
    );
    await Deno.chmod(fake, 0o755);
    await assert.rejects(
      getInterpreter(fake),
      (e: Error) =>
        e instanceof UserError &&
        e.message ===
          `The Python executable '${fake}' did not answer like Python 3: no python here`,
    );
  });
});

Deno.test("the cache file answers a second run without spawning python", async () => {
  const real = (await getInterpreter("python3")).executable;
  await withTemp(async (dir) => {
    const cacheDir = join(dir, "cache");
    const exe = join(dir, "python");
    await Deno.symlink(await Deno.realPath(real), exe);
    const first = await getInterpreter(exe, { cacheDir });
    const file = interpreterCacheFile(cacheDir, exe);
    const stored = JSON.parse(await Deno.readTextFile(file));
    assert.deepEqual(stored.interpreter, first);
    assert.equal(stored.key.realpath, await Deno.realPath(real));

    // A fresh process (memory forgotten) reads the file: a tampered value comes back.
    stored.interpreter.platform = "tampered-by-test";
    await Deno.writeTextFile(file, JSON.stringify(stored));
    clearInterpreterMemo();
    assert.equal(
      (await getInterpreter(exe, { cacheDir })).platform,
      "tampered-by-test",
    );

    // A different mtime invalidates the entry: python is asked again and the file rewritten.
    stored.key.mtime -= 1000;
    await Deno.writeTextFile(file, JSON.stringify(stored));
    clearInterpreterMemo();
    const again = await getInterpreter(exe, { cacheDir });
    assert.equal(again.platform, first.platform);
    const rewritten = JSON.parse(await Deno.readTextFile(file));
    assert.equal(rewritten.key.mtime, stored.key.mtime + 1000);
    assert.equal(rewritten.interpreter.platform, first.platform);
  });
});

Deno.test("wrapper scripts (pyenv shims) are not file-cached", async () => {
  const real = (await getInterpreter("python3")).executable;
  await withTemp(async (dir) => {
    const cacheDir = join(dir, "cache");
    const shim = join(dir, "python");
    await Deno.writeTextFile(shim, `#!/bin/sh\nexec '${real}' "$@"\n`);
    await Deno.chmod(shim, 0o755);
    const py = await getInterpreter(shim, { cacheDir });
    assert.equal(py.executable, real);
    assert.deepEqual(
      await Array.fromAsync(Deno.readDir(dir), (e) => e.name),
      ["python"],
    );
  });
});

Deno.test("findExecutable searches PATH for bare names", async () => {
  const p = await findExecutable("python3");
  assert.ok(p && p.endsWith("/python3"));
  assert.equal(await findExecutable("no-such-python-3.99"), undefined);
  assert.equal(await findExecutable(""), undefined);
});

const PY: Interpreter = fakeInterpreter();

Deno.test("isCompatible: eggs by python version and platform", () => {
  const ok = (f: string) => isCompatible(parseDistFilename(f)!, PY);
  assert.equal(ok("demo-0.2-py3.11.egg"), true);
  assert.equal(ok("demo-0.2.egg"), true);
  assert.equal(ok("demo-0.2-py2.4.egg"), false);
  assert.equal(ok("demo-0.2-py3.1.egg"), false);
  assert.equal(ok("ext-1.4-py3.11-linux-x86_64.egg"), true);
  assert.equal(ok("ext-1.4-py3.11-macosx-10.9-x86_64.egg"), false);
});

Deno.test("isCompatible: wheels by tag, sdists always", () => {
  const ok = (f: string) => isCompatible(parseDistFilename(f)!, PY);
  assert.equal(ok("demo-0.2-py3-none-any.whl"), true);
  assert.equal(ok("demo-0.2-py2.py3-none-any.whl"), true);
  assert.equal(ok("demo-0.2-py2-none-any.whl"), false);
  assert.equal(
    ok("x-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"),
    true,
  );
  assert.equal(ok("x-1-cp311-cp311-win_amd64.whl"), false);
  assert.equal(ok("x-1-cp310-cp310-manylinux_2_17_x86_64.whl"), false);
  assert.equal(ok("demoneeded-1.1.zip"), true);
  assert.equal(ok("demoneeded-1.1.tar.gz"), true);
});

Deno.test("wheelRank prefers the most specific supported tag", () => {
  const rank = (f: string) => wheelRank(parseDistFilename(f)!, PY);
  const specific = rank("x-1-cp311-cp311-manylinux_2_17_x86_64.whl");
  const abi3 = rank("x-1-cp311-abi3-manylinux_2_17_x86_64.whl");
  const pure = rank("x-1-py3-none-any.whl");
  assert.ok(specific > abi3 && abi3 > pure && pure > 0);
  assert.equal(rank("x-1-py2.py3-none-any.whl"), pure);
  assert.equal(rank("x-1-py2-none-any.whl"), 0);
  assert.equal(rank("x-1.tar.gz"), 0);
});

Deno.test("wheelRank and isCompatible with the real interpreter", async () => {
  const py = await getInterpreter("python3");
  const nodot = py.pyVersion.replace(".", "");
  const plat = parseDistFilename(
    `x-1-cp${nodot}-cp${nodot}-${py.tags[0].split("-")[2]}.whl`,
  )!;
  assert.ok(isCompatible(plat, py));
  assert.ok(
    wheelRank(plat, py) >
      wheelRank(parseDistFilename("x-1-py3-none-any.whl")!, py),
  );
  assert.ok(
    isCompatible(parseDistFilename(`demo-0.2-py${py.pyVersion}.egg`)!, py),
  );
  assert.ok(
    isCompatible(
      parseDistFilename(`demo-0.2-py${py.pyVersion}-${py.platform}.egg`)!,
      py,
    ),
  );
});
