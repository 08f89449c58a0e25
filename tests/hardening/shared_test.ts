/**
 * Four runs at once in four buildout folders sharing one download cache and
 * one eggs directory: all succeed, every file under a final name is complete,
 * and each installed distribution is there once.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runSubprocess, withTempDir } from "../support/run.ts";
import { archiveIsReadable } from "../../src/fetch/readable.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));

Deno.test("four concurrent runs sharing a download cache and an eggs directory", () =>
  withTempDir(async (root) => {
    const server = await startLinkServer(LINKS, { logging: true });
    // Slow downloads, so that the four runs overlap.
    for (const f of ["demo-0.2-py3.11.egg", "demoneeded-1.1.zip"]) {
      server.fault(`/${f}`, { kind: "slow", chunkSize: 512, intervalMs: 10 });
    }
    const cache = join(root, "cache");
    const eggs = join(root, "eggs");
    try {
      const dirs = [1, 2, 3, 4].map((i) => join(root, `b${i}`));
      for (const b of dirs) {
        await Deno.mkdir(b);
        await Deno.writeTextFile(
          join(b, "buildout.cfg"),
          `[buildout]\nparts = app\ndownload-cache = ${cache}\neggs-directory = ${eggs}\n` +
            `find-links = ${server.url}\nindex = ${server.url}index/\n\n` +
            "[app]\nrecipe = zc.recipe.egg\neggs = demo ==0.2\n",
        );
      }
      const runs = await Promise.all(
        dirs.map((b) => runSubprocess([], { cwd: b })),
      );
      runs.forEach((r, i) =>
        assert.equal(r.code, 0, `b${i + 1}: ${r.stdout}${r.stderr}`)
      );
      for (const b of dirs) {
        const out = await new Deno.Command(join(b, "bin", "demo")).output();
        assert.equal(new TextDecoder().decode(out.stdout), "2 1\n", b);
      }
      const final = (names: string[]) =>
        names.filter((n) => !n.startsWith(".")).sort();
      const list = async (d: string) => {
        const names: string[] = [];
        for await (const e of Deno.readDir(d)) names.push(e.name);
        return names;
      };
      const cached = final(await list(join(cache, "dist")));
      assert.deepEqual(cached, ["demo-0.2-py3.11.egg", "demoneeded-1.1.zip"]);
      for (const n of cached) {
        assert.ok(await archiveIsReadable(join(cache, "dist", n)), n);
      }
      const installed = final(await list(eggs));
      assert.equal(installed.length, 2, installed.join(" "));
      assert.ok(installed[0].startsWith("demo-0.2-"), installed[0]);
      assert.ok(installed[1].startsWith("demoneeded-1.1-"), installed[1]);
    } finally {
      await server.close();
    }
  }));
