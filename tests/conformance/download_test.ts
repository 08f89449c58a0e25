/**
 * Conformance with zc.buildout's src/zc/buildout/tests/download.txt, the
 * download utility, seen through the download recipe (`download-only = true`
 * keeps the fetched file in `parts/<part>/`): without and with a download
 * cache, MD5 checks, offline mode, local files, hashed cache names.
 *
 * Not reachable from the command line, so not here: the utility's return
 * values (`is_temp`), the error for a cache folder that does not exist (the
 * program creates `download-cache`), the fall-back mode, and downloading a
 * directory.
 *
 * Differences that apply (README.md, "How it differs from zc.buildout"): the
 * recipe's cache entries live in the `download/` namespace folder of the
 * cache, and a failed download says `Error downloading <url>: <reason>`
 * (zc.buildout: `Error downloading extends for URL <url>: <reason>`).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { type LinkServer, startLinkServer } from "../support/link_server.ts";
import { type RunResult, runSubprocess, withTempDir } from "../support/run.ts";
import { ls, type Sample, sampleBuildout } from "./sample.ts";

const FOO = "This is a foo text.";
const WRONG = "The wrong text.";
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

interface World {
  s: Sample;
  server: LinkServer;
  /** The served folder (`sample_files`). */
  data: string;
  /** The download cache root (not configured unless a test says so). */
  cache: string;
}

async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  await withTempDir(async (root) => {
    const s = await sampleBuildout(root);
    const data = join(root, "sample_files");
    await Deno.mkdir(data);
    await Deno.writeTextFile(join(data, "foo.txt"), FOO);
    const cache = join(root, "download-cache");
    await Deno.mkdir(cache);
    const server = await startLinkServer(data);
    try {
      await fn({ s, server, data, cache });
    } finally {
      await server.close();
    }
  });
}

/** A buildout with one download-only part `name` fetching `url`. */
function cfg(
  name: string,
  url: string,
  o: { cache?: string; extra?: string; top?: string } = {},
): string {
  return `[buildout]\nparts = ${name}\n` +
    (o.cache ? `download-cache = ${o.cache}\n` : "") + (o.top ?? "") +
    `\n[${name}]\nrecipe = hexagonit.recipe.download\nurl = ${url}\n` +
    `download-only = true\n${o.extra ?? ""}`;
}

/** Install `cfg` and return what the part kept (`parts/<name>/<file>`). */
async function kept(
  w: World,
  text: string,
  name: string,
  file = "foo.txt",
  args: string[] = [],
): Promise<string> {
  await w.s.write(text);
  const r = await w.s.run(args);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  return await Deno.readTextFile(join(w.s.dir, "parts", name, file));
}

/** Install `cfg`, expect it to fail installing `name` with `error`. */
async function fails(
  w: World,
  text: string,
  name: string,
  error: string | RegExp,
  args: string[] = [],
): Promise<RunResult> {
  await w.s.write(text);
  const r = await w.s.run(args);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, new RegExp(`^While:\n  Installing ${name}\\.\n`));
  const last = r.stderr.trimEnd().split("\n").slice(-1)[0];
  if (typeof error === "string") assert.equal(last, `Error: ${error}`);
  else assert.match(r.stderr, error);
  return r;
}

Deno.test("download.txt: without a cache", async (t) => {
  await withWorld(async (w) => {
    const { server, data } = w;
    const url = server.url + "foo.txt";

    await t.step("a URL is fetched", async () => {
      assert.equal(await kept(w, cfg("a", url), "a"), FOO);
    });

    await t.step(
      "a missing file is an error naming the URL and the 404",
      async () => {
        await fails(
          w,
          cfg("b", server.url + "not-there"),
          "b",
          new RegExp(`Error: Error downloading ${server.url}not-there: .*404`),
        );
      },
    );

    await t.step("a local file is used as it is", async () => {
      assert.equal(await kept(w, cfg("c", join(data, "foo.txt")), "c"), FOO);
    });

    await t.step("an MD5 sum is checked", async () => {
      assert.equal(
        await kept(w, cfg("d", url, { extra: `md5sum = ${md5(FOO)}\n` }), "d"),
        FOO,
      );
      await fails(
        w,
        cfg("e", url, { extra: `md5sum = ${md5(WRONG)}\n` }),
        "e",
        `MD5 checksum mismatch downloading '${url}'`,
      );
    });

    await t.step("a local file's MD5 mismatch reads differently", async () => {
      const local = join(data, "foo.txt");
      assert.equal(
        await kept(
          w,
          cfg("f", local, { extra: `md5sum = ${md5(FOO)}\n` }),
          "f",
        ),
        FOO,
      );
      await fails(
        w,
        cfg("g", local, { extra: `md5sum = ${md5(WRONG)}\n` }),
        "g",
        `MD5 checksum mismatch for local resource at '${local}'.`,
      );
    });

    await t.step("the file lands where asked", async () => {
      const target = join(w.s.dir, "download-target");
      await w.s.write(
        cfg("h", url, {
          extra: `destination = ${target}\nfilename = downloaded.txt\n`,
        }),
      );
      const r = await w.s.run();
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        await Deno.readTextFile(join(target, "downloaded.txt")),
        FOO,
      );
    });

    await t.step(
      "offline mode refuses URLs, but not local paths or file: URLs",
      async () => {
        await fails(
          w,
          cfg("i", url),
          "i",
          `Couldn't download '${url}' in offline mode.`,
          ["-o"],
        );
        const local = join(data, "foo.txt");
        assert.equal(
          await kept(w, cfg("j", local), "j", "foo.txt", ["-o"]),
          FOO,
        );
        assert.equal(
          await kept(w, cfg("k", "file://" + local), "k", "foo.txt", ["-o"]),
          FOO,
        );
      },
    );

    await t.step(
      "text files are checked as bytes (CRLF line ends)",
      async () => {
        const text = "First line of text.\r\nSecond line.\r\n";
        await Deno.writeTextFile(join(data, "crlf.txt"), text);
        assert.equal(
          await kept(
            w,
            cfg("l", server.url + "crlf.txt", {
              extra: `md5sum = ${md5(text)}\n`,
            }),
            "l",
            "crlf.txt",
          ),
          text,
        );
      },
    );
  });
});

Deno.test("download.txt: temporary files are cleaned up", async () => {
  await withWorld(async (w) => {
    const tmp = join(w.s.dir, "..", "tmp");
    await Deno.mkdir(tmp);
    await w.s.write(cfg("a", w.server.url + "foo.txt"));
    let r = await runSubprocess([], {
      cwd: w.s.dir,
      env: { ...w.s.env, TMPDIR: tmp },
    });
    assert.equal(r.code, 0, r.stderr);
    await w.s.write(
      cfg("b", w.server.url + "foo.txt", { extra: `md5sum = ${md5(WRONG)}\n` }),
    );
    r = await runSubprocess([], {
      cwd: w.s.dir,
      env: { ...w.s.env, TMPDIR: tmp },
    });
    assert.equal(r.code, 1);
    assert.deepEqual(await ls(tmp), []);
  });
});

Deno.test("download.txt: with a download cache", async (t) => {
  await withWorld(async (w) => {
    const { server, data, cache } = w;
    const url = server.url + "foo.txt";
    const ns = join(cache, "download");
    const withCache = (name: string, u: string, extra = "", top = "") =>
      cfg(name, u, { cache, extra, top });

    await t.step("the first download is stored in the cache", async () => {
      assert.deepEqual(await ls(cache), []);
      assert.equal(await kept(w, withCache("a", url), "a"), FOO);
      assert.deepEqual(await ls(ns), ["-  foo.txt"]);
      assert.equal(await Deno.readTextFile(join(ns, "foo.txt")), FOO);
    });

    await t.step("later downloads use the cached copy", async () => {
      await Deno.writeTextFile(join(data, "foo.txt"), WRONG);
      assert.equal(await kept(w, withCache("b", url), "b"), FOO);
    });

    await t.step("an MD5 sum is checked against the cached copy", async () => {
      // One line in zc.buildout too (the doctest shows it wrapped).
      await fails(
        w,
        withCache("c", url, `md5sum = ${md5(WRONG)}\n`),
        "c",
        `MD5 checksum mismatch for cached download from '${url}' at '${
          join(ns, "foo.txt")
        }'`,
      );
    });

    await t.step(
      "another URL with the same base name gets the cached copy",
      async () => {
        await Deno.mkdir(join(data, "other"));
        await Deno.writeTextFile(join(data, "other", "foo.txt"), WRONG);
        assert.equal(
          await kept(w, withCache("d", server.url + "other/foo.txt"), "d"),
          FOO,
        );
      },
    );

    await t.step("offline mode is served from the cache", async () => {
      assert.equal(
        await kept(w, withCache("e", url), "e", "foo.txt", ["-o"]),
        FOO,
      );
    });

    await t.step("local files are cached too", async () => {
      await Deno.remove(join(ns, "foo.txt"));
      await Deno.writeTextFile(join(data, "foo.txt"), FOO);
      const local = join(data, "foo.txt");
      assert.equal(await kept(w, withCache("f", "file://" + local), "f"), FOO);
      assert.deepEqual(await ls(ns), ["-  foo.txt"]);
      await Deno.remove(join(ns, "foo.txt"));
      assert.equal(await kept(w, withCache("g", local), "g"), FOO);
      assert.deepEqual(await ls(ns), ["-  foo.txt"]);
      await Deno.remove(join(ns, "foo.txt"));
    });

    await t.step("a file failing its MD5 check is not cached", async () => {
      await fails(
        w,
        withCache("h", url, `md5sum = ${md5(WRONG)}\n`),
        "h",
        `MD5 checksum mismatch downloading '${url}'`,
      );
      assert.deepEqual(await ls(ns), []);
    });

    await t.step("a missing file is an error and caches nothing", async () => {
      await fails(
        w,
        withCache("i", server.url + "bar.txt"),
        "i",
        new RegExp(`Error: Error downloading ${server.url}bar.txt: .*404`),
      );
      assert.deepEqual(await ls(ns), []);
    });

    await t.step(
      "install-from-cache counts as offline for downloads",
      async () => {
        await fails(
          w,
          withCache("j", url, "", "install-from-cache = true\n"),
          "j",
          `Couldn't download '${url}' in offline mode.`,
        );
      },
    );

    await t.step(
      "hash-name: cache entries named by the MD5 of the whole URL",
      async () => {
        const hashed = md5(url);
        assert.equal(
          await kept(w, withCache("k", url, "hash-name = true\n"), "k"),
          FOO,
        );
        assert.deepEqual(await ls(ns), [`-  ${hashed}`]);
        await Deno.writeTextFile(join(data, "foo.txt"), WRONG);
        assert.equal(
          await kept(w, withCache("l", url, "hash-name = true\n"), "l"),
          FOO,
        );
        const other = server.url + "other/foo.txt";
        assert.equal(
          await kept(w, withCache("m", other, "hash-name = true\n"), "m"),
          WRONG,
        );
        assert.deepEqual(
          await ls(ns),
          [`-  ${hashed}`, `-  ${md5(other)}`].sort((a, b) => a < b ? -1 : 1),
        );
      },
    );
  });
});
