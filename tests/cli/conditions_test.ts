import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";

const write = (p: string, text: string) => Deno.writeTextFile(p, text);

/**
 * A `py` wrapper in `dir` that appends a line to `runs.log` on each start and then
 * runs python3: counts how often buildout asks the interpreter.
 */
async function loggingPython(dir: string): Promise<() => Promise<number>> {
  const py = join(dir, "py");
  await write(
    py,
    '#!/bin/sh\necho run >> "$(dirname "$0")/runs.log"\nexec python3 "$@"\n',
  );
  await Deno.chmod(py, 0o755);
  return async () => {
    try {
      return (await Deno.readTextFile(join(dir, "runs.log"))).split("\n")
        .filter(Boolean).length;
    } catch {
      return 0;
    }
  };
}

const HEAD = "[buildout]\nparts =\nexecutable = ${buildout:directory}/py\n";

Deno.test("Python conditions across extended files: right sections kept, one interpreter run", async () => {
  await withTempDir(async (dir) => {
    const runs = await loggingPython(dir);
    await Deno.mkdir(join(dir, "conf"));
    await write(
      join(dir, "buildout.cfg"),
      HEAD + "extends = conf/base.cfg\nhits = start\n" +
        "[buildout:sys.version_info >= (3, 0)]\nhits += tuple\n" +
        "[buildout:sys.version_info < (3, 0)]\nhits += py2\n" +
        "[buildout:any([python2, python3])]\nhits += any\n" +
        "[buildout:1 + 1 == 3]\nhits += arithmetic\n" +
        "[buildout:platform.machine() == platform.uname().machine]\nhits += platform\n" +
        // \x23 and \x3b stand for # and ; (raw strings show they were replaced).
        '[buildout:len(r"\\x23\\x3b") == 2]  # a comment\nhits += escapes\n' +
        "[buildout:linux or macosx or windows or cygwin or solaris]\nhits += native\n" +
        "[buildout:not posix and not windows]\nhits += neither\n",
    );
    await write(
      join(dir, "conf", "base.cfg"),
      "[buildout]\nextends = more.cfg\n" +
        '[base:os.path.exists("conf/base.cfg")]\nk = cwd-relative\n' +
        "[gone:re.match('x', 'y')]\nk = 1\n",
    );
    await write(
      join(dir, "conf", "more.cfg"),
      "[buildout]\n[more:re.match(r'\\d+$', '311')]\nk = regex\n" +
        "[more:sys.maxsize < 0]\nk = never\n",
    );
    let r = await runCli(["query", "hits"], { cwd: dir });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "start\ntuple\nany\nplatform\nescapes\nnative\n");
    r = await runCli(["query", "more:k"], { cwd: dir });
    assert.equal(r.stdout, "regex\n");
    r = await runCli(["query", "base:k"], { cwd: dir });
    assert.equal(r.stdout, "cwd-relative\n");
    r = await runCli(["query", "gone:k"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(await runs(), 4); // one per command
  });
});

Deno.test("a section of a file reached only through a Python condition costs no extra run", async () => {
  await withTempDir(async (dir) => {
    const runs = await loggingPython(dir);
    await write(
      join(dir, "buildout.cfg"),
      HEAD + '[buildout:os.path.isfile("extra.cfg")]\nextends = extra.cfg\n' +
        '[buildout:os.path.isfile("missing.cfg")]\nextends = missing.cfg\n',
    );
    await write(
      join(dir, "extra.cfg"),
      "[extra:sys.version_info[0] == 3]\nk = yes\n",
    );
    const r = await runCli(["query", "extra:k"], { cwd: dir });
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "yes\n");
    assert.equal(await runs(), 1);
  });
});

Deno.test("no conditions, no interpreter run; native ones only, one run", async () => {
  await withTempDir(async (dir) => {
    const runs = await loggingPython(dir);
    await write(join(dir, "buildout.cfg"), HEAD + "x = 1\n");
    let r = await runCli(["query", "x"], { cwd: dir });
    assert.equal(r.stdout, "1\n");
    assert.equal(await runs(), 0);
    await write(
      join(dir, "buildout.cfg"),
      HEAD + 'x = 1\n[buildout:python3 and python_version >= "3.0"]\nx = 2\n' +
        "[buildout:bits32 and bits64]\nx = 3\n",
    );
    r = await runCli(["query", "x"], { cwd: dir });
    assert.equal(r.stdout, "2\n");
    assert.equal(await runs(), 1);
  });
});

Deno.test("an expression that fails in Python is an error naming file, line and the Python error", async () => {
  await withTempDir(async (dir) => {
    const runs = await loggingPython(dir);
    await write(
      join(dir, "buildout.cfg"),
      HEAD + "extends = base.cfg\n",
    );
    await write(
      join(dir, "base.cfg"),
      "[buildout]\n[ok:sys.version_info > (3,)]\n\n[bad:1 / 0 or python3]\nk = 1\n",
    );
    let r = await runCli(["query", "parts"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\n" +
        `Error: ${dir}/base.cfg, line 4: Invalid condition '1 / 0 or python3': ` +
        "ZeroDivisionError: division by zero\n",
    );
    await write(join(dir, "base.cfg"), "[buildout]\n[bad:frob]\n");
    r = await runCli(["query", "parts"], { cwd: dir });
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\n" +
        `Error: ${dir}/base.cfg, line 2: Invalid condition 'frob': ` +
        "NameError: name 'frob' is not defined\n",
    );
    assert.equal(await runs(), 2);
  });
});

Deno.test("a missing interpreter is named when a condition needs it", async () => {
  await withTempDir(async (dir) => {
    await write(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts =\nexecutable = ./nope\n[x:linux]\n",
    );
    const r = await runCli(["query", "parts"], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\n" +
        "Error: The Python executable './nope' was not found (set [buildout] executable).\n",
    );
  });
});
