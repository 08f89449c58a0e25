import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import {
  childEnv,
  MAIN_TS,
  runCli,
  runSubprocess,
  withTempDir,
} from "../support/run.ts";
import { red } from "../../src/cli/io.ts";
import { VERSION } from "../../src/version.ts";

const exists = (p: string) => Deno.lstat(p).then(() => true, () => false);

async function write(dir: string, cfg: string): Promise<void> {
  await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg);
}

const SIMPLE = `[buildout]
parts = data
base = \${buildout:directory}/base

[data]
recipe = mkdir
paths = var/data
link = \${buildout:base}/x
`;

Deno.test("--version prints the tool and Deno versions (subprocess, exit 0)", async () => {
  await withTempDir(async (d) => {
    const r = await runSubprocess(["--version"], { cwd: d });
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `buildout version ${VERSION} (Deno ${Deno.version.deno})\n`,
    );
    assert.equal(r.stderr, "");
  });
});

Deno.test("-h and --help print usage, exit 0", async () => {
  await withTempDir(async (d) => {
    for (const flag of ["-h", "--help"]) {
      const r = await runCli([flag], { cwd: d });
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: buildout \[options\] \[assignments\]/);
      assert.match(r.stdout, /Exit codes: 0 ok, 1 user error, 2 usage error/);
    }
  });
});

Deno.test("usage errors: one line on stderr, exit 2 (subprocess)", async () => {
  await withTempDir(async (d) => {
    const cases: [string[], string][] = [
      [["-x"], "Error: Invalid option -x\n"],
      [["--foo"], "Error: Invalid option --foo\n"],
      [["-c"], "Error: No file name specified for option -c\n"],
      [
        ["a:b:c=x"],
        "Error: Invalid assignment 'a:b:c=x': expected [section:]option=value\n",
      ],
      [["frob"], "Error: invalid command: frob\n"],
    ];
    for (const [argv, stderr] of cases) {
      const r = await runSubprocess(argv, { cwd: d });
      assert.equal(r.stderr, stderr, argv.join(" "));
      assert.equal(r.code, 2, argv.join(" "));
      assert.equal(r.stdout, "");
    }
  });
});

Deno.test("a user error exits 1 (subprocess): missing buildout.cfg", async () => {
  await withTempDir(async (d) => {
    const r = await runSubprocess(["-U"], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\n" + `Error: Couldn't open ${d}/buildout.cfg\n`,
    );
  });
});

Deno.test("install through the subprocess creates the parts; -q prints nothing", async () => {
  await withTempDir(async (d) => {
    await write(d, SIMPLE);
    let r = await runSubprocess(["-U", "-q"], { cwd: d });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr, "");
    assert.ok(await exists(join(d, "var/data")));
    r = await runSubprocess(["-Uq", "newest=yes"], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\n" +
        "Error: Invalid value for 'newest' option: 'yes'\n",
    );
  });
});

Deno.test("-c FILE reads another file; its folder is the buildout directory", async () => {
  await withTempDir(async (d) => {
    await Deno.mkdir(join(d, "sub"));
    await Deno.writeTextFile(join(d, "sub/other.cfg"), "[buildout]\nparts =\n");
    const r = await runCli(
      ["-U", "-c", "sub/other.cfg", "query", "directory"],
      {
        cwd: d,
      },
    );
    assert.equal(r.stderr, "");
    assert.equal(r.stdout, `${d}/sub\n`);
  });
});

Deno.test("query prints the value with ${} resolved, and --json", async () => {
  await withTempDir(async (d) => {
    await write(d, SIMPLE);
    let r = await runCli(["-U", "query", "data:link"], { cwd: d });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${d}/base/x\n`);
    r = await runCli(["-U", "query", "base"], { cwd: d });
    assert.equal(r.stdout, `${d}/base\n`);
    // A recipe's computed value is visible (the mkdir recipe makes paths absolute).
    r = await runCli(["-U", "query", "data:paths"], { cwd: d });
    assert.equal(r.stdout, `${d}/var/data\n`);
    r = await runCli(["-U", "query", "data:link", "--json"], { cwd: d });
    assert.deepEqual(JSON.parse(r.stdout), {
      section: "data",
      option: "link",
      value: `${d}/base/x`,
    });
    r = await runCli(["-U", "-v", "query", "data:link"], { cwd: d });
    assert.equal(r.stdout, `\${data:link}\n${d}/base/x\n`);
  });
});

Deno.test("query errors and exit codes", async () => {
  await withTempDir(async (d) => {
    await write(d, SIMPLE);
    const cases: [string[], string, number][] = [
      [["query"], "Error: The query command requires a single argument.\n", 2],
      [
        ["query", "a", "b"],
        "Error: The query command requires a single argument.\n",
        2,
      ],
      [["query", "a:b:c"], "Error: Invalid option: a:b:c\n", 2],
      [["query", "x:port"], "Error: Section not found: x\n", 1],
      [["query", "port"], "Error: Key not found: port\n", 1],
    ];
    for (const [argv, stderr, code] of cases) {
      const r = await runCli(["-U", ...argv], { cwd: d });
      assert.equal(r.stderr, stderr, argv.join(" "));
      assert.equal(r.code, code, argv.join(" "));
    }
  });
});

Deno.test("query and annotate create no cache directories (W5)", async () => {
  await withTempDir(async (d) => {
    await write(
      d,
      "[buildout]\nparts =\ndownload-cache = cache\neggs-directory = eggs\n",
    );
    let r = await runCli(["-U", "query", "download-cache"], { cwd: d });
    assert.equal(r.stdout, `${d}/cache\n`);
    r = await runCli(["-U", "annotate"], { cwd: d });
    assert.equal(r.code, 0);
    assert.equal(await exists(join(d, "cache")), false);
    assert.equal(await exists(join(d, "eggs")), false);
    r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `Creating directory '${d}/cache'.
Creating directory '${d}/eggs'.
Creating directory '${d}/bin'.
Creating directory '${d}/parts'.
Creating directory '${d}/develop-eggs'.
`,
    );
    assert.ok(await exists(join(d, "cache/dist")));
  });
});

Deno.test("annotate shows values and sources; --json the same as data", async () => {
  await withTempDir(async (d) => {
    await write(d, SIMPLE);
    let r = await runCli(["-U", "parts+=other", "annotate", "data"], {
      cwd: d,
    });
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `
Annotated sections
==================

[data]
link= \${buildout:base}/x
    buildout.cfg
paths= var/data
    buildout.cfg
recipe= mkdir
    buildout.cfg
`,
    );
    r = await runCli(["-U", "parts+=other", "annotate", "--json"], { cwd: d });
    const data = JSON.parse(r.stdout);
    assert.equal(data.buildout.parts.value, "data\nother");
    assert.deepEqual(
      data.buildout.parts.sources.map((h: { op: string; source: string }) =>
        `${h.op} ${h.source}`
      ),
      ["SET buildout.cfg", "ADD COMMAND_LINE_VALUE"],
    );
    assert.equal(data.data.paths.value, "var/data");
    assert.equal(data.data.paths.sources[0].source, "buildout.cfg");
  });
});

Deno.test("init writes buildout.cfg, refuses to overwrite it", async () => {
  await withTempDir(async (d) => {
    let r = await runCli(["-U", "init"], { cwd: d });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      `Creating '${d}/buildout.cfg'.
Creating directory '${d}/eggs'.
Creating directory '${d}/bin'.
Creating directory '${d}/parts'.
Creating directory '${d}/develop-eggs'.
`,
    );
    assert.equal(
      await Deno.readTextFile(join(d, "buildout.cfg")),
      "[buildout]\nparts =\n",
    );
    r = await runCli(["-U", "init"], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\n" +
        `Error: '${d}/buildout.cfg' already exists.\n`,
    );
  });
});

Deno.test("init with requirements writes a [py] interpreter part", async () => {
  await withTempDir(async (d) => {
    const r = await runCli([
      "-U",
      "-o",
      "-c",
      "b.cfg",
      "init",
      "demo",
      "src/lib",
    ], {
      cwd: d,
    });
    assert.match(r.stdout, new RegExp(`^Creating '${d}/b.cfg'.\n`));
    assert.equal(
      await Deno.readTextFile(join(d, "b.cfg")),
      `[buildout]
parts = py

[py]
recipe = zc.recipe.egg
interpreter = py
eggs =
    demo
extra-paths =
    src/lib
`,
    );
    assert.ok(await exists(join(d, "src/lib")));
  });
});

Deno.test("settings errors: install-from-cache with offline, without a cache", async () => {
  await withTempDir(async (d) => {
    await write(d, "[buildout]\nparts =\ninstall-from-cache = true\n");
    let r = await runCli(["-U", "-o"], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      "While:\n  Initializing.\nError: install-from-cache can't be used with offline mode.\nNothing is installed, even from cache, in offline\nmode, which might better be called 'no-install mode'.\n",
    );
    r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^While:\n {2}Initializing\.\nError: install-from-cache = true needs a download-cache/,
    );
  });
});

Deno.test("-t5 sets the socket timeout; a non-numeric one warns", async () => {
  await withTempDir(async (d) => {
    await write(d, "[buildout]\nparts =\n");
    let r = await runCli(["-U", "-t5"], { cwd: d });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Setting socket time out to 5 seconds\.\n/);
    r = await runCli(["-U", "socket-timeout=5s"], { cwd: d });
    assert.match(
      r.stdout,
      /^Default socket timeout is used !\nValue in configuration is not numeric: \[5s\]\.\n/,
    );
  });
});

Deno.test("deno task buildout runs in the caller's folder (INIT_CWD)", async () => {
  await withTempDir(async (d) => {
    await write(d, "[buildout]\nparts =\n");
    const cmd = new Deno.Command(Deno.execPath(), {
      args: [
        "task",
        "--quiet",
        "--config",
        join(dirname(MAIN_TS), "deno.json"),
        "buildout",
        "-U",
        "query",
        "directory",
      ],
      cwd: d,
      env: childEnv(),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    });
    const r = await cmd.output();
    const dec = new TextDecoder();
    assert.equal(dec.decode(r.stderr), "");
    assert.equal(dec.decode(r.stdout), `${d}\n`);
    assert.equal(r.code, 0);
  });
});

Deno.test("colour only on a terminal and never with NO_COLOR", () => {
  assert.equal(red("Error: x", false, {}), "Error: x");
  assert.equal(red("Error: x", true, {}), "\x1b[31mError: x\x1b[0m");
  assert.equal(red("Error: x", true, { NO_COLOR: "" }), "Error: x");
});
