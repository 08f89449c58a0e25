/**
 * Conformance with zc.buildout's tests/configuration.txt: value whitespace
 * rules, `annotate`, `query`, substitution, automatic part selection and
 * macros.
 *
 * The runs printing `File-1 ...` lines (the doctest's Python `recipes:debug`
 * recipe from a develop egg) are in configuration_recipes_test.ts; here
 * their substitution results are checked with `query`, and part
 * selection/ordering with the built-in mkdir recipe.
 */
import assert from "node:assert/strict";
import { lines, withSample } from "./support.ts";

Deno.test("configuration.txt: values are stripped line by line, or dedented when the first line is empty", async () => {
  await withSample({
    "buildout.cfg": `[buildout]
parts =

[foo]
bar = 1
baz = a
      b

      c
empty =
dedented =

  a
    b

  c
`,
  }, async (s) => {
    const q = async (k: string) => (await s.run("query", k)).stdout;
    assert.equal(await q("foo:bar"), "1\n");
    assert.equal(await q("foo:baz"), "a\nb\nc\n");
    assert.equal(await q("foo:empty"), "\n");
    assert.equal(await q("foo:dedented"), "a\n  b\n\nc\n");
  });
});

/**
 * The `[buildout]` defaults `annotate` shows for `parts =` alone; path
 * options are shown absolute (README, "How it differs").
 */
const ANNOTATED_DEFAULTS = [
  ["allow-hosts", " *", "DEFAULT_VALUE"],
  ["allow-picked-versions", " true", "DEFAULT_VALUE"],
  ["allow-unknown-extras", " false", "DEFAULT_VALUE"],
  ["bin-directory", " /sample-buildout/bin", "DEFAULT_VALUE"],
  ["develop", "", "DEFAULT_VALUE"],
  ["develop-eggs-directory", " /sample-buildout/develop-eggs", "DEFAULT_VALUE"],
  ["directory", " /sample-buildout", "COMPUTED_VALUE"],
  ["eggs-directory", " /sample-buildout/eggs", "DEFAULT_VALUE"],
  ["executable", " python3", "DEFAULT_VALUE"],
  ["find-links", "", "DEFAULT_VALUE"],
  ["install-from-cache", " false", "DEFAULT_VALUE"],
  ["installed", " /sample-buildout/.installed.cfg", "DEFAULT_VALUE"],
  ["log-format", "", "DEFAULT_VALUE"],
  ["log-level", " INFO", "DEFAULT_VALUE"],
  ["newest", " true", "DEFAULT_VALUE"],
  ["offline", " false", "DEFAULT_VALUE"],
  ["parts", "", "buildout.cfg"],
  ["parts-directory", " /sample-buildout/parts", "DEFAULT_VALUE"],
  ["prefer-final", " true", "DEFAULT_VALUE"],
  ["show-picked-versions", " false", "DEFAULT_VALUE"],
  ["socket-timeout", "", "DEFAULT_VALUE"],
  ["update-versions-file", "", "DEFAULT_VALUE"],
  ["use-dependency-links", " true", "DEFAULT_VALUE"],
  ["versions", " versions", "DEFAULT_VALUE"],
];

Deno.test("configuration.txt: annotate lists every section sorted, each value with its origin", async () => {
  // Intentional differences in the defaults themselves (README, "How it
  // differs"): `executable` is `python3`, not the running Python; there is no
  // `eggs-directory-version` (no v5 layout) nor `python` option; `develop`
  // has a default (''); `[versions]` holds no zc.buildout/zc.recipe.egg pins
  // (recipes are built in).
  await withSample({ "buildout.cfg": "[buildout]\nparts =\n" }, async (s) => {
    const r = await s.run("annotate");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), [
      "",
      "Annotated sections",
      "==================",
      "",
      "[buildout]",
      ...ANNOTATED_DEFAULTS.flatMap((
        [k, v, src],
      ) => [`${k}=${v}`, `    ${src}`]),
      "",
      "[versions]",
    ]);
  });
});

Deno.test("configuration.txt: annotate -v shows how each value was computed", async () => {
  await withSample({ "buildout.cfg": "[buildout]\nparts =\n" }, async (s) => {
    const r = await s.run("-v", "annotate");
    assert.equal(r.code, 0);
    const out = lines(r.stdout);
    const block = (key: string) => {
      const i = out.findIndex((l) => l.startsWith(`${key}=`));
      const j = out.indexOf("", i + 2);
      return out.slice(i, j);
    };
    assert.deepEqual(block("allow-hosts"), [
      "allow-hosts= *",
      "",
      "   AS DEFAULT_VALUE",
      "   SET VALUE = *",
    ]);
    assert.deepEqual(block("directory"), [
      "directory= /sample-buildout",
      "",
      "   AS COMPUTED_VALUE",
      "   SET VALUE = /sample-buildout",
    ]);
    assert.deepEqual(block("eggs-directory"), [
      "eggs-directory= /sample-buildout/eggs",
      "",
      "   AS DEFAULT_VALUE",
      "   DIRECTORY VALUE = /sample-buildout/eggs",
      "   AS DEFAULT_VALUE",
      "   SET VALUE = eggs",
    ]);
    assert.deepEqual(
      block("parts"),
      [
        "parts=",
        "",
        "   IN buildout.cfg",
        "   SET VALUE =",
      ].map((l) =>
        l === "   SET VALUE =" ? out[out.indexOf("   IN buildout.cfg") + 1] : l
      ),
    );
    assert.equal(
      out[out.indexOf("   IN buildout.cfg") + 1].trimEnd(),
      "   SET VALUE =",
    );
    assert.deepEqual(block("verbosity"), [
      "verbosity= 10",
      "",
      "   AS COMMAND_LINE_VALUE",
      "   SET VALUE = 10",
    ]);
    assert.deepEqual(out.slice(-3), ["", "", "[versions]"]);
  });
});

Deno.test("configuration.txt: annotate restricted to the named sections", async () => {
  await withSample({
    "buildout.cfg": "[buildout]\nparts =\n\n[versions]\nzc.buildout = >=1.99\n",
  }, async (s) => {
    const r = await s.run("annotate", "versions");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), [
      "",
      "Annotated sections",
      "==================",
      "",
      "[versions]",
      "zc.buildout= >=1.99",
      "    buildout.cfg",
    ]);
  });
});

const QUERY_CFG = `[buildout]
develop = .

[values]
host = buildout.org
multiline =
  first
  second
`;

Deno.test("configuration.txt: query prints one value; the section defaults to buildout", async () => {
  await withSample({ "buildout.cfg": QUERY_CFG }, async (s) => {
    for (
      const [arg, out] of [
        ["buildout:develop", ".\n"],
        ["values:host", "buildout.org\n"],
        ["values:multiline", "first\nsecond\n"],
        ["develop", ".\n"],
      ]
    ) {
      const r = await s.run("query", arg);
      assert.equal(r.code, 0, arg);
      assert.equal(r.stdout, out, arg);
    }
  });
});

Deno.test("configuration.txt: query -v prints the ${section:option} being queried first", async () => {
  await withSample({ "buildout.cfg": QUERY_CFG }, async (s) => {
    assert.equal(
      (await s.run("-v", "query", "develop")).stdout,
      "${buildout:develop}\n.\n",
    );
    assert.equal(
      (await s.run("-v", "query", "values:host")).stdout,
      "${values:host}\nbuildout.org\n",
    );
  });
});

Deno.test("configuration.txt: query errors", async () => {
  // Difference (README, exit codes): a wrong number of arguments or a
  // malformed option is a usage error, exit 2; zc.buildout exits 1.
  await withSample({ "buildout.cfg": QUERY_CFG }, async (s) => {
    for (
      const [argv, err, code] of [
        [
          ["query", "versions", "parts"],
          "The query command requires a single argument.",
          2,
        ],
        [["query"], "The query command requires a single argument.", 2],
        [
          ["query", "invalid:section:key"],
          "Invalid option: invalid:section:key",
          2,
        ],
        [["query", "values:port"], "Key not found: port", 1],
        [["query", "versionx"], "Key not found: versionx", 1],
        [["query", "specific:port"], "Section not found: specific", 1],
      ] as [string[], string, number][]
    ) {
      const r = await s.run(...argv);
      assert.equal(r.stderr, `Error: ${err}\n`, argv.join(" "));
      assert.equal(r.code, code, argv.join(" "));
      assert.equal(r.stdout, "", argv.join(" "));
    }
  });
});

Deno.test(
  {
    name: "configuration.txt: query -v prints the header before a lookup error",
  },
  async () => {
    await withSample({ "buildout.cfg": QUERY_CFG }, async (s) => {
      for (
        const [arg, header, err] of [
          ["values:port", "${values:port}", "Key not found: port"],
          ["versionx", "${buildout:versionx}", "Key not found: versionx"],
          ["specific:port", "${specific:port}", "Section not found: specific"],
        ]
      ) {
        const r = await s.run("-v", "query", arg);
        assert.equal(r.stdout, `${header}\n`, arg);
        assert.equal(r.stderr, `Error: ${err}\n`, arg);
        assert.equal(r.code, 1, arg);
      }
    });
  },
);

Deno.test("configuration.txt: ${section:option}, ${:option} and _buildout_section_name_", async () => {
  await withSample({
    "buildout.cfg": `[buildout]
parts =

[debug]
File-1 = \${data-dir:path}/file
File-2 = \${:File-1}/log
File-3 = \${debug:File-1}/log
my_name = \${:_buildout_section_name_}

[data-dir]
path = mydata
`,
  }, async (s) => {
    const q = async (k: string) => (await s.run("query", k)).stdout;
    assert.equal(await q("debug:File-1"), "mydata/file\n");
    assert.equal(await q("debug:File-2"), "mydata/file/log\n");
    assert.equal(await q("debug:File-3"), "mydata/file/log\n");
    assert.equal(await q("debug:my_name"), "debug\n");
  });
});

const ORDER_CFG = (parts: string) =>
  `[buildout]
parts = ${parts}

[debug]
recipe = mkdir
paths = \${data-dir:paths}/file

[data-dir]
recipe = mkdir
paths = mydata
`;

Deno.test("configuration.txt: a referenced part is installed first even when not listed", async () => {
  // The referring part sees the value the referenced part's recipe set
  // (mkdir makes `paths` absolute), as with the doctest's mkdir recipe.
  await withSample({ "buildout.cfg": ORDER_CFG("debug") }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(-4), [
      "Installing data-dir.",
      "data-dir: Creating directory /sample-buildout/mydata",
      "Installing debug.",
      "debug: Creating directory /sample-buildout/mydata/file",
    ]);
    const rec = lines(await s.read(".installed.cfg"));
    assert.deepEqual(rec.slice(0, 3), [
      "[buildout]",
      "installed_develop_eggs = ",
      "parts = data-dir debug",
    ]);

    // Listed after the part that refers to it, it still comes first.
    await s.write("buildout.cfg", ORDER_CFG("debug data-dir"));
    const again = await s.run();
    assert.equal(again.code, 0);
    assert.deepEqual(lines(again.stdout), [
      "Updating data-dir.",
      "Updating debug.",
    ]);
    assert.equal(
      lines(await s.read(".installed.cfg"))[2],
      "parts = data-dir debug",
    );
  });
});

Deno.test("configuration.txt: macros (<=) are copied in before substitution, relative to the user", async () => {
  await withSample({
    "buildout.cfg": `[buildout]
parts =

[debug]
kind = debug

[with_file1]
<= debug
file1 = \${:path}/file1
color = red

[with_file2]
<= debug
file2 = \${:path}/file2
color = blue

[myfiles]
<= with_file1
   with_file2
path = mydata
`,
  }, async (s) => {
    const q = async (k: string) => (await s.run("query", k)).stdout;
    assert.equal(await q("myfiles:color"), "blue\n");
    assert.equal(await q("myfiles:file1"), "mydata/file1\n");
    assert.equal(await q("myfiles:file2"), "mydata/file2\n");
    assert.equal(await q("myfiles:path"), "mydata\n");
    assert.equal(await q("myfiles:kind"), "debug\n");
  });
});
