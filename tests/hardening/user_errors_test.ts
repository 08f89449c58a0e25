import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";

async function run(cfg: string) {
  let result = { code: -1, stdout: "", stderr: "" };
  await withTempDir(async (b) => {
    await Deno.writeTextFile(join(b, "buildout.cfg"), cfg);
    result = await runCli(["-U"], { cwd: b });
    assert.equal(
      await Deno.lstat(join(b, ".installed.cfg")).then(() => 1, () => 0),
      0,
      "nothing recorded",
    );
  });
  return result;
}

Deno.test("a NUL byte in a path option is one Error line, exit 1", async () => {
  const r = await run(
    "[buildout]\nparts = x\n\n[x]\nrecipe = z3c.recipe.mkdir\npaths = a\0b\n",
  );
  assert.equal(r.code, 1, r.stderr);
  assert.equal(
    r.stderr,
    "While:\n  Installing x.\nError: file name contained an unexpected NUL byte: lstat '" +
      r.stderr.split("lstat '")[1],
  );
  assert.match(r.stderr, /a\\0b'\n$/);
  assert.doesNotMatch(r.stderr, /internal error/);
});

Deno.test("a NUL byte in a part name is one Error line, exit 1", async () => {
  const r = await run(
    "[buildout]\nparts = a\0b\n\n[a\0b]\nrecipe = z3c.recipe.mkdir\n",
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^Error: Part name contains a NUL character\.$/m);
});

Deno.test("an over-long path value is one Error line naming the action and path, exit 1", async () => {
  const r = await run(
    `[buildout]\nparts = x\n\n[x]\nrecipe = z3c.recipe.mkdir\npaths = ${
      "a".repeat(5000)
    }\n`,
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^While:\n  Installing x\.\nError: File name too long \(os error 36\): \w+ '.*\/a{5000}'\n$/,
  );
});
