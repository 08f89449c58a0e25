/**
 * update-git-submodules (and a source's `submodules=`): submodules of a
 * checkout are initialised on checkout unless `never`; a bad value is one
 * Error line.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { git, gitEnv, makeRepo, writeFiles } from "./support.ts";

/** `pkg` (from makeRepo) with a submodule `vendor` holding `data.txt`. */
async function repoWithSubmodule(dir: string): Promise<string> {
  // git refuses file:// submodules unless told to (CVE-2022-39253).
  await Deno.writeTextFile(
    gitEnv(dir).GIT_CONFIG_GLOBAL,
    '[protocol "file"]\n\tallow = always\n',
  );
  const repos = join(dir, "repos");
  const sub = join(repos, "vendor");
  await writeFiles(sub, { "data.txt": "vendored\n" });
  await git(sub, dir, "init", "-q", "-b", "master");
  await git(sub, dir, "add", ".");
  await git(sub, dir, "commit", "-q", "-m", "data");
  const url = await makeRepo(repos, "pkg", dir);
  const pkg = join(repos, "pkg");
  await git(pkg, dir, "submodule", "-q", "add", `file://${sub}`, "vendor");
  await git(pkg, dir, "commit", "-q", "-m", "vendor");
  return url;
}

async function buildout(dir: string, url: string, extra: string) {
  await Deno.mkdir(join(dir, "empty"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    "[buildout]\nextensions = mr.developer\nauto-checkout = pkg\nparts =\n" +
      `index = ${dir}/empty\n${extra}\n[sources]\npkg = git ${url}\n`,
  );
  return await runCli([], {
    cwd: dir,
    env: { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") },
  });
}

const present = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("submodules are initialised on checkout by default", () =>
  withTempDir(async (dir) => {
    const url = await repoWithSubmodule(dir);
    const r = await buildout(dir, url, "");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /^mr\.developer: Initialized 'pkg' submodule at 'vendor' with git\.$/m,
    );
    assert.equal(
      await Deno.readTextFile(join(dir, "src", "pkg", "vendor", "data.txt")),
      "vendored\n",
    );
  }));

Deno.test("update-git-submodules = never leaves them alone; a bad value is one line", () =>
  withTempDir(async (dir) => {
    const url = await repoWithSubmodule(dir);
    const r = await buildout(dir, url, "update-git-submodules = never\n");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /submodule/);
    assert.equal(await present(join(dir, "src", "pkg", "setup.py")), true);
    assert.equal(
      await present(join(dir, "src", "pkg", "vendor", "data.txt")),
      false,
    );
    await Deno.remove(join(dir, "src"), { recursive: true });
    const bad = await buildout(dir, url, "update-git-submodules = sometimes\n");
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /^Error: Unknown value 'sometimes' for update-git-submodules option\.$/m,
    );
  }));
