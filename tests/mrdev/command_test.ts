/**
 * `buildout develop ...` (mr.developer's commands) and the generated
 * `bin/develop`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { gitEnv, lines, makeRepo, writeFiles } from "./support.ts";

async function setup(dir: string) {
  const repos = join(dir, "repos");
  const url = await makeRepo(repos, "pkg", dir);
  const url2 = await makeRepo(repos, "other", dir);
  await writeFiles(dir, {
    "buildout.cfg": "[buildout]\nextensions = mr.developer\n" +
      "auto-checkout = pkg\nparts =\n\n" +
      `[sources]\npkg = git ${url}\nother = git ${url2}\n` +
      "notegg = fs notegg egg=false\n",
  });
  await Deno.mkdir(join(dir, "src", "notegg"), { recursive: true });
  const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
  const develop = (...args: string[]) =>
    runCli(["develop", ...args], { cwd: dir, env });
  return { url, url2, env, develop };
}

Deno.test("develop list, status, checkout, activate, deactivate, reset, update", async () => {
  await withTempDir(async (dir) => {
    const { url, url2, env, develop } = await setup(dir);
    let r = await develop("list");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "notegg\nother\npkg\n");
    r = await develop("ls", "-s", "-l");
    assert.equal(
      r.stdout,
      `~ (fs) notegg notegg\n# (git) other ${url2}\n! (git) pkg ${url}\n`,
    );
    // Missing auto-checkout source: '!'.
    r = await develop("status");
    assert.equal(r.stdout, "~     notegg\n!     pkg\n");
    // The buildout run checks pkg out; status shows it clean and active.
    assert.equal((await runCli([], { cwd: dir, env })).code, 0);
    r = await develop("st");
    assert.equal(r.stdout, "~     notegg\n      pkg\n");
    // A modified file: 'M'; a stray folder in src: '?'.
    await Deno.writeTextFile(join(dir, "src", "pkg", "pkg.py"), "changed\n");
    await Deno.mkdir(join(dir, "src", "stray"));
    r = await develop("status");
    assert.equal(r.stdout, "~     notegg\n  M   pkg\n?     stray\n");
    r = await develop("status", "-v", "pkg");
    assert.deepEqual(lines(r.stdout), [
      "  M   pkg",
      "      ## master...origin/master",
      "       M pkg.py",
    ]);
    // checkout another source: cloned and activated.
    r = await develop("co", "oth");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stderr), [
      "INFO: Queued 'other' for checkout.",
      `INFO: Cloned 'other' with git from '${url2}'.`,
      "INFO: Activated 'other'.",
      "WARNING: Don't forget to run buildout again, so the checked out packages are used as develop eggs.",
    ]);
    assert.equal(
      await Deno.readTextFile(join(dir, ".mr.developer.cfg")),
      "[develop]\nother = true\npkg = auto\n",
    );
    r = await develop("deactivate", "other", "notegg");
    assert.deepEqual(lines(r.stderr), [
      "WARNING: The package 'notegg' isn't an egg.",
      "INFO: Deactivated 'other'.",
      "WARNING: Don't forget to run buildout again, so the deactived packages are actually not used anymore.",
    ]);
    r = await develop("status", "other");
    assert.equal(r.stdout, "~   - other\n");
    r = await develop("activate", "other");
    assert.deepEqual(lines(r.stderr), [
      "INFO: Activated 'other'.",
      "WARNING: Don't forget to run buildout again, so the actived packages are actually used.",
    ]);
    r = await develop("reset", "other");
    assert.deepEqual(lines(r.stderr), [
      "INFO: Reset develop state of 'other'.",
      "WARNING: Don't forget to run buildout again, so the deactived packages are actually not used anymore.",
    ]);
    assert.equal(
      await Deno.readTextFile(join(dir, ".mr.developer.cfg")),
      "[develop]\npkg = auto\n",
    );
    // update: the dirty checkout is skipped, the clean one fetched and merged.
    r = await develop("up");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stderr), [
      "INFO: Queued 'notegg' for update.",
      "INFO: Filesystem package 'notegg' doesn't need update.",
      "INFO: Queued 'other' for update.",
      "INFO: Updated 'other' with git.",
      "INFO: Switching to branch 'master'.",
      "WARNING: The package 'pkg' is dirty.",
      "INFO: Skipped update of 'pkg'.",
    ]);
    // Unknown names and missing arguments.
    r = await develop("activate", "nomatch");
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: No package matched 'nomatch'.",
    );
    r = await develop("activate");
    assert.equal(r.code, 2);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: develop activate: the following arguments are required: package-regexp",
    );
    r = await develop("frob");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Error: develop: invalid choice: 'frob'/);
  });
});

Deno.test("bin/develop runs this tool's develop command for the buildout", async () => {
  await withTempDir(async (dir) => {
    const { env } = await setup(dir);
    const r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    const script = join(dir, "bin", "develop");
    const text = await Deno.readTextFile(script);
    assert.match(text, /^#!\/bin\/sh\n/);
    assert.ok(text.includes(`'${Deno.execPath()}' 'run'`), text);
    assert.ok(text.includes(`'-c' '${dir}/buildout.cfg' 'develop' "$@"`), text);
    // Run from elsewhere: it works in the buildout folder.
    const out = await new Deno.Command(script, {
      args: ["list", "-s"],
      cwd: "/",
      env: { ...env, BUILDOUT_HOME: join(dir, "none") },
    }).output();
    const dec = new TextDecoder();
    assert.equal(out.code, 0, dec.decode(out.stderr));
    assert.equal(dec.decode(out.stdout), "~ notegg\n# other\n  pkg\n");
  });
});
