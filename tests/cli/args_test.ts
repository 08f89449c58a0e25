import assert from "node:assert/strict";
import { parseArgs } from "../../src/cli/args.ts";
import { UsageError } from "../../src/errors.ts";

const b = (option: string, value: string, op = "=") => ({
  section: "buildout",
  option,
  op,
  value,
});

Deno.test("no arguments: install, nothing assigned", () => {
  const a = parseArgs([]);
  assert.equal(a.command, "install");
  assert.deepEqual(a.args, []);
  assert.deepEqual(a.assignments, []);
  assert.equal(a.options.userDefaults, true);
});

Deno.test("-c FILE, -cFILE and -vcFILE", () => {
  assert.equal(parseArgs(["-c", "x.cfg"]).options.configFile, "x.cfg");
  assert.equal(parseArgs(["-cx.cfg"]).options.configFile, "x.cfg");
  const a = parseArgs(["-vcx.cfg", "query", "a"]);
  assert.equal(a.options.configFile, "x.cfg");
  assert.equal(a.options.verbosity, 1);
  assert.equal(a.command, "query");
});

Deno.test("clustered flags become assignments in order, verbosity last", () => {
  const a = parseArgs(["-vvN", "-o", "-U", "-q", "-O", "-n"]);
  assert.deepEqual(a.assignments, [
    b("newest", "false"),
    b("offline", "true"),
    b("offline", "false"),
    b("newest", "true"),
    b("verbosity", "10"),
  ]);
  assert.equal(a.options.verbosity, 1);
  assert.equal(a.options.quiet, true);
  assert.equal(a.options.userDefaults, false);
});

Deno.test("-t SECONDS and -t5 (W11: the value is attached)", () => {
  assert.deepEqual(parseArgs(["-t", "5"]).assignments, [
    b("socket-timeout", "5"),
  ]);
  const a = parseArgs(["-t5", "annotate"]);
  assert.deepEqual(a.assignments, [b("socket-timeout", "5")]);
  assert.equal(a.command, "annotate");
});

Deno.test("assignments: default section, +=, -=, new sections", () => {
  const a = parseArgs(["parts=a b", "p1:foo+=bar", "develop -= x", "s:k= v "]);
  assert.deepEqual(a.assignments, [
    b("parts", "a b"),
    { section: "p1", option: "foo", op: "+=", value: "bar" },
    b("develop", "x", "-="),
    { section: "s", option: "k", op: "=", value: "v" },
  ]);
});

Deno.test("the first word is the command; the rest are its arguments", () => {
  const a = parseArgs(["-N", "install", "-v", "a=b", "p2"]);
  assert.equal(a.command, "install");
  assert.deepEqual(a.args, ["-v", "a=b", "p2"]);
  assert.equal(a.options.verbosity, 0);
});

Deno.test("help and version flags", () => {
  assert.equal(parseArgs(["-h"]).options.help, true);
  assert.equal(parseArgs(["--help"]).options.help, true);
  assert.equal(parseArgs(["--version"]).options.version, true);
  assert.equal(parseArgs(["-W"]).options.help, true);
  assert.equal(parseArgs(["-A"]).options.help, true);
  assert.equal(parseArgs(["-D"]).options.debug, true);
});

Deno.test("usage errors have buildout's texts (W11 fixed)", () => {
  const cases: [string[], string][] = [
    [["-c"], "No file name specified for option -c"],
    [["-t"], "No timeout value specified for option -t"],
    [["-tfive"], "Timeout value must be numeric: 'five'"],
    [["-x"], "Invalid option -x"],
    [["-vx"], "Invalid option -x"],
    [["--foo"], "Invalid option --foo"],
    [
      ["a:b:c=x"],
      "Invalid assignment 'a:b:c=x': expected [section:]option=value",
    ],
    [["=x"], "Invalid assignment '=x': expected [section:]option=value"],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseArgs(argv), (err: unknown) => {
      assert.ok(err instanceof UsageError);
      assert.equal(err.message, message);
      return true;
    });
  }
});
