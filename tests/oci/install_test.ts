/**
 * Issue 13, OCI bundles against a real registry (Debian's docker-registry): a buildout with
 * eggs built from the test link server is pushed, then pulled and installed in a fresh folder
 * by a process whose network permission is taken away after the pull (a probe request after
 * the run fails), and the generated script runs.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runSubprocess, TASK_FLAGS, withTempDir } from "../support/run.ts";
import { HAVE_REGISTRY, startRegistry } from "./registry.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const PROBE = fileURLToPath(
  new URL("../support/net_probe.ts", import.meta.url),
);
const dec = new TextDecoder();

Deno.test({
  name: "push to a registry, pull and install with the network revoked, verify",
  ignore: !HAVE_REGISTRY,
  fn: () =>
    withTempDir(async (root) => {
      const reg = await startRegistry(root);
      const server = await startLinkServer(LINKS, { logging: true });
      const env = { BUILDOUT_HOME: join(root, "home") };
      try {
        const b = join(root, "b");
        await Deno.mkdir(b);
        await Deno.writeTextFile(
          join(b, "buildout.cfg"),
          `[buildout]\nparts = eggs\ndownload-cache = ${
            join(root, "cache")
          }\n` +
            `find-links = ${server.url}\nindex = ${server.url}index/\n` +
            `[versions]\ndemo = 0.2\n\n[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`,
        );
        await Deno.mkdir(join(root, "cache"));
        let r = await runSubprocess([], { cwd: b, env });
        assert.equal(r.code, 0, r.stderr);

        const ref = `oci://${reg.host}/team/app:1.0`;
        r = await runSubprocess(["bundle", "-o", ref], { cwd: b, env });
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          new RegExp(
            `^Pushed ${ref} \\(sha256:[0-9a-f]{64}\\): [1-9][0-9]* blob\\(s\\) sent, 0 in chunks, 0 already present\\.$`,
            "m",
          ),
        );
        const digest = /\((sha256:[0-9a-f]{64})\)/.exec(r.stdout)![1];

        r = await runSubprocess(["verify", ref], { cwd: b, env });
        assert.equal(r.code, 0, r.stderr);
        assert.match(
          r.stdout,
          new RegExp(`file\\(s\\) match ${ref} \\(${digest}\\)$`, "m"),
        );

        server.clearLog();
        const fresh = join(root, "fresh");
        await Deno.mkdir(fresh);
        const out = await new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", ...TASK_FLAGS, PROBE, "install-bundle", ref],
          cwd: fresh,
          env: { ...env, HOME: fresh, NET_PROBE_URL: server.url + "probe" },
          stdin: "null",
          stdout: "piped",
          stderr: "piped",
        }).output();
        const stdout = dec.decode(out.stdout);
        assert.equal(out.code, 0, dec.decode(out.stderr) + stdout);
        assert.ok(
          stdout.startsWith(`Pulled ${ref} (${digest}) into ${fresh}.\n`),
          stdout,
        );
        assert.match(stdout, /^Installing eggs\.$/m);
        assert.doesNotMatch(stdout, /Downloading/);
        // The pull had the network; the install took it away, the link server saw nothing.
        assert.ok(stdout.endsWith("net: NotCapable\n"), stdout);
        assert.deepEqual(server.log(), []);
        const demo = await new Deno.Command(join(fresh, "bin", "demo"))
          .output();
        assert.equal(dec.decode(demo.stdout), "2 1\n");

        // The same bundle by digest; a reference that is not there is one line.
        r = await runSubprocess([
          "verify",
          `oci://${reg.host}/team/app@${digest}`,
        ], {
          cwd: b,
          env,
        });
        assert.equal(r.code, 0, r.stderr);
        r = await runSubprocess(["verify", `oci://${reg.host}/team/app:2.0`], {
          cwd: b,
          env,
        });
        assert.equal(r.code, 1);
        assert.equal(
          r.stderr,
          `Error: Getting the manifest of ${reg.host}/team/app:2.0: HTTP 404 Not Found: manifest unknown\n`,
        );
      } finally {
        await server.close();
        await reg.stop();
      }
    }),
});
