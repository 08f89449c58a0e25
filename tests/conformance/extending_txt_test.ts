/**
 * Conformance with zc.buildout's tests/extending.txt: `+=`/`-=` across
 * `extends` and macros, multiple and nested `extends`, `extends` on the
 * command line, `optional-extends`, configuration from URLs, user defaults
 * and `log-level`.
 *
 * The doctest prints option values through a Python extension or its
 * `recipes:debug` test recipe; here they are read with `query` (extensions
 * are not implemented; the recipe would need a develop egg).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { lines, type Sample, withSample } from "./support.ts";
import { startLinkServer } from "../support/link_server.ts";

async function query(
  s: Sample,
  key: string,
  ...assignments: string[]
): Promise<string> {
  const r = await s.run(...assignments, "query", key);
  assert.equal(r.code, 0, `${key}: ${r.stderr}`);
  return r.stdout.replace(/\n$/, "");
}

Deno.test("extending.txt: += and -= in sections that use macros", async () => {
  // The doctest's base has `recipe =` in part1: left out here, since a query
  // constructs a part's recipe and an empty one is no recipe at all.
  await withSample({
    "buildout.cfg": `[buildout]
parts =

[part1]
option = a1
         a2

[part2]
<= part1
option -= a1
option += c3 c4

[part3]
<= part2
option += d2
           c5 d1 d6
option -= a2
`,
  }, async (s) => {
    assert.equal(await query(s, "part1:option"), "a1\na2");
    assert.equal(await query(s, "part2:option"), "a2\nc3 c4");
    assert.equal(await query(s, "part3:option"), "c3 c4\nd2\nc5 d1 d6");
  });
});

const BASE = `[buildout]
parts =

[part1]
option = a1 a2

[part2]
option = b1 b2 b3 b4

[part3]
option = c1 c2

[part4]
option = d2
    d3
    d5

[part6]
option += e1

[part7]
option -= f1
`;

const EXTENSION1 = `[buildout]
extends = base.cfg

[part1]
option += a3 a4

[part2]
option -= b1 b2

[part3]
option+=c3 c4 c5

[part4]
option += d1
     d4
option -= d5

[part5]
option = h1 h2
`;

const EXTENSION2 = `[buildout]
extends = extension1.cfg

[part1]
option += a5

[part2]
option -= b1 b2 b3
`;

const ADJUSTED = {
  "base.cfg": BASE,
  "extension1.cfg": EXTENSION1,
  "extension2.cfg": EXTENSION2,
  "buildout.cfg": "[buildout]\nextends = extension2.cfg\n",
};

Deno.test("extending.txt: adding and removing lines across extended files", async () => {
  await withSample(ADJUSTED, async (s) => {
    const got: string[] = [];
    for (const p of [1, 2, 3, 4, 5, 6, 7]) {
      got.push(await query(s, `part${p}:option`));
    }
    // Removal is by whole line: `b1 b2` is not a line of `b1 b2 b3 b4`.
    assert.deepEqual(got, [
      "a1 a2\na3 a4\na5",
      "b1 b2 b3 b4",
      "c1 c2\nc3 c4 c5",
      "d2\nd3\nd1\nd4",
      "h1 h2",
      "e1",
      "",
    ]);
  });
});

Deno.test("extending.txt: annotate names the file of each += and -=", async () => {
  // part6 and part7 (an option first given with += or -=) are left out:
  // zc.buildout annotates them as a plain value from base.cfg (part7 with a
  // `-=  IMPLICIT_VALUE` line); this tool shows the `+=`/`-=` in base.cfg.
  await withSample(ADJUSTED, async (s) => {
    const r = await s.run(
      "annotate",
      "part1",
      "part2",
      "part3",
      "part4",
      "part5",
    );
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(4), [
      "[part1]",
      "option= a1 a2",
      "a3 a4",
      "a5",
      "    base.cfg",
      "+=  extension1.cfg",
      "+=  extension2.cfg",
      "",
      "[part2]",
      "option= b1 b2 b3 b4",
      "    base.cfg",
      "-=  extension1.cfg",
      "-=  extension2.cfg",
      "",
      "[part3]",
      "option= c1 c2",
      "c3 c4 c5",
      "    base.cfg",
      "+=  extension1.cfg",
      "",
      "[part4]",
      "option= d2",
      "d3",
      "d1",
      "d4",
      "    base.cfg",
      "+=  extension1.cfg",
      "-=  extension1.cfg",
      "",
      "[part5]",
      "option= h1 h2",
      "    extension1.cfg",
    ]);
  });
});

Deno.test("extending.txt: annotate -v shows each file's operation, newest first", async () => {
  await withSample(ADJUSTED, async (s) => {
    const r = await s.run("-v", "annotate", "part1", "part4");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout).slice(4).filter((l) => l !== ""), [
      "[part1]",
      "option= a1 a2",
      "a3 a4",
      "a5",
      "   IN extension2.cfg",
      "   ADD VALUE = a5",
      "   IN extension1.cfg",
      "   ADD VALUE = a3 a4",
      "   IN base.cfg",
      "   SET VALUE = a1 a2",
      "[part4]",
      "option= d2",
      "d3",
      "d1",
      "d4",
      "   IN extension1.cfg",
      "   REMOVE VALUE = d5",
      "   IN extension1.cfg",
      "   ADD VALUE =",
      "      d1",
      "      d4",
      "   IN base.cfg",
      "   SET VALUE =",
      "      d2",
      "      d3",
      "      d5",
    ]);
  });
});

Deno.test("extending.txt: += in a plain and a conditional section of one file both apply (issue 656)", async () => {
  await withSample({
    "buildout.cfg": `[buildout]
extends =
    extension1.cfg
    extension2.cfg
parts =
`,
    "extension1.cfg": "[part1]\noption =\n    a\n    b\n",
    "extension2.cfg": `[part1]
option +=
    c
    d

[part1:False]
option +=
    z

[part1:True]
option +=
    e
`,
  }, async (s) => {
    assert.equal(await query(s, "part1:option"), "a\nb\nc\nd\ne");
  });
});

const B1 =
  "[buildout]\nextends = base.cfg\n\n[debug]\nop1 = b1 1\nop2 = b1 2\n";
const B2 =
  "[buildout]\nextends = base.cfg\n\n[debug]\nop2 = b2 2\nop3 = b2 3\n";
const MULTI = (b3: string) => ({
  "buildout.cfg":
    `[buildout]\nextends = b1.cfg b2.cfg ${b3}\n\n[debug]\nop = buildout\n`,
  "b1.cfg": B1,
  "b2.cfg": B2,
  "other/b3.cfg": "[buildout]\nextends = b3base.cfg\n\n[debug]\nop4 = b3 4\n",
  "other/b3base.cfg": "[debug]\nop5 = b3base 5\n",
  "base.cfg": "[buildout]\nparts =\n\n[debug]\nname = base\n",
});

const DEBUG_KEYS = ["name", "op", "op1", "op2", "op3", "op4", "op5"];

async function debugValues(
  s: Sample,
  keys: string[],
  ...assignments: string[]
): Promise<string[]> {
  const out: string[] = [];
  for (const k of keys) out.push(await query(s, `debug:${k}`, ...assignments));
  return out;
}

Deno.test("extending.txt: several extends, nested, relative to the extending file", async () => {
  await withTempB3(async (b3dir) => {
    await withSample(MULTI(join(b3dir, "b3.cfg")), async (s) => {
      // The doctest's b3.cfg lives outside the buildout; so does this one.
      assert.deepEqual(await debugValues(s, DEBUG_KEYS), [
        "base",
        "buildout",
        "b1 1",
        "b2 2",
        "b2 3",
        "b3 4",
        "b3base 5",
      ]);
    });
  });
});

/** A folder outside the buildout holding b3.cfg (which extends b3base.cfg). */
async function withTempB3(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.writeTextFile(
      join(dir, "b3.cfg"),
      "[buildout]\nextends = b3base.cfg\n\n[debug]\nop4 = b3 4\n",
    );
    await Deno.writeTextFile(
      join(dir, "b3base.cfg"),
      "[debug]\nop5 = b3base 5\n",
    );
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("extending.txt: buildout:extends given on the command line", async () => {
  await withSample(MULTI("other/b3.cfg"), async (s) => {
    await s.write(
      "buildout.cfg",
      "[buildout]\nextends = b1.cfg\n\n[debug]\nop = buildout\n",
    );
    assert.deepEqual(
      await debugValues(s, DEBUG_KEYS.slice(0, 5), "buildout:extends=b2.cfg"),
      ["base", "buildout", "b1 1", "b2 2", "b2 3"],
    );
    assert.deepEqual(
      await debugValues(s, DEBUG_KEYS, "buildout:extends=b2.cfg other/b3.cfg"),
      ["base", "buildout", "b1 1", "b2 2", "b2 3", "b3 4", "b3base 5"],
    );
  });
});

Deno.test("extending.txt: optional-extends is read only when the file exists", async () => {
  await withSample(MULTI("other/b3.cfg"), async (s) => {
    await s.write(
      "buildout.cfg",
      "[buildout]\nextends = b1.cfg\noptional-extends = optional.cfg\n\n[debug]\nop = buildout\n",
    );
    const r = await s.run("query", "debug:op2");
    assert.equal(r.code, 0);
    // query keeps stdout for the value (it is for shell scripts): the
    // warning zc.buildout prints on stdout goes to stderr here.
    assert.equal(r.stdout, "b1 2\n");
    assert.equal(r.stderr, "optional-extends file not found: optional.cfg\n");
    await s.write("optional.cfg", "[debug]\nop2 = optional2 2\n");
    const r2 = await s.run("query", "debug:op2");
    assert.equal(r2.stdout, "optional2 2\n");
  });
});

Deno.test("extending.txt: extends from a URL; its relative extends resolve against the URL", async () => {
  await withSample({
    "served/r1.cfg": "[debug]\nop1 = r1 1\nop2 = r1 2\n",
    "served/r2.cfg":
      "[buildout]\nextends = r1.cfg\n\n[debug]\nop2 = r2 2\nop3 = r2 3\n",
  }, async (s) => {
    const server = await startLinkServer(join(s.dir, "served"));
    try {
      await s.write(
        "client.cfg",
        `[buildout]\nparts =\nextends = ${server.url}r2.cfg\n\n[debug]\nname = base\n`,
      );
      const got: string[] = [];
      for (const k of ["name", "op1", "op2", "op3"]) {
        const r = await s.run("-c", "client.cfg", "query", `debug:${k}`);
        assert.equal(r.code, 0, r.stderr);
        got.push(r.stdout);
      }
      assert.deepEqual(got, [
        "base\n",
        "r1 1\n",
        "r2 2\n",
        "r2 3\n",
      ]);

      // A configuration file given as a URL: its directory must be set.
      await s.write(
        "served/remote.cfg",
        "[buildout]\nparts =\nextends = r2.cfg\n\n[debug]\nname = remote\n",
      );
      const remote = `${server.url}remote.cfg`;
      const bad = await s.run("-c", remote, "query", "debug:name");
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /Error: Missing option: buildout:directory\n$/);
      const ok = await s.run(
        "-c",
        remote,
        `buildout:directory=${s.dir}`,
        "query",
        "debug:op3",
      );
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, "r2 3\n");
      const name = await s.run(
        "-c",
        remote,
        `buildout:directory=${s.dir}`,
        "query",
        "debug:name",
      );
      assert.equal(name.stdout, "remote\n");
    } finally {
      await server.close();
    }
  });
});

Deno.test(
  {
    name:
      "extending.txt: a URL configuration without directory fails while initializing",
  },
  async () => {
    await withSample({
      "served/remote.cfg": "[buildout]\nparts =\n",
    }, async (s) => {
      const server = await startLinkServer(join(s.dir, "served"));
      try {
        const r = await s.run("-c", `${server.url}remote.cfg`);
        assert.equal(
          r.stderr,
          "While:\n  Initializing.\nError: Missing option: buildout:directory\n",
        );
      } finally {
        await server.close();
      }
    });
  },
);

Deno.test("extending.txt: user defaults from HOME/.buildout or BUILDOUT_HOME; -U skips them", async () => {
  await withSample({
    ...MULTI("other/b3.cfg"),
    "home/.buildout/default.cfg": "[debug]\nop1 = 1\nop7 = 7\n",
    "alterhome/default.cfg": "[debug]\nop1 = 1'\nop7 = 7'\nop8 = eight!\n",
  }, async (s) => {
    const home = { HOME: join(s.dir, "home") };
    const q = async (argv: string[], env: Record<string, string>) => {
      const r = await s.runEnv(argv, env);
      return r.code === 0 ? r.stdout : r.stderr;
    };
    // The buildout's own files win over the defaults (op1), which add op7.
    assert.equal(await q(["query", "debug:op1"], home), "b1 1\n");
    assert.equal(await q(["query", "debug:op7"], home), "7\n");
    assert.equal(
      await q(["-U", "query", "debug:op7"], home),
      "Error: Key not found: op7\n",
    );
    const alt = { ...home, BUILDOUT_HOME: join(s.dir, "alterhome") };
    assert.equal(await q(["query", "debug:op7"], alt), "7'\n");
    assert.equal(await q(["query", "debug:op8"], alt), "eight!\n");
    assert.equal(
      await q(["-U", "query", "debug:op8"], alt),
      "Error: Key not found: op8\n",
    );
  });
});

Deno.test("extending.txt: log-level = WARNING silences the progress messages", async () => {
  await withSample({
    "buildout.cfg":
      "[buildout]\nlog-level = WARNING\nparts = data\n\n[data]\nrecipe = mkdir\n",
  }, async (s) => {
    const r = await s.run();
    assert.equal(r.code, 0);
    assert.equal(r.stdout, "");
    assert.equal(await s.exists("parts/data"), true);
  });
});
