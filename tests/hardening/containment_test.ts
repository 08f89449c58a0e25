import assert from "node:assert/strict";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { cacheName } from "../../src/fetch/download.ts";
import { urlBasename } from "../../src/find/links.ts";
import { urlFilename } from "../../src/recipes/download.ts";
import { childPath, isPlainName, realInside } from "../../src/paths.ts";

const present = (p: string) => Deno.lstat(p).then(() => true, () => false);

Deno.test("names from URLs never decode into separators or '..'", () => {
  const evil = "http://h/pkgs/..%2F..%2Fetc%2Fpasswd";
  assert.match(cacheName(evil, false), /^[0-9a-f]{32}$/);
  assert.match(cacheName("http://h/a/%2E%2E", false), /^[0-9a-f]{32}$/);
  assert.equal(cacheName("http://h/a/My%20File.txt", false), "My File.txt");
  assert.equal(urlFilename(evil), "");
  assert.equal(urlFilename("http://h/a/%2e%2e"), "");
  assert.equal(urlBasename(evil), "..%2F..%2Fetc%2Fpasswd");
  assert.equal(urlBasename("http://h/demo%2D0.2.zip"), "demo-0.2.zip");
  for (const bad of ["", ".", "..", "a/b", "a\\b", "a\0b"]) {
    assert.equal(isPlainName(bad), false, bad);
  }
});

Deno.test("childPath refuses what lands outside its folder", () => {
  assert.equal(childPath("/b/parts", "data", "Part name"), "/b/parts/data");
  assert.throws(
    () => childPath("/b/parts", "../../etc", "Part name"),
    /Part name '..\/..\/etc' would be outside \/b\/parts\./,
  );
  assert.throws(() => childPath("/b/parts", ".", "Part name"), /outside/);
  assert.throws(() => childPath("/b/parts", "a\0b", "Part name"), /NUL/);
});

Deno.test("an encoded traversal in a download URL writes nothing outside", () =>
  withTempDir(async (dir) => {
    const srv = join(dir, "srv");
    await Deno.mkdir(srv);
    await Deno.writeTextFile(join(srv, "tool"), "tool\n");
    const b = join(dir, "deep", "b");
    await Deno.mkdir(join(b, "downloads"), { recursive: true });
    const server = await startLinkServer(srv, { logging: true });
    try {
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nparts = tool\ndownload-cache = downloads\n\n` +
          `[tool]\nrecipe = hexagonit.recipe.download\n` +
          `url = ${server.url}x%2F..%2F..%2F..%2Fescaped\ndownload-only = true\n`,
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /Error: No file name in url .* of part tool/);
      assert.equal(await present(join(dir, "escaped")), false);
      assert.equal(await present(join(b, ".installed.cfg")), false);

      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nparts = tool\ndownload-cache = downloads\n\n` +
          `[tool]\nrecipe = hexagonit.recipe.download\n` +
          `url = ${server.url}tool\ndownload-only = true\n` +
          `filename = ../../../escaped\n`,
      );
      const r2 = await runCli(["-U"], { cwd: b });
      assert.equal(r2.code, 1, r2.stdout + r2.stderr);
      assert.match(
        r2.stderr,
        /Error: Option 'filename' of part 'tool' must be a plain file name, not '..\/..\/..\/escaped'\./,
      );
      assert.equal(await present(join(dir, "escaped")), false);
      assert.deepEqual(server.log(), []);
    } finally {
      await server.close();
    }
  }));

Deno.test("a part name that climbs out of parts/ is refused", () =>
  withTempDir(async (dir) => {
    const b = join(dir, "b");
    await Deno.mkdir(b);
    await Deno.writeTextFile(
      join(b, "buildout.cfg"),
      "[buildout]\nparts = ../../evil\n\n[../../evil]\nrecipe = mkdir\n",
    );
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /Error: Part name '..\/..\/evil' would be outside .*\/b\/parts\./,
    );
    assert.equal(await present(join(dir, "evil")), false);
  }));

Deno.test("uninstall never deletes through a link that leaves the buildout", () =>
  withTempDir(async (dir) => {
    const b = join(dir, "b");
    const outside = join(dir, "outside");
    await Deno.mkdir(join(outside, "cache", "data"), { recursive: true });
    await Deno.writeTextFile(
      join(outside, "cache", "data", "keep"),
      "precious",
    );
    await Deno.mkdir(b);
    const cfg = (parts: string) =>
      `[buildout]\nparts = ${parts}\n\n` +
      `[data]\nrecipe = mkdir\npaths =\n    var/cache/data\n    var/link\n`;
    await Deno.writeTextFile(join(b, "buildout.cfg"), cfg("data"));
    const r = await runCli(["-U"], { cwd: b });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // The user replaces var/cache by a link to a folder of their own, and
    // var/link by a link to the outside folder.
    await Deno.remove(join(b, "var", "cache"), { recursive: true });
    await Deno.symlink(join(outside, "cache"), join(b, "var", "cache"));
    await Deno.remove(join(b, "var", "link"));
    await Deno.symlink(outside, join(b, "var", "link"));
    assert.equal(realInside(b, join(b, "var", "cache", "data")), false);
    assert.equal(realInside(b, join(b, "var", "link")), true);

    await Deno.writeTextFile(join(b, "buildout.cfg"), cfg(""));
    const r2 = await runCli(["-U"], { cwd: b });
    assert.equal(r2.code, 0, r2.stdout + r2.stderr);
    assert.match(
      r2.stdout,
      /Not removing '.*\/b\/var\/cache\/data': it is outside the buildout directory\./,
    );
    assert.equal(
      await Deno.readTextFile(join(outside, "cache", "data", "keep")),
      "precious",
    );
    // The link itself is the part's path: it goes, its target stays.
    assert.equal(await present(join(b, "var", "link")), false);
    assert.equal(await present(outside), true);
  }));
