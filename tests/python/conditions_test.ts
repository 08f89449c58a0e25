import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import { evaluateInPython } from "../../src/python/conditions.ts";
import { withTempDir } from "../support/run.ts";

Deno.test("one run evaluates every expression with buildout's globals, errors per expression", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/here.txt`, "");
    const r = await evaluateInPython("python3", [
      "sys.version_info >= (3, 0)",
      "any([python2, python3]) and cpython and not jython",
      "os.path.exists('here.txt')", // relative to cwd
      "re.match(r'^\\d+$', platform.python_version_tuple()[0])",
      "print('noise') or 1",
      "1 / 0",
      "frob",
      "linux and (",
    ], { cwd: dir });
    assert.deepEqual(r.results, [
      { value: true },
      { value: true },
      { value: true },
      { value: true },
      { value: true },
      { error: "ZeroDivisionError: division by zero" },
      { error: "NameError: name 'frob' is not defined" },
      r.results[7],
    ]);
    assert.match((r.results[7] as { error: string }).error, /^SyntaxError: /);
    const version = r.markerEnv.python_version.replace(".", "");
    assert.equal(r.names[`python${version}`], true);
    assert.deepEqual(
      Object.keys(r.names).sort(),
      [
        "big_endian",
        "bits32",
        "bits64",
        "cpython",
        "cygwin",
        "ironpython",
        "jython",
        "linux",
        "little_endian",
        "macosx",
        "posix",
        "pypy",
        "python2",
        "python24",
        "python25",
        "python26",
        "python27",
        "python3",
        ...Array.from({ length: 16 }, (_, m) => `python3${m}`),
        "solaris",
        "windows",
      ].sort(),
    );
  });
});

Deno.test("a missing interpreter or one that is not Python is a UserError", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      evaluateInPython("./nope", ["1"], { cwd: dir }),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          "The Python executable './nope' was not found (set [buildout] executable).",
    );
    await Deno.writeTextFile(
      `${dir}/fake`,
      "#!/bin/sh\necho oops >&2\nexit 2\n",
    );
    await Deno.chmod(`${dir}/fake`, 0o755);
    await assert.rejects(
      evaluateInPython("./fake", ["1"], { cwd: dir }),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          "The Python executable './fake' did not answer like Python 3: oops",
    );
  });
});
