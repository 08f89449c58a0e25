/**
 * Independent files download in parallel (bounded), while the messages keep
 * buildout's order.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";

Deno.test("the dependencies of one level download at the same time", async () => {
  await withTempDir(async (dir) => {
    const house = join(dir, "house");
    await Deno.mkdir(house);
    const names = ["alpha", "beta", "gamma"];
    for (const n of names) {
      await writeWheel(house, {
        name: n,
        version: "1.0",
        files: { [`${n}.py`]: "" },
      });
    }
    await writeWheel(house, {
      name: "app",
      version: "1.0",
      files: { "app.py": "" },
      requires: names,
    });
    let inFlight = 0;
    let peak = 0;
    const waiters: (() => void)[] = [];
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (req) => {
        const path = new URL(req.url).pathname.slice(1);
        if (path === "") {
          const links = [...Deno.readDirSync(house)].map((e) =>
            `<a href="${e.name}">${e.name}</a>`
          );
          return new Response(`<html><body>${links.join("\n")}</body></html>`, {
            headers: { "content-type": "text/html" },
          });
        }
        inFlight++;
        peak = Math.max(peak, inFlight);
        // Until two downloads have overlapped, hold each file until another
        // request comes (or 5 s pass: a one-at-a-time client then fails).
        waiters.splice(0).forEach((go) => go());
        if (peak < 2 && !path.startsWith("app")) {
          await new Promise<void>((go) => {
            const timer = setTimeout(go, 5000);
            waiters.push(() => {
              clearTimeout(timer);
              go();
            });
          });
        }
        inFlight--;
        return new Response(await Deno.readFile(join(house, path)), {
          headers: { "content-type": "application/octet-stream" },
        });
      },
    );
    try {
      await Deno.mkdir(join(dir, "b", "empty"), { recursive: true });
      await Deno.writeTextFile(
        join(dir, "b", "buildout.cfg"),
        `[buildout]\nparts = app\ndownload-cache = ${dir}/cache\n` +
          `find-links = http://127.0.0.1:${server.addr.port}/\nindex = ${dir}/b/empty\n\n` +
          `[app]\nrecipe = zc.recipe.egg:eggs\neggs = app\n`,
      );
      const r = await runCli([], {
        cwd: join(dir, "b"),
        env: { BUILDOUT_HOME: join(dir, "none") },
      });
      assert.equal(r.stderr, "");
      assert.equal(r.code, 0);
      assert.ok(peak >= 2, `at most ${peak} download(s) at once`);
      assert.deepEqual(
        r.stdout.split("\n").filter((l) => l.startsWith("Got")),
        // Reported in buildout's order: app's requirements reversed.
        [
          "Got app 1.0.",
          "Got gamma 1.0.",
          "Got beta 1.0.",
          "Got alpha 1.0.",
        ],
      );
    } finally {
      await server.shutdown();
    }
  });
});
