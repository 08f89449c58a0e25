/**
 * Configuration behaviours seen through the command line: absolute `[buildout]` paths, the
 * newlines buildout keeps in values, `installed =`, `query` on data sections, JSON output
 * kept clean of warnings, the `While: Initializing.` context, extensions.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, runSubprocess, withTempDir } from "../support/run.ts";

async function writeFiles(
  dir: string,
  files: Record<string, string>,
): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await Deno.mkdir(join(path, ".."), { recursive: true });
    await Deno.writeTextFile(path, text);
  }
}

const exists = (p: string) => Deno.lstat(p).then(() => true, () => false);

const PATHS_CFG = `[buildout]
parts = p
base = sub
parts-directory = \${:base}/parts

[p]
recipe = mkdir
paths = \${buildout:parts-directory}/data
bin = \${buildout:bin-directory}
installed-file = \${buildout:installed}
eggs = \${buildout:eggs-directory}
`;

Deno.test("[buildout] paths are absolute in ${}, query, annotate and .installed.cfg, whatever the working directory", async () => {
  await withTempDir(async (d) => {
    const proj = join(d, "proj");
    const other = join(d, "other");
    await writeFiles(d, { "proj/buildout.cfg": PATHS_CFG });
    await Deno.mkdir(other);
    const cfg = ["-U", "-c", "../proj/buildout.cfg"];
    const query = async (what: string) => {
      const r = await runCli([...cfg, "query", what], { cwd: other });
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    assert.equal(await query("p:bin"), `${proj}/bin\n`);
    assert.equal(await query("bin-directory"), `${proj}/bin\n`);
    // A value holding ${...} is made absolute once substituted.
    assert.equal(await query("parts-directory"), `${proj}/sub/parts\n`);
    assert.equal(await query("p:paths"), `${proj}/sub/parts/data\n`);
    assert.equal(await query("p:installed-file"), `${proj}/.installed.cfg\n`);
    assert.equal(await query("p:eggs"), `${proj}/eggs\n`);
    assert.equal(await query("directory"), `${proj}\n`);

    const a = await runCli([...cfg, "annotate", "buildout"], { cwd: other });
    assert.match(a.stdout, new RegExp(`\nbin-directory= ${proj}/bin\n`));
    assert.match(a.stdout, new RegExp(`\ninstalled= ${proj}/.installed.cfg\n`));

    // A real process started elsewhere installs into the buildout, not its own folder.
    const r = await runSubprocess(cfg, { cwd: other });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(await exists(join(proj, "sub", "parts", "data")));
    assert.ok(await exists(join(proj, "bin")));
    assert.deepEqual([...Deno.readDirSync(other)], []);
    const installed = await Deno.readTextFile(join(proj, ".installed.cfg"));
    assert.match(installed, new RegExp(`\nbin = ${proj}/bin\n`));
    assert.match(installed, new RegExp(`\npaths = ${proj}/sub/parts/data\n`));
  });
});

Deno.test("a relative `directory` is taken from the file that sets it, not the working directory", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, {
      "proj/buildout.cfg": "[buildout]\nparts =\ndirectory = site\n",
    });
    await Deno.mkdir(join(d, "other"));
    const argv = ["-U", "-c", "../proj/buildout.cfg", "query"];
    let r = await runCli([...argv, "directory"], { cwd: join(d, "other") });
    assert.equal(r.stdout, `${d}/proj/site\n`);
    r = await runCli([...argv, "bin-directory"], { cwd: join(d, "other") });
    assert.equal(r.stdout, `${d}/proj/site/bin\n`);
  });
});

const NEWLINES = {
  "base.cfg": "[buildout]\nparts =\nx =\n\n[d]\nrecipe =\nv = 1\n",
  "buildout.cfg": `[buildout]
extends = base.cfg
parts += p
x += a
y =
    a
    b

[d]
w += q

[p]
recipe = mkdir
paths = var
x = \${buildout:x}
w = \${d:w}
`,
};

Deno.test("values keep buildout's newlines: query, annotate, ${} and .installed.cfg agree", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, NEWLINES);
    const query = async (what: string) =>
      (await runCli(["-U", "query", what], { cwd: d })).stdout;
    // `x =` then `x += a`: buildout joins '' and 'a' with a newline.
    assert.equal(await query("x"), "\na\n");
    // [d] exists below, w does not: += works on an implicit empty value.
    assert.equal(await query("d:w"), "\nq\n");
    // An indented block is dedented, with no leading or trailing newline.
    assert.equal(await query("y"), "a\nb\n");
    assert.equal(await query("p:x"), "\na\n");
    assert.equal(await query("p:w"), "\nq\n");

    const json = JSON.parse(
      (await runCli(["-U", "annotate", "--json"], { cwd: d })).stdout,
    );
    assert.equal(json.buildout.x.value, "\na");
    assert.equal(json.buildout.y.value, "a\nb");
    assert.equal(json.d.w.value, "\nq");
    assert.deepEqual(json.d.w.sources, [
      { op: "SET", value: "", source: "IMPLICIT_VALUE" },
      { op: "ADD", value: "q", source: "buildout.cfg" },
    ]);
    const q = await runCli(["-U", "query", "--json", "d:w"], { cwd: d });
    assert.deepEqual(JSON.parse(q.stdout), {
      section: "d",
      option: "w",
      value: "\nq",
    });

    const text = (await runCli(["-U", "annotate", "d"], { cwd: d })).stdout;
    assert.match(text, /\nw= \nq\n {4}IMPLICIT_VALUE\n\+= {2}buildout\.cfg\n/);

    let r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Installing p\./);
    const installed = await Deno.readTextFile(join(d, ".installed.cfg"));
    assert.match(installed, /\nx = %\(__buildout_space_n__\)sa\n/);
    // Read back equal: the part is updated, not reinstalled.
    r = await runCli(["-U"], { cwd: d });
    assert.match(r.stdout, /Updating p\./);
    assert.doesNotMatch(r.stdout, /Uninstalling/);
  });
});

Deno.test("installed = (empty): no installation database is read or written", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, {
      "buildout.cfg":
        "[buildout]\nparts = p\ninstalled =\n[p]\nrecipe = mkdir\npaths = var\n",
      // Not a valid configuration: reading it would fail.
      ".installed.cfg": "not a database\n",
    });
    let r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Installing p\./);
    assert.ok(await exists(join(d, "var")));
    assert.equal(
      await Deno.readTextFile(join(d, ".installed.cfg")),
      "not a database\n",
    );
    // Nothing was recorded, so the next run installs again.
    r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Installing p\./);
    assert.doesNotMatch(r.stdout, /Updating|Uninstalling/);
    assert.deepEqual(
      [...Deno.readDirSync(d)].map((e) => e.name).filter((n) =>
        n.includes("installed")
      ),
      [".installed.cfg"],
    );
    r = await runCli(["-U", "query", "installed"], { cwd: d });
    assert.equal(r.stdout, "\n");
  });
});

Deno.test("query reads any section, data sections with an empty recipe too; -v prints buildout's header", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, {
      "buildout.cfg":
        "[buildout]\nparts =\n[data]\nrecipe =\nport = 8080\nurl = http://h:${:port}/\n[plain]\nk = v\n",
    });
    let r = await runCli(["-U", "query", "data:url"], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "http://h:8080/\n");
    r = await runCli(["-U", "query", "plain:k"], { cwd: d });
    assert.equal(r.stdout, "v\n");
    r = await runCli(["-U", "-v", "query", "data:port"], { cwd: d });
    assert.equal(r.stdout, "${data:port}\n8080\n");
    r = await runCli(["-U", "-v", "query", "parts"], { cwd: d });
    assert.equal(r.stdout, "${buildout:parts}\n\n");
    r = await runCli(["-U", "query", "data:nope"], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "Error: Key not found: nope\n");
  });
});

Deno.test("--json: stdout is JSON only, warnings go to stderr", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, {
      "buildout.cfg":
        "[buildout]\nparts =\noptional-extends = missing.cfg\nsocket-timeout = 5s\n",
    });
    let r = await runCli(["-U", "query", "--json", "parts"], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      section: "buildout",
      option: "parts",
      value: "",
    });
    assert.match(r.stderr, /optional-extends file not found: missing\.cfg/);
    assert.match(r.stderr, /Default socket timeout is used !/);

    r = await runCli(["-U", "annotate", "--json"], { cwd: d });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).buildout["socket-timeout"].value, "5s");
    assert.match(r.stderr, /optional-extends file not found: missing\.cfg/);

    // The plain query's stdout is the value alone too.
    r = await runCli(["-U", "query", "socket-timeout"], { cwd: d });
    assert.equal(r.stdout, "5s\n");
  });
});

Deno.test("errors while reading the configuration carry While: Initializing.", async () => {
  await withTempDir(async (d) => {
    const cases: [string, RegExp][] = [
      ["[buildout]\nparts =\nthis is bad\n", /File contains parsing errors/],
      [
        "[buildout]\nextends = nope.cfg\nparts =\n",
        /Couldn't open .*nope\.cfg/,
      ],
      ["[buildout]\nparts =\nx = ${nowhere:y}\n", /The referenced section/],
      ["[buildout]\nparts =\n[s:frobnicate]\nk = 1\n", /frobnicate/],
    ];
    for (const [cfg, error] of cases) {
      await Deno.writeTextFile(join(d, "buildout.cfg"), cfg);
      for (const command of [[], ["query", "parts"], ["annotate"]]) {
        if (cfg.includes("nowhere") && command[0] === "annotate") continue;
        const r = await runCli(["-U", ...command], { cwd: d });
        assert.equal(r.code, 1, cfg);
        assert.match(r.stderr, /^While:\n {2}Initializing\.\n/, cfg);
        assert.match(r.stderr, error, cfg);
      }
    }
  });
});

Deno.test("a substitution cycle prints the whole chain", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, {
      "buildout.cfg":
        "[buildout]\nparts =\nx = ${buildout:y}\ny = ${buildout:z}\nz = ${buildout:x}\n",
    });
    const r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      [
        "While:",
        "  Initializing.",
        "  Getting section buildout.",
        "  Initializing section buildout.",
        "  Getting option buildout:x.",
        "  Getting option buildout:y.",
        "  Getting option buildout:z.",
        "  Getting option buildout:x.",
        "Error: Circular reference in substitutions.",
        "",
      ].join("\n"),
    );
  });
});

Deno.test("a cycle between part options names each option once more at the end", async () => {
  await withTempDir(async (d) => {
    await writeFiles(d, {
      "buildout.cfg":
        "[buildout]\nparts = p\n[p]\nrecipe = mkdir\na = ${:b}\nb = ${p:a}\n",
    });
    const r = await runCli(["-U"], { cwd: d });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /\n {2}Getting option p:a\.\n {2}Getting option p:b\.\n {2}Getting option p:a\.\nError: Circular reference in substitutions\.\n$/,
    );
  });
});

Deno.test("an extension that cannot be had is one clear error, before anything is installed", async () => {
  await withTempDir(async (d) => {
    for (const ext of ["foo", "plone.versioncheck"]) {
      await writeFiles(d, {
        "buildout.cfg":
          `[buildout]\nparts = p\nextensions = ${ext}\noffline = true\n[p]\nrecipe = mkdir\npaths = var\n`,
      });
      const r = await runCli(["-U"], { cwd: d });
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `While:\n  Installing.\n  Loading extensions.\n` +
          `Error: We don't have a distribution for ${ext}\n` +
          "and can't install one in offline (no-install) mode.\n",
      );
      assert.equal(await exists(join(d, "var")), false);
      assert.equal(await exists(join(d, "bin")), false);
      // query and annotate still work.
      const q = await runCli(["-U", "query", "extensions"], { cwd: d });
      assert.equal(q.stdout, `${ext}\n`);
    }
    await writeFiles(d, {
      "buildout.cfg": "[buildout]\nparts =\nextensions = buildout-versions\n",
    });
    const r = await runCli(["-U"], { cwd: d });
    assert.match(r.stderr, /Error: Buildout now includes 'buildout-versions'/);
  });
});
