/**
 * Index pages are kept in `<eggs-directory>/.pages` with their validators: a
 * rerun with `newest = true` revalidates every page (`304`) and downloads
 * nothing; a changed page is read whole and its new version picked; a
 * `no-store` page is not kept; a corrupt entry is fetched again; a rerun with
 * `newest = false` reads no page at all.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { writeWheel } from "../../tools/wheel_writer.ts";
import { PAGE_CONNECTIONS } from "../../src/find/finder.ts";

const COND = "(if-none-match, if-modified-since)";

Deno.test("index pages are revalidated with ETag / Last-Modified and reused on 304", async () => {
  await withTempDir(async (dir) => {
    const served = join(dir, "served");
    await Deno.mkdir(served);
    await writeWheel(served, {
      name: "demo",
      version: "1.0",
      files: { "demo.py": "" },
      requires: ["dep"],
    });
    await writeWheel(served, {
      name: "dep",
      version: "1.0",
      files: { "dep.py": "" },
    });
    const headers: Record<string, Record<string, string>> = {};
    const server = await startLinkServer(served, {
      logging: true,
      index: "simple",
      validators: true,
      headers,
    });
    const buildout = join(dir, "b");
    await Deno.mkdir(buildout);
    const pages = join(buildout, "eggs", ".pages");
    const run = async (newest = true) => {
      await Deno.writeTextFile(
        join(buildout, "buildout.cfg"),
        `[buildout]\nparts = eggs\ndownload-cache = ${dir}/cache\n` +
          `index = ${server.url}index/\nnewest = ${newest}\n\n` +
          `[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = demo\n`,
      );
      server.clearLog();
      const r = await runCli([], { cwd: buildout });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      return { out: r.stdout + r.stderr, log: server.log().sort() };
    };
    const entryOf = (path: string) =>
      join(
        pages,
        createHash("sha256").update(server.url + path.slice(1)).digest("hex"),
      );
    try {
      let r = await run();
      assert.deepEqual(r.log, [
        "GET 200 /demo-1.0-py3-none-any.whl",
        "GET 200 /dep-1.0-py3-none-any.whl",
        "GET 200 /index/demo/",
        "GET 200 /index/dep/",
      ]);
      assert.equal((await Array.fromAsync(Deno.readDir(pages))).length, 2);
      // The download cache keeps dist/ alone, as in zc.buildout.
      assert.deepEqual(
        (await Array.fromAsync(Deno.readDir(join(dir, "cache")))).map((e) =>
          e.name
        ),
        ["dist"],
      );

      // A no-op rerun: every page answered 304, nothing else asked.
      r = await run();
      assert.deepEqual(r.log, [
        `GET 304 /index/demo/ ${COND}`,
        `GET 304 /index/dep/ ${COND}`,
      ]);
      assert.doesNotMatch(r.out, /Getting distribution/);

      // newest = false: no page is read.
      r = await run(false);
      assert.deepEqual(r.log, []);

      // A new file changes dep's page: read whole, the new version picked.
      await writeWheel(served, {
        name: "dep",
        version: "1.1",
        files: { "dep.py": "" },
      });
      r = await run();
      assert.deepEqual(r.log, [
        "GET 200 /dep-1.1-py3-none-any.whl",
        `GET 200 /index/dep/ ${COND}`,
        `GET 304 /index/demo/ ${COND}`,
      ]);
      assert.match(r.out, /Getting distribution for 'dep'\.\nGot dep 1\.1\./);
      r = await run();
      assert.deepEqual(r.log, [
        `GET 304 /index/demo/ ${COND}`,
        `GET 304 /index/dep/ ${COND}`,
      ]);

      // no-store (here on a 304): the page is dropped from the cache, then
      // asked for whole every time and never kept.
      headers["/index/demo/"] = { "cache-control": "no-store" };
      r = await run();
      assert.deepEqual(r.log, [
        `GET 304 /index/demo/ ${COND}`,
        `GET 304 /index/dep/ ${COND}`,
      ]);
      await assert.rejects(Deno.stat(entryOf("/index/demo/")));
      for (let i = 0; i < 2; i++) {
        r = await run();
        assert.deepEqual(r.log, [
          "GET 200 /index/demo/",
          `GET 304 /index/dep/ ${COND}`,
        ]);
        await assert.rejects(Deno.stat(entryOf("/index/demo/")));
      }
      delete headers["/index/demo/"];

      // A corrupt entry is ignored: the page is fetched whole and kept again.
      await Deno.writeTextFile(entryOf("/index/dep/"), "garbage\n");
      r = await run();
      assert.deepEqual(r.log, [
        "GET 200 /index/demo/",
        "GET 200 /index/dep/",
      ]);
      r = await run();
      assert.deepEqual(r.log, [
        `GET 304 /index/demo/ ${COND}`,
        `GET 304 /index/dep/ ${COND}`,
      ]);
      assert.doesNotMatch(r.out, /Getting distribution/);
    } finally {
      await server.close();
    }
  });
});

Deno.test("a rerun reads the pages of installed dependencies together, at most PAGE_CONNECTIONS at once, messages in order", async () => {
  await withTempDir(async (dir) => {
    const served = join(dir, "served");
    await Deno.mkdir(served);
    // A chain p0 -> p1 -> ... -> p(N-1): level by level, one page at a time.
    const N = PAGE_CONNECTIONS + 4;
    for (let i = 0; i < N; i++) {
      await writeWheel(served, {
        name: `p${i}`,
        version: "1.0",
        files: { [`p${i}.py`]: "" },
        requires: i < N - 1 ? [`p${i + 1}`] : [],
      });
    }
    const server = await startLinkServer(served, {
      logging: true,
      index: "simple",
      validators: true,
      delayMs: 40,
    });
    const buildout = join(dir, "b");
    await Deno.mkdir(buildout);
    await Deno.writeTextFile(
      join(buildout, "buildout.cfg"),
      `[buildout]\nparts = eggs\ndownload-cache = ${dir}/cache\n` +
        `index = ${server.url}index/\n\n` +
        `[eggs]\nrecipe = zc.recipe.egg:eggs\neggs = p0\n`,
    );
    try {
      let r = await runCli([], { cwd: buildout });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      server.clearLog();
      server.fault("/index/p5/", { kind: "status", status: 403 });
      r = await runCli(["-v"], { cwd: buildout });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      // Every page once.
      assert.deepEqual(
        server.log().sort(),
        Array.from(
          { length: N },
          (_, i) => `GET ${i === 5 ? 403 : 304} /index/p${i}/ ${COND}`,
        ).sort(),
      );
      assert.equal(PAGE_CONNECTIONS, 16);
      assert.equal(server.peak(), PAGE_CONNECTIONS);
      const lines = (r.stdout + r.stderr).split("\n").filter((l) =>
        /^We have the best distribution that satisfies 'p[456]'|^Download error|^Couldn't/
          .test(l)
      );
      assert.deepEqual(lines, [
        "We have the best distribution that satisfies 'p4'.",
        `Download error on ${server.url}index/p5/: 403 Forbidden -- Some packages may not be found!`,
        "We have the best distribution that satisfies 'p5'.",
        "We have the best distribution that satisfies 'p6'.",
      ]);
    } finally {
      await server.close();
    }
  });
});
