// Generated scripts run for real with the machine's python3.
import assert from "node:assert/strict";
import {
  consoleScript,
  interpreterScript,
} from "../../src/scripts/generate.ts";
import { writeScript } from "../../src/scripts/write.ts";

const dec = new TextDecoder();

async function pythonExecutable(): Promise<string> {
  const out = await new Deno.Command("python3", {
    args: ["-c", "import sys; print(sys.executable)"],
    stdout: "piped",
  }).output();
  return dec.decode(out.stdout).trim();
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  cmd: string,
  args: string[],
  cwd: string,
  stdin = "",
): Promise<Result> {
  const child = new Deno.Command(cmd, {
    args,
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { PYTHONIOENCODING: "utf-8", PYTHONDONTWRITEBYTECODE: "1" },
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(stdin));
  await w.close();
  const out = await child.output();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** A buildout-like folder: lib/mymod.py and an empty bin/. */
async function sample(): Promise<string> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  await Deno.mkdir(`${dir}/lib`);
  await Deno.mkdir(`${dir}/bin`);
  await Deno.writeTextFile(
    `${dir}/lib/mymod.py`,
    "import sys\n\nx = 5\n\n\n" +
      "def main(*args):\n    print('main', args, sys.argv[1:])\n    return len(args)\n\n\n" +
      "if __name__ == '__main__':\n    print('as main', sys.argv[1:])\n",
  );
  await Deno.writeTextFile(
    `${dir}/ascript`,
    "import sys, mymod\nprint(sys.argv)\nprint(__file__, __name__, mymod.x)\n",
  );
  return dir;
}

Deno.test("a console script imports from its paths, passes arguments, exits with the result", async () => {
  const dir = await sample();
  try {
    const script = consoleScript({
      python: await pythonExecutable(),
      scriptDir: `${dir}/bin`,
      paths: [`${dir}/lib`],
      module: "mymod",
      attrs: "main",
      arguments: "'a', 2",
      initialization:
        "import os\nos.environ['FROM_INIT'] = 'yes'\nprint('init', os.environ['FROM_INIT'])",
    });
    assert.equal(await writeScript(`${dir}/bin/demo`, script), true);
    const r = await run(`${dir}/bin/demo`, ["x", "y"], dir);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, "init yes\nmain ('a', 2) ['x', 'y']\n");
    assert.equal(r.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a relative-paths script keeps working after its buildout folder moves", async () => {
  const dir = await sample();
  const moved = `${dir}-moved`;
  try {
    const script = consoleScript({
      python: await pythonExecutable(),
      scriptDir: `${dir}/bin`,
      relativeTo: dir,
      paths: [`${dir}/lib`],
      module: "mymod",
      attrs: "main",
    });
    assert.match(script, /join\(base, 'lib'\)/);
    await writeScript(`${dir}/bin/demo`, script);
    await Deno.rename(dir, moved);
    const r = await run(`${moved}/bin/demo`, [], moved);
    assert.equal(r.stdout, "main () []\n");
    assert.equal(r.code, 0);
  } finally {
    await Deno.remove(moved, { recursive: true }).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("the interpreter script runs -c, -m, a script path, and an interactive console", async () => {
  const dir = await sample();
  try {
    await writeScript(
      `${dir}/bin/py`,
      interpreterScript({
        python: await pythonExecutable(),
        scriptDir: `${dir}/bin`,
        paths: [`${dir}/lib`],
        initialization: "greeting = 'hi'",
      }),
    );
    const py = `${dir}/bin/py`;

    let r = await run(py, [
      "-c",
      "import sys, mymod; print(mymod.x, sys.argv)",
      "p",
      "q",
    ], dir);
    assert.deepEqual([r.stdout, r.stderr, r.code], [
      "5 ['-c', 'p', 'q']\n",
      "",
      0,
    ]);

    r = await run(py, ["-c", "print(greeting)"], dir);
    assert.equal(r.stdout, "hi\n");

    r = await run(py, ["-m", "mymod", "a", "-b"], dir);
    assert.deepEqual([r.stdout, r.stderr, r.code], [
      "as main ['a', '-b']\n",
      "",
      0,
    ]);

    r = await run(py, ["ascript", "a", "b", "c"], dir);
    assert.deepEqual(
      [r.stdout, r.stderr, r.code],
      ["['ascript', 'a', 'b', 'c']\nascript __main__ 5\n", "", 0],
    );

    r = await run(py, ["-c", "raise SystemExit(3)"], dir);
    assert.equal(r.code, 3);

    // No arguments: an interactive console (prompts go to stdout when not a TTY).
    r = await run(py, [], dir, "import mymod\nprint(mymod.x * 2, greeting)\n");
    assert.match(r.stdout, /10 hi\n/);
    assert.equal(r.code, 0);

    // -i: interactive after the code ran, in its namespace.
    r = await run(py, ["-i", "-c", "y = 7"], dir, "print(y + 1)\n");
    assert.match(r.stdout, /8\n/);

    r = await run(py, ["-x"], dir);
    assert.deepEqual([r.stderr, r.code], ["Unknown option: -x\n", 2]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a script for a python whose path holds a space runs through /bin/sh", async () => {
  const dir = await sample();
  try {
    await Deno.mkdir(`${dir}/my python`);
    await Deno.symlink(await pythonExecutable(), `${dir}/my python/python3`);
    await writeScript(
      `${dir}/bin/demo`,
      consoleScript({
        python: `${dir}/my python/python3`,
        scriptDir: `${dir}/bin`,
        paths: [`${dir}/lib`],
        module: "mymod",
        attrs: "main",
      }),
    );
    const r = await run(`${dir}/bin/demo`, ["it's"], dir);
    assert.deepEqual([r.stdout, r.stderr, r.code], [
      'main () ["it\'s"]\n',
      "",
      0,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
