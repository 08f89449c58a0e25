import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  applyOp,
  parseConfig,
  parseOptionLine,
  parseSections,
} from "../../src/config/parse.ts";
import { pyListRepr, pyRepr } from "../../src/pyrepr.ts";

const F = "/w/buildout.cfg";

function values(text: string): Record<string, Record<string, string>> {
  return parseSections(text, F);
}

function parseError(text: string): string {
  try {
    parseConfig(text, F);
  } catch (err) {
    assert.ok(err instanceof UserError, `not a UserError: ${err}`);
    return err.message;
  }
  assert.fail("no error");
}

Deno.test("sections, options, file order and lines", () => {
  const f = parseConfig("[buildout]\nparts = a\n\n[a]\nrecipe = x\n", F);
  assert.deepEqual(f, {
    filename: F,
    sections: [
      {
        name: "buildout",
        line: 1,
        options: [{ key: "parts", op: "=", value: "a", line: 2 }],
      },
      {
        name: "a",
        line: 4,
        options: [{ key: "recipe", op: "=", value: "x", line: 5 }],
      },
    ],
  });
});

Deno.test("column-0 comments are skipped and do not end a value", () => {
  assert.deepEqual(values("# top\n[s]\n; c\nk = v\n#c\n  more\n"), {
    s: { k: "v\nmore" },
  });
});

Deno.test("no inline comments; indented # lines belong to the value", () => {
  assert.deepEqual(values("[s]\na = 1 # x\nb = x\n  # y\n"), {
    s: { a: "1 # x", b: "x\n# y" },
  });
});

Deno.test("header trailing comments and surrounding whitespace", () => {
  assert.deepEqual(values("[ s ] # note\nk = 1\n[t];x\nk = 2\n"), {
    s: { k: "1" },
    t: { k: "2" },
  });
});

Deno.test("keys and section names are case-sensitive", () => {
  assert.deepEqual(values("[P1]\nKey = 1\nkey = 2\n[p1]\nk = 3\n"), {
    P1: { Key: "1", key: "2" },
    p1: { k: "3" },
  });
});

Deno.test("a repeated header merges; later plain assignments win", () => {
  assert.deepEqual(values("[s]\na = 1\nb = 1\n[t]\n[s]\nb = 2\nc = 3\n"), {
    s: { a: "1", b: "2", c: "3" },
    t: {},
  });
});

Deno.test("Mode A: continuation lines stripped, blank ones dropped", () => {
  assert.deepEqual(values("[s]\nk = a\n    b\n\n    c\nn = 1\n"), {
    s: { k: "a\nb\nc", n: "1" },
  });
});

Deno.test("Mode B: dedented, blank lines inside kept, trailing/leading blanks removed", () => {
  const text =
    "[s]\ncode =\n\n    if x:\n        y = 1\n\n    return\n\n\nn = 1\n";
  assert.deepEqual(values(text), {
    s: { code: "if x:\n    y = 1\n\nreturn", n: "1" },
  });
});

Deno.test("Mode B: indented # lines count toward the margin", () => {
  assert.deepEqual(values("[s]\nk =\n  # c\n    x\n"), {
    s: { k: "# c\n  x" },
  });
});

Deno.test("empty value and \\r\\n line endings", () => {
  assert.deepEqual(values("[s]\r\nk =\r\nj = 1 \r\n  2\r\n"), {
    s: { k: "", j: "1\n2" },
  });
});

Deno.test("a UTF-8 BOM is ignored", () => {
  assert.deepEqual(values("\uFEFF[s]\nk = v\n"), { s: { k: "v" } });
});

Deno.test("operators are tokenized independently of whitespace", () => {
  for (const line of ["k+=v", "k += v", "k+ = v", "k +=v"]) {
    assert.deepEqual(
      parseOptionLine(line),
      { key: "k", op: "+=", value: "v" },
      line,
    );
  }
  for (const line of ["k-=v", "k -= v"]) {
    assert.deepEqual(
      parseOptionLine(line),
      { key: "k", op: "-=", value: "v" },
      line,
    );
  }
  assert.deepEqual(parseOptionLine("a+b=c"), {
    key: "a+b",
    op: "=",
    value: "c",
  });
  assert.deepEqual(parseOptionLine("x.y/z@w-1 = 2"), {
    key: "x.y/z@w-1",
    op: "=",
    value: "2",
  });
});

Deno.test("=> is <part-dependencies>, <= is the macro key", () => {
  assert.deepEqual(values("[s]\n=> a b\n<= m\n"), {
    s: { "<part-dependencies>": "a b", "<": "m" },
  });
});

Deno.test("key: value is accepted when the key has no spaces", () => {
  assert.deepEqual(values("[s]\nkey: value\nurl: http://h/x = 1\n"), {
    s: { key: "value", url: "http://h/x = 1" },
  });
  assert.deepEqual(parseOptionLine("recipe = zc.recipe.egg:scripts"), {
    key: "recipe",
    op: "=",
    value: "zc.recipe.egg:scripts",
  });
});

Deno.test("repeats in one file: += accumulate, = cancels earlier +=", () => {
  assert.deepEqual(
    values("[s]\na += 1\na += 2\nb += 1\nb = 2\nc = 1\nc += 2\n"),
    {
      s: { a: "1\n2", b: "2", c: "1\n2" },
    },
  );
});

Deno.test("conditional headers keep their expression, escapes undone", () => {
  const f = parseConfig(
    "[s:linux and 'a\\x23b' != '\\x3b']\nk = 1\n[t: ]\n",
    F,
  );
  assert.equal(f.sections[0].name, "s");
  assert.equal(f.sections[0].condition, "linux and 'a#b' != ';'");
  assert.equal(f.sections[1].condition, undefined);
});

Deno.test("bracketed expressions are part of the condition", () => {
  const f = parseConfig('[s: sys_platform in ["linux"]] # c\n', F);
  assert.equal(f.sections[0].condition, 'sys_platform in ["linux"]');
});

Deno.test("malformed lines are collected with buildout's text", () => {
  const text = "[s]\nk = 1\nthis is bad\nok = 2\nx y = 2\nkey = v\n[a] junk\n";
  assert.equal(
    parseError(text),
    "File contains parsing errors: /w/buildout.cfg" +
      "\n\t[line  3]: 'this is bad\\n'" +
      "\n\t[line  5]: 'x y = 2\\n'" +
      "\n\t[line  7]: '[a] junk\\n'",
  );
});

Deno.test("a line starting with =, an indented line right after a header", () => {
  assert.equal(
    parseError("[s]\n= 1\n[t]\n  indented\n"),
    "File contains parsing errors: /w/buildout.cfg" +
      "\n\t[line  2]: '= 1\\n'\n\t[line  4]: '  indented\\n'",
  );
});

Deno.test("line numbers above 99 and a last line without newline", () => {
  const text = "[s]\n" + "k = 1\n".repeat(99) + "bad";
  assert.equal(
    parseError(text),
    "File contains parsing errors: /w/buildout.cfg\n\t[line 101]: 'bad'",
  );
});

Deno.test("an option before any header", () => {
  assert.equal(
    parseError("\n# c\nk = v\n[s]\n"),
    "File contains no section headers.\nfile: /w/buildout.cfg, line: 3\n'k = v\\n'",
  );
});

Deno.test("applyOp works by line; no base: += is =, -= gives ''; an empty base is an empty line", () => {
  assert.equal(applyOp("a1 a2\nb", "-=", "a1"), "a1 a2\nb");
  assert.equal(applyOp("a\nb\na", "-=", "a"), "b");
  assert.equal(applyOp("a", "+=", "b\nc"), "a\nb\nc");
  assert.equal(applyOp(undefined, "+=", "x"), "x");
  assert.equal(applyOp(undefined, "-=", "x"), "");
  // buildout splits an empty value into one empty line: the result starts with a newline.
  assert.equal(applyOp("", "+=", "x"), "\nx");
  assert.equal(applyOp("a", "+=", ""), "a\n");
  assert.equal(applyOp("\na\nb", "-=", "a"), "\nb");
  assert.equal(applyOp("a\n\nb", "-=", ""), "a\nb");
});

Deno.test("parseSections drops conditional blocks unless kept", () => {
  const text = "[s]\nk = 1\n[s:yes]\nk = 2\n";
  assert.deepEqual(parseSections(text, F), { s: { k: "1" } });
  assert.deepEqual(parseSections(text, F, (c) => c === "yes"), {
    s: { k: "2" },
  });
});

Deno.test("pyRepr quotes like Python", () => {
  assert.equal(pyRepr("a'b"), `"a'b"`);
  assert.equal(pyRepr(`a'b"`), `'a\\'b"'`);
  assert.equal(pyRepr("t\tx\\"), "'t\\tx\\\\'");
  assert.equal(pyListRepr(["/a", "/b"]), "['/a', '/b']");
});
