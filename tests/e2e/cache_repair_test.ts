/**
 * A cached distribution that turns out unreadable (a truncated file, e.g.
 * from a full disk) is reported and fetched again; under install-from-cache it
 * is a clear error naming the file.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runSubprocess, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const EGG = "demo-0.2-py3.11.egg";

Deno.test("a truncated file in the download cache is fetched again, or named under install-from-cache", async () => {
  const server = await startLinkServer(LINKS, { logging: true });
  try {
    await withTempDir(async (dir) => {
      const cache = join(dir, "cache");
      await Deno.mkdir(join(cache, "dist"), { recursive: true });
      const whole = await Deno.readFile(join(LINKS, EGG));
      await Deno.writeFile(
        join(cache, "dist", EGG),
        whole.slice(0, whole.length / 2),
      );
      await Deno.copyFile(
        join(LINKS, "demoneeded-1.1.zip"),
        join(cache, "dist", "demoneeded-1.1.zip"),
      );
      const cfg = (extra: string) =>
        `[buildout]\nparts = eggs\ndownload-cache = ${cache}\nfind-links = ${server.url}\n` +
        `index = ${server.url}index/\n${extra}\n[eggs]\nrecipe = zc.recipe.egg\neggs = demo ==0.2\n`;
      const env = { BUILDOUT_HOME: join(dir, "nohome") };

      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        cfg("install-from-cache = true\n"),
      );
      let r = await runSubprocess([], { cwd: dir, env });
      assert.equal(r.code, 1);
      assert.deepEqual(r.stderr.trim().split("\n").slice(-1), [
        `Error: The cached file ${cache}/dist/${EGG} is unreadable (truncated or corrupt) ` +
        "and install-from-cache forbids fetching it again.",
      ]);
      assert.deepEqual(server.log(), []);
      assert.equal(
        (await Deno.stat(join(cache, "dist", EGG))).size,
        Math.floor(whole.length / 2),
      );

      await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(""));
      r = await runSubprocess([], { cwd: dir, env });
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.ok(
        r.stdout.includes(
          `Getting distribution for 'demo==0.2'.\n` +
            `The cached file ${cache}/dist/${EGG} is unreadable (truncated or corrupt); fetching it again.\n` +
            "Got demo 0.2.\n",
        ),
        r.stdout,
      );
      assert.ok(server.log().includes(`GET 200 /${EGG}`));
      assert.deepEqual(await Deno.readFile(join(cache, "dist", EGG)), whole);
      const demo = await new Deno.Command(join(dir, "bin", "demo")).output();
      assert.equal(new TextDecoder().decode(demo.stdout), "2 1\n");
    });
  } finally {
    await server.close();
  }
});
