/**
 * mr.developer at install: auto-checkout clones, branch/rev/pushurl/path
 * honoured, egg sources become develop eggs a zc.recipe.egg part uses, fs
 * sources, annotate shows what is added.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import {
  git,
  gitEnv,
  lines,
  makeRepo,
  project,
  writeFiles,
} from "./support.ts";

const dec = new TextDecoder();

Deno.test("auto-checkout clones an egg source; a zc.recipe.egg part runs it as a develop egg", async () => {
  await withTempDir(async (dir) => {
    const repos = join(dir, "repos");
    const url = await makeRepo(repos, "pkg", dir);
    await Deno.mkdir(join(dir, "empty"));
    await writeFiles(dir, {
      "buildout.cfg": "[buildout]\nextensions = mr.developer\n" +
        `auto-checkout = pkg\nparts = app\nindex = ${dir}/empty\n\n` +
        `[sources]\npkg = git ${url}\n\n` +
        "[app]\nrecipe = zc.recipe.egg\neggs = pkg\n",
    });
    const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
    let r = await runCli([], { cwd: dir, env });
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), [
      `Creating directory '${dir}/eggs'.`,
      `mr.developer: Creating missing sources dir ${dir}/src.`,
      "mr.developer: Queued 'pkg' for checkout.",
      `mr.developer: Cloned 'pkg' with git from '${url}'.`,
      `Creating directory '${dir}/bin'.`,
      `Creating directory '${dir}/parts'.`,
      `Creating directory '${dir}/develop-eggs'.`,
      `Develop: '${dir}/src/pkg'`,
      "Installing app.",
      `Generated script '${dir}/bin/pkg'.`,
      `Generated script '${dir}/bin/develop'.`,
    ]);
    const out = await new Deno.Command(join(dir, "bin", "pkg")).output();
    assert.equal(dec.decode(out.stdout), "v2\n");
    assert.equal(
      await Deno.readTextFile(join(dir, ".mr.developer.cfg")),
      "[develop]\npkg = auto\n",
    );
    // A second run leaves the checkout alone.
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      "mr.developer: Queued 'pkg' for checkout.",
      "mr.developer: Skipped checkout of existing package 'pkg'.",
      `Develop: '${dir}/src/pkg'`,
      "Updating app.",
    ]);
    // annotate shows the entry the extension adds.
    r = await runCli(["annotate", "buildout"], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\ndevelop= src\/pkg\n {4}DEFAULT_VALUE\n\+= {2}mr\.developer\n/,
    );
  });
});

Deno.test("branch=, rev=, pushurl=, path= and full-path= are honoured; egg=false stays out of develop", async () => {
  await withTempDir(async (dir) => {
    const repos = join(dir, "repos");
    const url = await makeRepo(repos, "pkg", dir);
    await writeFiles(dir, {
      "buildout.cfg": "[buildout]\nextensions = mr.developer\n" +
        "auto-checkout = *\nparts =\n\n" +
        "[sources]\n" +
        `onbranch = git ${url} branch=dev egg=false\n` +
        `atrev = git ${url} rev=v1 egg=false path=elsewhere\n` +
        `pushy = git ${url} pushurl=ssh://example.invalid/pkg.git egg=false full-path=${dir}/exact\n`,
    });
    const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
    const r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.deepEqual(lines(r.stdout).slice(1, 10), [
      `mr.developer: Creating missing sources dir ${dir}/src.`,
      "mr.developer: Queued 'atrev' for checkout.",
      `mr.developer: Cloned 'atrev' with git from '${url}'.`,
      "mr.developer: Switching to rev 'v1'.",
      "mr.developer: Queued 'onbranch' for checkout.",
      `mr.developer: Cloned 'onbranch' with git using branch 'dev' from '${url}'.`,
      "mr.developer: Queued 'pushy' for checkout.",
      `mr.developer: Cloned 'pushy' with git from '${url}'.`,
      `Creating directory '${dir}/bin'.`,
    ]);
    const label = (p: string) => Deno.readTextFile(join(p, "pkg.py"));
    assert.match(await label(join(dir, "src", "onbranch")), /'dev'/);
    assert.match(await label(join(dir, "elsewhere", "atrev")), /'v1'/);
    assert.match(await label(join(dir, "exact")), /'v2'/);
    assert.equal(
      (await git(join(dir, "exact"), dir, "config", "remote.origin.pushurl"))
        .trim(),
      "ssh://example.invalid/pkg.git",
    );
    assert.ok(!r.stdout.includes("Develop:"));
    assert.equal(
      await Deno.readTextFile(join(dir, ".mr.developer.cfg")),
      "[develop]\n",
    );
  });
});

Deno.test("fs sources: an existing folder becomes a develop egg; a missing one is an error", async () => {
  await withTempDir(async (dir) => {
    await writeFiles(join(dir, "src", "local"), project("local", "here"));
    const cfg = (name: string) =>
      writeFiles(dir, {
        "buildout.cfg": "[buildout]\nextensions = mr.developer\n" +
          `auto-checkout = ${name}\nparts =\n\n` +
          `[sources]\n${name} = fs ${name}\n`,
      });
    const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
    await cfg("local");
    let r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(1, 3), [
      "mr.developer: Queued 'local' for checkout.",
      "mr.developer: Filesystem package 'local' doesn't need a checkout.",
    ]);
    assert.ok(r.stdout.includes(`Develop: '${dir}/src/local'\n`), r.stdout);
    await cfg("gone");
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), [
      "While:",
      "  Installing.",
      "  Loading extensions.",
      `Error: Directory '${dir}/src/gone' for package 'gone' doesn't exist. ` +
      "Check in the documentation if you need to add/change a 'sources-dir' " +
      "option in your [buildout] section or a 'path' option in [sources].",
    ]);
  });
});

Deno.test("bad source lines and a missing other extension are one Error line", async () => {
  await withTempDir(async (dir) => {
    const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
    const run = async (extra: string, sources: string) => {
      await writeFiles(dir, {
        "buildout.cfg":
          `[buildout]\nextensions = mr.developer\nparts =\n${extra}\n` +
          `[sources]\n${sources}\n`,
      });
      const r = await runCli([], { cwd: dir, env });
      assert.equal(r.code, 1);
      return lines(r.stderr).at(-1);
    };
    assert.equal(
      await run("", "x = svn http://h/x"),
      "Error: Unknown repository type 'svn' for source 'x'.",
    );
    assert.equal(
      await run("", "x = git"),
      "Error: The source definition of 'x' needs at least the repository kind and URL.",
    );
    assert.equal(
      await run("", "x = git file:///r branch=a rev=b"),
      "Error: Cannot specify both branch (a) and rev/revision (b) in source for x",
    );
    assert.equal(
      await run("auto-checkout = y z\n", "x = git file:///r"),
      "Error: The packages 'y' and 'z' from auto-checkout have no source information.",
    );
    assert.equal(
      await run("always-checkout = sometimes\n", "x = git file:///r"),
      "Error: Unknown value 'sometimes' for always-checkout option.",
    );
    assert.equal(
      await run("extensions = mr.developer other.ext\noffline = true\n", ""),
      "and can't install one in offline (no-install) mode.",
    );
  });
});
