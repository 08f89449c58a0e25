/**
 * mr.developer with `offline` and `install-from-cache`: no git operation
 * touches the network; existing checkouts are used as they are, a missing
 * one is one Error line.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { git, gitEnv, lines, makeRepo, writeFiles } from "./support.ts";

/** An HTTP server that records every request and answers 404. */
function recordingServer() {
  const log: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (req) => {
      log.push(new URL(req.url).pathname);
      return new Response("no", { status: 404 });
    },
  );
  return { log, port: server.addr.port, close: () => server.shutdown() };
}

const config = (url: string, extra = "") =>
  "[buildout]\nextensions = mr.developer\nauto-checkout = pkg\nparts =\n" +
  `${extra}\n[sources]\npkg = git ${url} egg=false\n`;

Deno.test("offline: a missing checkout is an error; an existing one is used as it is", async () => {
  await withTempDir(async (dir) => {
    const url = await makeRepo(join(dir, "repos"), "pkg", dir);
    await writeFiles(dir, {
      "buildout.cfg": config(url, "always-checkout = true\n"),
    });
    const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
    let r = await runCli(["-o"], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.deepEqual(lines(r.stderr), [
      "While:",
      "  Installing.",
      "  Loading extensions.",
      `Error: Source 'pkg' is not checked out and buildout is offline: cannot clone '${url}'.`,
    ]);
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    // Upstream moves on; offline, the checkout stays where it is.
    const upstream = join(dir, "repos", "pkg");
    await Deno.writeTextFile(join(upstream, "new.txt"), "new\n");
    await git(upstream, dir, "add", ".");
    await git(upstream, dir, "commit", "-q", "-m", "new");
    r = await runCli(["-o"], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(0, 2), [
      "mr.developer: Queued 'pkg' for checkout.",
      "mr.developer: Skipped checkout of existing package 'pkg'.",
    ]);
    assert.equal(
      await Deno.stat(join(dir, "src", "pkg", "new.txt")).then(
        () => 1,
        () => 0,
      ),
      0,
    );
    // Online with always-checkout, it is updated.
    r = await runCli([], { cwd: dir, env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("mr.developer: Updated 'pkg' with git.\n"));
    assert.equal(
      await Deno.readTextFile(join(dir, "src", "pkg", "new.txt")),
      "new\n",
    );
    // develop update refuses offline.
    r = await runCli(["-o", "develop", "update"], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.equal(
      lines(r.stderr).at(-1),
      "Error: Can't update package 'pkg' because buildout is offline.",
    );
  });
});

Deno.test("install-from-cache: git never reaches the network", async () => {
  await withTempDir(async (dir) => {
    const server = recordingServer();
    try {
      const url = `http://127.0.0.1:${server.port}/pkg.git`;
      const env = { ...gitEnv(dir), BUILDOUT_HOME: join(dir, "none") };
      const cache = "download-cache = cache\ninstall-from-cache = true\n";
      await writeFiles(dir, { "buildout.cfg": config(url, cache) });
      let r = await runCli([], { cwd: dir, env });
      assert.equal(r.code, 1);
      assert.equal(
        lines(r.stderr).at(-1),
        `Error: Source 'pkg' is not checked out and buildout is in install-from-cache mode: cannot clone '${url}'.`,
      );
      assert.deepEqual(server.log, []);
      // An existing checkout from that URL, with always-checkout: no fetch.
      const file = await makeRepo(join(dir, "repos"), "pkg", dir);
      await git(dir, dir, "clone", "-q", file, join(dir, "src", "pkg"));
      await git(
        join(dir, "src", "pkg"),
        dir,
        "remote",
        "set-url",
        "origin",
        url,
      );
      await writeFiles(dir, {
        "buildout.cfg": config(url, cache + "always-checkout = force\n"),
      });
      r = await runCli([], { cwd: dir, env });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(
        r.stdout.includes(
          "mr.developer: Skipped checkout of existing package 'pkg'.\n",
        ),
        r.stdout,
      );
      assert.deepEqual(server.log, []);
      // The control: online, the same run does ask the server.
      await writeFiles(dir, {
        "buildout.cfg": config(url, "always-checkout = force\n"),
      });
      r = await runCli([], { cwd: dir, env });
      assert.equal(r.code, 1);
      assert.equal(lines(r.stderr).at(-1), "Error: git fetch of 'pkg' failed.");
      assert.ok(server.log.length > 0);
    } finally {
      await server.close();
    }
  });
});
