import assert from "node:assert/strict";
import { pyRepr } from "../src/pyrepr.ts";

Deno.test("pyRepr: quotes and backslashes as Python spells them", () => {
  assert.equal(
    pyRepr("/b/eggs/demo-0.2-py3.11.egg"),
    "'/b/eggs/demo-0.2-py3.11.egg'",
  );
  assert.equal(pyRepr("/ba'r"), `"/ba'r"`);
  assert.equal(pyRepr(`/a'b"c`), `'/a\\'b"c'`);
  assert.equal(pyRepr("C:\\eggs"), "'C:\\\\eggs'");
  assert.equal(pyRepr("/tmp/naïve"), "'/tmp/naïve'");
  assert.equal(pyRepr("a\tb\nc"), "'a\\tb\\nc'");
});

Deno.test("pyRepr agrees with python3's repr() on awkward paths", async () => {
  const samples = [
    "",
    "plain",
    "it's",
    'say "hi"',
    `both ' and "`,
    "back\\slash",
    "tab\tnl\ncr\r",
    "bell\x07 del\x7f",
    "nbsp\xa0 soft\xad",
    "zero\u200bwidth",
    "line\u2028sep",
    "ünïcødé/日本語",
    "emoji 🐍",
    "private \ue000",
    "lone \ud800 surrogate",
    "space ok",
  ];
  const out = await new Deno.Command("python3", {
    env: { PYTHONIOENCODING: "utf-8" },
    args: [
      "-c",
      "import json,sys\nfor s in json.load(sys.stdin): print(repr(s))",
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const w = out.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(samples)));
  await w.close();
  const { stdout } = await out.output();
  const expected = new TextDecoder().decode(stdout).trimEnd().split("\n");
  assert.deepEqual(samples.map(pyRepr), expected);
});
