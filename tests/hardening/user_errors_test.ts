import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeZip } from "../../tools/wheel_writer.ts";

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
    "[buildout]\nparts = x\n\n[x]\nrecipe = mkdir\npaths = a\0b\n",
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
    "[buildout]\nparts = a\0b\n\n[a\0b]\nrecipe = mkdir\n",
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^Error: Part name contains a NUL character\.$/m);
});

Deno.test("an over-long path value is one Error line naming the action and path, exit 1", async () => {
  const r = await run(
    `[buildout]\nparts = x\n\n[x]\nrecipe = mkdir\npaths = ${
      "a".repeat(5000)
    }\n`,
  );
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^While:\n {2}Installing x\.\nError: File name too long \(os error 36\): \w+ '.*\/a{5000}'\n$/,
  );
});

Deno.test("a wheel whose RECORD names a folder is refused with one line; nothing installed", () =>
  withTempDir(async (b) => {
    const links = join(b, "links");
    await Deno.mkdir(links);
    const empty = "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0";
    await Deno.writeFile(
      join(links, "evil-1.0-py3-none-any.whl"),
      await writeZip([
        { name: "pkg/__init__.py", data: "X = 1\n" },
        {
          name: "evil-1.0.dist-info/METADATA",
          data: "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n\n",
        },
        {
          name: "evil-1.0.dist-info/WHEEL",
          data:
            "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n",
        },
        {
          name: "evil-1.0.dist-info/RECORD",
          data: `pkg,${empty}\nevil-1.0.dist-info/RECORD,,\n`,
        },
      ]),
    );
    await Deno.writeTextFile(
      join(b, "buildout.cfg"),
      `[buildout]\nparts = x\nfind-links = ${links}\nindex = ${b}/none\n\n` +
        "[x]\nrecipe = zc.recipe.egg:eggs\neggs = evil\n",
    );
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr,
      "While:\n  Installing x.\n  Getting distribution for 'evil'.\n" +
        "Error: evil-1.0-py3-none-any.whl is damaged: pkg is listed in RECORD as a file but is a folder.\n",
    );
    const eggs: string[] = [];
    for await (const e of Deno.readDir(join(b, "eggs"))) eggs.push(e.name);
    assert.deepEqual(eggs.filter((n) => !n.startsWith(".")), []);
  }));
