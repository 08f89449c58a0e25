/**
 * Issue 5 end to end: a buildout with eggs and a download part built against the test link
 * server, bundled, the server stopped, the bundle installed in a fresh folder by a process
 * without network permission, and the generated script run.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { MAIN_TS, runSubprocess, withTempDir } from "../support/run.ts";
import { makeTar } from "../install/support.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const dec = new TextDecoder();

/** `deno run` of main.ts with the task's permissions except the network. */
async function runOffline(
  argv: string[],
  cwd: string,
  env: Record<string, string>,
) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      "--allow-sys",
      MAIN_TS,
      ...argv,
    ],
    cwd,
    env: { HOME: cwd, BUILDOUT_CWD: "", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("eggs and a download part: bundle, stop the server, install offline elsewhere, run the script", () =>
  withTempDir(async (root) => {
    const srv = join(root, "srv");
    await Deno.mkdir(srv);
    for await (const e of Deno.readDir(LINKS)) {
      if (e.isFile) await Deno.copyFile(join(LINKS, e.name), join(srv, e.name));
    }
    await Deno.mkdir(join(srv, "index"));
    await makeTar(join(srv, "tool-1.0.tar.gz"), [
      {
        name: "tool-1.0/tool",
        content: "#!/bin/sh\necho tool 1.0\n",
        mode: 0o755,
      },
    ], "gz");
    const server = await startLinkServer(srv, { logging: true });
    const home = join(root, "home");
    await Deno.mkdir(home);
    const env = { BUILDOUT_HOME: home };
    try {
      const b = join(root, "b");
      await Deno.mkdir(b);
      await Deno.mkdir(join(root, "cache"));
      await Deno.writeTextFile(
        join(b, "versions.cfg"),
        "[versions]\ndemo = 0.2\n",
      );
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nextends = versions.cfg\nparts = eggs tool\n` +
          `download-cache = ${join(root, "cache")}\n` +
          `find-links = ${server.url}\nindex = ${server.url}index/\n\n` +
          `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n\n` +
          `[tool]\nrecipe = hexagonit.recipe.download\nurl = ${server.url}tool-1.0.tar.gz\n` +
          `strip-top-level-dir = true\n`,
      );
      let r = await runSubprocess([], { cwd: b, env });
      assert.equal(r.code, 0, r.stderr);
      let demo = await new Deno.Command(join(b, "bin", "demo")).output();
      assert.equal(dec.decode(demo.stdout), "2 1\n");

      r = await runSubprocess(["bundle", "-o", join(root, "app.tar.gz")], {
        cwd: b,
        env,
      });
      assert.equal(r.code, 0, r.stderr);
      await server.close();

      const fresh = join(root, "fresh");
      await Deno.mkdir(fresh);
      r = await runOffline(
        ["install-bundle", join(root, "app.tar.gz")],
        fresh,
        env,
      );
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /^Installing eggs\.$/m);
      assert.match(r.stdout, /^Installing tool\.$/m);
      assert.doesNotMatch(r.stdout, /Downloading/);
      const script = await Deno.readTextFile(join(fresh, "bin", "demo"));
      assert.ok(script.includes(join(fresh, "eggs")), script);
      assert.ok(!script.includes(join(b, "eggs")), script);
      demo = await new Deno.Command(join(fresh, "bin", "demo")).output();
      assert.equal(dec.decode(demo.stdout), "2 1\n");
      const tool = await new Deno.Command(join(fresh, "parts", "tool", "tool"))
        .output();
      assert.equal(dec.decode(tool.stdout), "tool 1.0\n");

      r = await runOffline(["verify"], fresh, env);
      assert.equal(r.code, 0, r.stderr + r.stdout);
    } finally {
      await server.close().catch(() => {});
    }
  }));
