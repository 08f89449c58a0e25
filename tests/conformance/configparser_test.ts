/**
 * Conformance with zc.buildout's tests/configparser.test (the parser of
 * configuration files). The doctest calls the parser directly; here each case
 * is a configuration file read through the CLI (`query`), which shows the
 * values after `+=`/`-=` are applied, so the expected values below are those
 * the doctest's parsed sections give once buildout merges them.
 *
 * Pending (Python-evaluated conditional expressions): `2 + 2 == 4`,
 * `map(lambda ...)`, the `sys`/`re`/`os`/`platform` modules, `any([...])`,
 * and the `exp_globals` argument (a Python API, not reachable from the CLI).
 */
import assert from "node:assert/strict";
import { lines, withSample } from "./support.ts";

/** Query each `section:option` in a buildout whose extra sections are `body`. */
async function values(
  body: string,
  keys: string[],
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await withSample({
    "buildout.cfg": `[buildout]\nparts =\n\n${body}`,
  }, async (s) => {
    for (const k of keys) {
      const r = await s.run("query", k);
      assert.equal(r.code, 0, `${k}: ${r.stderr}`);
      out[k] = r.stdout.replace(/\n$/, "");
    }
  });
  return out;
}

Deno.test("configparser.test: a well-formed file: spacing, comments, continuation lines", async () => {
  const body = `[s1]
a = 1

[   s2  ]         # a comment
long = a
    b

    c
l2 =


    a


    # not a comment

# comment
; also a comment

    b

      c


empty =

c=1

b    += 1

[s3]; comment
x =           a b
`;
  assert.deepEqual(
    await values(body, [
      "s1:a",
      "s2:long",
      "s2:l2",
      "s2:empty",
      "s2:c",
      "s2:b",
      "s3:x",
    ]),
    {
      "s1:a": "1",
      "s2:long": "a\nb\nc",
      "s2:l2": "a\n\n\n# not a comment\n\n\nb\n\n  c",
      "s2:empty": "",
      "s2:c": "1",
      // `b    += 1` is `b +=` with nothing to add to.
      "s2:b": "1",
      "s3:x": "a b",
    },
  );
});

Deno.test("configparser.test: leading blank lines before the first section", async () => {
  await withSample({ "buildout.cfg": "\n\n[buildout]\nz=1\n\n" }, async (s) => {
    const r = await s.run("query", "z");
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "1\n");
  });
});

Deno.test("configparser.test: a blank first line after a section header", async () => {
  // Read through `annotate`: `query` would construct the unknown recipe.
  await withSample({
    "buildout.cfg": `[buildout]
parts =

[versions]
# Add any version pins here.

[hello]

recipe = collective.recipe.cmd
on_install = true

on_update = true
cmds = echo Hello
`,
  }, async (s) => {
    const r = await s.run("annotate", "hello", "versions");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(4), [
      "[hello]",
      "cmds= echo Hello",
      "    buildout.cfg",
      "on_install= true",
      "    buildout.cfg",
      "on_update= true",
      "    buildout.cfg",
      "recipe= collective.recipe.cmd",
      "    buildout.cfg",
      "",
      "[versions]",
    ]);
  });
});

Deno.test("configparser.test: comments after section headers, with and without conditions", async () => {
  const body = `[ a ]
a=1

[ b ]  # []
b=1

[ c : True ]  # ]
c =1

[ d :  True]  # []
d=1

[ e ]  # []
e = 1

[ f ]  # ]
f = 1

[ h : True ]  ; ]
h =1

[ i :  True]  ; []
i=1

[ k ]  ;semicolon comments, no expression ]
k = 1

[ l ]  ; [
l = 1

[ m: True ]  #hash comments] with an expression ]
m = 1
`;
  const keys = ["a", "b", "c", "d", "e", "f", "h", "i", "k", "l", "m"];
  const got = await values(body, keys.map((k) => `${k}:${k}`));
  for (const k of keys) assert.equal(got[`${k}:${k}`], "1", k);
});

Deno.test("configparser.test: an unescaped # or ; inside a condition is a parse error", async () => {
  await withSample({
    "buildout.cfg":
      "[buildout]\nparts =\n\n[a:'#' in '#;'] # unsupported\na = 1\n",
  }, async (s) => {
    const r = await s.run("query", "a:a");
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^While:\n {2}Initializing\.\nError: File contains parsing errors: /,
    );
    assert.match(
      r.stderr,
      /\[line {2}4\]: "\[a:'#' in '#;'\] # unsupported\\n"/,
    );
  });
});

Deno.test("configparser.test: buildout's predefined names in conditions", async () => {
  const body = `[s3:cpython or pypy or jython or ironpython]  # a comment
c = 1

[s4:linux or windows or cygwin or macosx or solaris or posix or True]
d = 1

[s5:bits32 or bits64 or little_endian or big_endian]
e = 1
`;
  assert.deepEqual(await values(body, ["s3:c", "s4:d", "s5:e"]), {
    "s3:c": "1",
    "s4:d": "1",
    "s5:e": "1",
  });
});

Deno.test(
  {
    name: "configparser.test: Python expressions in section conditions",
  },
  async () => {
    const body = `[s1: 2 + 2 == 4] # true [so kept
a = 1

[   s2 : 2 + 2 == 5  ]         # false, so ignored]
long = a

[   s2 : 41 + 1 == 42  ]  # [true], kept
long = b

[s3:2 in map(lambda i:i*2, [i for i in range(10)])] ;# complex [expressions];
long = c

[g:2 in map(lambda i:i*2, ['''\\x23\\x3b)'''] + [i for i in range(10)] + list('\\x23[]][\\x3b\\x23'))] # escaped # and ;
g = 1

[t1: sys and re and os and platform]
a = 1

[t2: any([python2, python3, python27, python310, python311, python312])]
b = 1
`;
    assert.deepEqual(
      await values(body, ["s1:a", "s2:long", "s3:long", "g:g", "t1:a", "t2:b"]),
      {
        "s1:a": "1",
        "s2:long": "b",
        "s3:long": "c",
        "g:g": "1",
        "t1:a": "1",
        "t2:b": "1",
      },
    );
  },
);

Deno.test("configparser.test: `=> parts` is the <part-dependencies> option", async () => {
  await withSample({
    "buildout.cfg": "[buildout]\nparts =\n\n[foo]\n=> part1 part2\n",
  }, async (s) => {
    const r = await s.run("annotate", "foo");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(4), [
      "[foo]",
      "<part-dependencies>= part1 part2",
      "    buildout.cfg",
    ]);
  });
});

Deno.test("configparser.test: PEP 508 markers, alone and combined with buildout's names", async () => {
  const body = `[section]
a = 1
b = 1
c = 1
d = 1
e = 1
f = 1

[section: python_version < "2.6"]
a = 26

[section: python_version < "4.0"]
b = 40

[section: platform_system == "msdos"]
c = 2

[section: python_version >= "2.0" and platform_system != "msdos"]
d = 2

[section: python_version >= "2.0" or platform_system == "msdos"]
e = 3

[section:linux or windows or cygwin or macosx or solaris or posix or True]
f = 5
`;
  assert.deepEqual(
    await values(
      body,
      ["a", "b", "c", "d", "e", "f"].map((k) => `section:${k}`),
    ),
    {
      "section:a": "1",
      "section:b": "40",
      "section:c": "1",
      "section:d": "2",
      "section:e": "3",
      "section:f": "5",
    },
  );
});

Deno.test("configparser.test: a conditional section repeating options (issue 656)", async () => {
  const base: [string, string][] = [
    ["a", "="],
    ["b", "="],
    ["c", "="],
    ["d", "+="],
    ["e", "+="],
    ["f", "+="],
    ["g", "-="],
    ["h", "-="],
    ["i", "-="],
  ];
  const later: [string, string, string][] = [
    ["a", "+=", "d"],
    ["b", "-=", "b"],
    ["c", "=", "x y z"],
    ["d", "=", "x y z"],
    ["e", "+=", "d e f"],
    ["f", "-=", "a"],
    ["g", "=", "d e f"],
    ["h", "+=", "d e f"],
    ["i", "-=", "d"],
  ];
  const block = (k: string, op: string, v: string) =>
    `${k} ${op}\n${v.split(" ").map((x) => `  ${x}\n`).join("")}\n`;
  const body = "[section]\n" +
    base.map(([k, op]) => block(k, op, "a b c")).join("") +
    "[section:True]\n" +
    later.map(([k, op, v]) => block(k, op, v)).join("");
  const got = await values(body, base.map(([k]) => `section:${k}`));
  assert.deepEqual(got, {
    "section:a": "a\nb\nc\nd",
    "section:b": "a\nc",
    "section:c": "x\ny\nz",
    "section:d": "x\ny\nz",
    "section:e": "a\nb\nc\nd\ne\nf",
    "section:f": "b\nc",
    "section:g": "d\ne\nf",
    "section:h": "d\ne\nf",
    "section:i": "",
  });
});
