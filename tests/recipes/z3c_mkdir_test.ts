import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { parseOctal } from "../../src/recipes/z3c_mkdir.ts";

async function build(dir: string, part: string) {
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nparts = mydir\n\n[mydir]\nrecipe = z3c.recipe.mkdir\n${part}`,
  );
  const r = await runCli(["-U"], { cwd: dir });
  return { ...r, out: r.stdout.replaceAll(dir, "/B") };
}

const isDir = (p: string) =>
  Deno.stat(p).then((s) => s.isDirectory, () => false);
const modeOf = async (p: string) => (await Deno.stat(p)).mode! & 0o777;
const installed = (dir: string) =>
  Deno.readTextFile(join(dir, ".installed.cfg"));

Deno.test("z3c.recipe.mkdir: default path, kept when the part goes, no-op rerun", () =>
  withTempDir(async (dir) => {
    let r = await build(dir, "");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.out,
      /Installing mydir\.\nmydir: created path: \/B\/parts\/mydir\n/,
    );
    assert.ok(await isDir(join(dir, "parts/mydir")));
    // options it sets, recorded; no paths recorded without remove-on-update
    const rec = await installed(dir);
    assert.match(rec, /^paths = .*\/parts\/mydir$/m);
    assert.match(rec, /^create-intermediate = True$/m);
    assert.match(rec, /^remove-on-update = False$/m);
    assert.match(rec, /^__buildout_installed__ = *$/m);

    r = await build(dir, "");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.out,
      "Updating mydir.\nmydir: set permissions for /B/parts/mydir\n",
    );

    // another path: the old directory (and what is in it) stays
    await Deno.writeTextFile(join(dir, "parts/mydir/data"), "keep");
    r = await build(dir, "paths = ${buildout:parts-directory}/other\n");
    assert.match(
      r.out,
      /Uninstalling mydir\.\nInstalling mydir\.\nmydir: created path: \/B\/parts\/other\n/,
    );
    assert.equal(
      await Deno.readTextFile(join(dir, "parts/mydir/data")),
      "keep",
    );
  }));

Deno.test("z3c.recipe.mkdir: remove-on-update records and removes what it created", () =>
  withTempDir(async (dir) => {
    let r = await build(dir, "remove-on-update = true\npaths = newdir/a\n");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.out,
      /mydir: created path: \/B\/newdir\nmydir: created path: \/B\/newdir\/a\n/,
    );
    assert.match(await installed(dir), /^remove-on-update = True$/m);
    r = await build(dir, "remove-on-update = true\npaths = newdir2\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await isDir(join(dir, "newdir")), false);
    assert.ok(await isDir(join(dir, "newdir2")));
    // dropping the part removes it too
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      "[buildout]\nparts =\n",
    );
    const u = await runCli(["-U"], { cwd: dir });
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /Uninstalling mydir\./);
    assert.equal(await isDir(join(dir, "newdir2")), false);
  }));

Deno.test("z3c.recipe.mkdir: several paths, normalized, sorted, intermediate folders", () =>
  withTempDir(async (dir) => {
    const r = await build(
      dir,
      "paths =\n    root/dir2/\n\n    root/foo/../dir1/.\n    top/x/y\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.out.split("\n").filter((l) => l.startsWith("mydir:")).join("\n"),
      [
        "mydir: created path: /B/root",
        "mydir: created path: /B/root/dir1",
        "mydir: created path: /B/root/dir2",
        "mydir: created path: /B/top",
        "mydir: created path: /B/top/x",
        "mydir: created path: /B/top/x/y",
      ].join("\n"),
    );
    assert.equal(await isDir(join(dir, "root/foo")), false);
    const q = await runCli(["-U", "query", "mydir:paths"], { cwd: dir });
    assert.equal(
      q.stdout,
      ["root/dir1", "root/dir2", "top/x/y"].map((p) => join(dir, p)).join(
        "\n",
      ) +
        "\n",
    );
  }));

Deno.test("z3c.recipe.mkdir: create-intermediate = no needs the parent", () =>
  withTempDir(async (dir) => {
    let r = await build(
      dir,
      "paths = etc/myapp\n   etc/myapp/conf.d\ncreate-intermediate = no\nmode = 750\n",
    );
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.replaceAll(dir, "/B"),
      "While:\n  Installing mydir.\nError: Cannot create: /B/etc/myapp\n" +
        "       Parent does not exist or not a directory.\n",
    );
    assert.equal(await isDir(join(dir, "etc")), false);
    await Deno.mkdir(join(dir, "etc"));
    r = await build(
      dir,
      "paths = etc/myapp/conf.d\n   etc/myapp\ncreate-intermediate = no\nmode = 750\n",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.out,
      /mydir: created path: \/B\/etc\/myapp\nmydir: {3}mode 0750\nmydir: created path: \/B\/etc\/myapp\/conf.d\nmydir: {3}mode 0750\n/,
    );
    assert.equal(await modeOf(join(dir, "etc/myapp/conf.d")), 0o750);
    assert.match(await installed(dir), /^mode = 0o750$/m);
  }));

Deno.test("z3c.recipe.mkdir: mode on created folders; an update sets it on the leaf only", () =>
  withTempDir(async (dir) => {
    let r = await build(dir, "paths = my/new/dir\nmode = 700\n");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.split("mydir:   mode 0700").length - 1, 3);
    for (const p of ["my", "my/new", "my/new/dir"]) {
      assert.equal(await modeOf(join(dir, p)), 0o700, p);
    }
    r = await build(dir, "paths = my/new/dir\nmode = 0750\n");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.out,
      /Installing mydir\.\nmydir: set permissions for \/B\/my\/new\/dir\nmydir: {3}mode 0750\n/,
    );
    assert.equal(await modeOf(join(dir, "my/new/dir")), 0o750);
    assert.equal(await modeOf(join(dir, "my/new")), 0o700);
  }));

Deno.test("z3c.recipe.mkdir: user and group by name", () =>
  withTempDir(async (dir) => {
    const uid = Deno.uid()!;
    const gid = Deno.gid()!;
    const name = (file: string, id: number) =>
      Deno.readTextFileSync(file).split("\n").map((l) => l.split(":"))
        .find((f) => Number(f[2]) === id)?.[0];
    const user = name("/etc/passwd", uid);
    const group = name("/etc/group", gid);
    if (!user || !group) return; // ids without names: nothing to look up
    let r = await build(dir, `paths = d\nuser = ${user}\ngroup = ${group}\n`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.out,
      new RegExp(`mydir:   user '${user}', group '${group}'\\n`),
    );
    r = await build(dir, "paths = d2\nuser = no-such-user-x\n");
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^Error: Unknown user 'no-such-user-x' in option 'user' of part 'mydir'\.$/m,
    );
    assert.equal(await isDir(join(dir, "d2")), false);
  }));

Deno.test("z3c.recipe.mkdir: a file in the way, bad values", () =>
  withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "rootdir2"));
    await Deno.writeTextFile(join(dir, "rootdir2/somefile"), "blah\n");
    let r = await build(dir, "paths = rootdir2/somefile/foo\n");
    assert.equal(r.code, 1);
    assert.match(
      r.stderr.replaceAll(dir, "/B"),
      /^Error: Cannot create directory: \/B\/rootdir2\/somefile\. It's a file\.$/m,
    );
    r = await build(dir, "mode = 8x\n");
    assert.match(r.stderr, /^Error: 'mode' must be an octal number: 8x$/m);
    r = await build(dir, "remove-on-update = perhaps\n");
    assert.match(
      r.stderr,
      /^Error: Invalid value for 'remove-on-update' option: 'perhaps'$/m,
    );
  }));

Deno.test("parseOctal", () => {
  assert.equal(parseOctal("0o755"), 0o755);
  assert.equal(parseOctal(" 0750 "), 0o750);
  assert.throws(() => parseOctal("75a"), /must be an octal number: 75a/);
});
