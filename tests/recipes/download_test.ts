import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";
import { makeTar, makeZip, type Member, tree } from "../install/support.ts";
import { parseSwitch, urlFilename } from "../../src/recipes/download.ts";

const TOOL = "#!/bin/sh\necho tool\n";
const md5 = (s: string | Uint8Array) =>
  createHash("md5").update(s).digest("hex");

const APP: Member[] = [
  { name: "app-1.0/", type: "directory" },
  { name: "app-1.0/bin/run", content: "#!/bin/sh\necho run\n", mode: 0o755 },
  { name: "app-1.0/README", content: "read me" },
  { name: "app-1.0/lib/x.py", content: "X = 1\n" },
  { name: "app-1.0/lib/x.pyc", content: "junk" },
  { name: "app-1.0/docs/index.txt", content: "docs" },
  { name: "app-1.0/current", type: "symlink", linkname: "lib/x.py" },
];

/** A served folder (tool, archives) and a buildout folder with an empty download cache. */
async function setup(dir: string) {
  const srv = join(dir, "srv");
  await Deno.mkdir(srv);
  await Deno.writeTextFile(join(srv, "tool"), TOOL);
  await makeTar(join(srv, "app-1.0.tar.gz"), APP, "gz");
  await makeZip(join(srv, "app-1.0.zip"), APP);
  await makeTar(join(srv, "evil.tar.gz"), [
    { name: "ok.txt", content: "fine" },
    { name: "../escaped.txt", content: "bad" },
  ], "gz");
  await makeTar(join(srv, "evil-link.tar"), [
    { name: "ok.txt", content: "fine" },
    { name: "out", type: "symlink", linkname: "../../.." },
  ]);
  const b = join(dir, "b");
  await Deno.mkdir(join(b, "downloads"), { recursive: true });
  const server = await startLinkServer(srv, { logging: true });
  return { srv, b, server };
}

function config(part: string, extra = ""): string {
  return `[buildout]\nparts = ${part}\ndownload-cache = downloads\n${extra}\n`;
}

async function write(b: string, text: string) {
  await Deno.writeTextFile(join(b, "buildout.cfg"), text);
}

async function exists(p: string) {
  return await Deno.lstat(p).then(() => true, () => false);
}

Deno.test("switches and file names", () => {
  assert.equal(parseSwitch("x", "Yes"), true);
  assert.equal(parseSwitch("x", "off"), false);
  assert.equal(parseSwitch("x", undefined), false);
  assert.throws(
    () => parseSwitch("download-only", "maybe"),
    /Invalid value for 'download-only' option: 'maybe'/,
  );
  assert.equal(urlFilename("http://h/a/tool-1.0.tgz?x=1#y"), "tool-1.0.tgz");
  assert.equal(urlFilename("/srv/files/tool"), "tool");
});

Deno.test("download-only keeps the file with its mode; a second buildout uses the cache", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      await write(
        b,
        config("tool") +
          `[tool]\nrecipe = hexagonit.recipe.download\nurl = ${server.url}tool\n` +
          `download-only = true\nmode = 0755\nmd5sum = ${md5(TOOL)}\n`,
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout, new RegExp(`Downloading ${server.url}tool`));
      const file = join(b, "parts", "tool", "tool");
      assert.equal(await Deno.readTextFile(file), TOOL);
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o755);
      assert.deepEqual(server.log(), ["GET 200 /tool"]);
      assert.equal(
        await Deno.readTextFile(join(b, "downloads", "download", "tool")),
        TOOL,
      );

      // a fresh buildout (nothing installed) with the same cache: no request at all
      await Deno.remove(join(b, "parts"), { recursive: true });
      await Deno.remove(join(b, ".installed.cfg"));
      server.clearLog();
      const again = await runCli(["-U"], { cwd: b });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(await Deno.readTextFile(file), TOOL);
      assert.deepEqual(server.log(), []);

      // unchanged options: update does nothing, no request
      const upd = await runCli(["-U"], { cwd: b });
      assert.equal(upd.code, 0, upd.stderr);
      assert.match(upd.stdout, /^Updating tool\.$/m);
      assert.doesNotMatch(upd.stdout, /Installing tool/);
      assert.deepEqual(server.log(), []);
    } finally {
      await server.close();
    }
  }));

Deno.test("without a download cache the file is fetched each time and no temp file is left", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      await write(
        b,
        `[buildout]\nparts = tool\n\n[tool]\nrecipe = download\nurl = ${server.url}tool\n` +
          `download-only = true\nfilename = tool.sh\n`,
      );
      // the download goes to a temp file first (TMPDIR), which the recipe removes
      const tmp = join(dir, "tmp");
      await Deno.mkdir(tmp);
      const saved = Deno.env.get("TMPDIR");
      Deno.env.set("TMPDIR", tmp);
      const r = await runCli(["-U"], { cwd: b }).finally(() =>
        saved === undefined
          ? Deno.env.delete("TMPDIR")
          : Deno.env.set("TMPDIR", saved)
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        await Deno.readTextFile(join(b, "parts", "tool", "tool.sh")),
        TOOL,
      );
      assert.deepEqual(server.log(), ["GET 200 /tool"]);
      assert.deepEqual(await tree(tmp), []);
      assert.deepEqual(await tree(join(b, "downloads")), []);
      assert.deepEqual(await tree(join(b, "parts")), ["tool/", "tool/tool.sh"]);
    } finally {
      await server.close();
    }
  }));

Deno.test("install-from-cache needs no network; a cache miss is the offline error", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      await Deno.mkdir(join(b, "downloads", "download"));
      await Deno.writeTextFile(join(b, "downloads", "download", "tool"), TOOL);
      await write(
        b,
        config("tool", "install-from-cache = true") +
          `[tool]\nrecipe = download\nurl = ${server.url}tool\ndownload-only = true\n`,
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        await Deno.readTextFile(join(b, "parts", "tool", "tool")),
        TOOL,
      );
      assert.deepEqual(server.log(), []);

      await write(
        b,
        config("app", "install-from-cache = true") +
          `[app]\nrecipe = download\nurl = ${server.url}app-1.0.tar.gz\n`,
      );
      const miss = await runCli(["-U"], { cwd: b });
      assert.equal(miss.code, 1);
      assert.match(
        miss.stderr,
        new RegExp(
          `Couldn't download '${server.url}app-1.0.tar.gz' in offline mode.`,
        ),
      );
      assert.deepEqual(server.log(), []);
      assert.equal(await exists(join(b, "parts", "app")), false);
    } finally {
      await server.close();
    }
  }));

for (const ext of ["tar.gz", "zip"]) {
  Deno.test(`${ext}: extraction with strip-top-level-dir and excludes; uninstall removes it`, () =>
    withTempDir(async (dir) => {
      const { srv, b, server } = await setup(dir);
      try {
        const sha = createHash("sha256").update(
          await Deno.readFile(join(srv, `app-1.0.${ext}`)),
        ).digest("hex");
        await write(
          b,
          config("app") +
            `[app]\nrecipe = gocept.download\nurl = ${server.url}app-1.0.${ext}\nsha256 = ${sha}\n` +
            `strip-top-level-dir = true\nexcludes =\n    *.pyc\n    */docs\n`,
        );
        const r = await runCli(["-U"], { cwd: b });
        assert.equal(r.code, 0, r.stderr + r.stdout);
        const dest = join(b, "parts", "app");
        assert.match(
          r.stdout,
          new RegExp(`app: Extracting package to ${dest}`),
        );
        assert.deepEqual(await tree(dest), [
          "README",
          "bin/",
          "bin/run",
          "current",
          "lib/",
          "lib/x.py",
        ]);
        assert.equal(
          (await Deno.stat(join(dest, "bin", "run"))).mode! & 0o777,
          0o755,
        );
        assert.equal(await Deno.readLink(join(dest, "current")), "lib/x.py");

        await write(b, config(""));
        const u = await runCli(["-U"], { cwd: b });
        assert.equal(u.code, 0, u.stderr);
        assert.equal(await exists(dest), false);
      } finally {
        await server.close();
      }
    }));
}

Deno.test("an md5 mismatch is the checksum error and nothing is kept", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      await write(
        b,
        config("app") +
          `[app]\nrecipe = download\nurl = ${server.url}app-1.0.tar.gz\nmd5sum = ${
            md5("other")
          }\n`,
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `MD5 checksum mismatch downloading '${server.url}app-1.0.tar.gz'`,
        ),
      );
      assert.equal(await exists(join(b, "parts", "app")), false);
      const cached = (await tree(join(b, "downloads"))).filter((p) =>
        !p.endsWith("/")
      );
      assert.deepEqual(cached, []);
      assert.deepEqual(await tree(join(b, "parts")).catch(() => []), []);
    } finally {
      await server.close();
    }
  }));

Deno.test("a sha256 mismatch is the checksum error too", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const sha = createHash("sha256").update("other").digest("hex");
      await write(
        b,
        config("tool") +
          `[tool]\nrecipe = download\nurl = ${server.url}tool\ndownload-only = true\nsha256 = ${sha}\n`,
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(
          `SHA256 checksum mismatch downloading '${server.url}tool'`,
          "i",
        ),
      );
      assert.equal(await exists(join(b, "parts", "tool")), false);
      assert.equal(
        await exists(join(b, "downloads", "download", "tool")),
        false,
      );
    } finally {
      await server.close();
    }
  }));

for (const name of ["evil.tar.gz", "evil-link.tar"]) {
  Deno.test(`${name}: escaping entries are refused, nothing half-extracted`, () =>
    withTempDir(async (dir) => {
      const { b, server } = await setup(dir);
      try {
        await write(
          b,
          config("app") +
            `[app]\nrecipe = download\nurl = ${server.url}${name}\n`,
        );
        const r = await runCli(["-U"], { cwd: b });
        assert.equal(r.code, 1, r.stdout);
        assert.match(
          r.stderr,
          new RegExp(
            `^Error: Refusing to extract '(\\.\\./escaped\\.txt|out)' from ${
              join(b, "downloads", "download", name)
            }: it points outside`,
            "m",
          ),
        );
        assert.equal(await exists(join(b, "parts", "app")), false);
        assert.deepEqual(await tree(join(b, "parts")).catch(() => []), []);
        assert.equal(await exists(join(b, "escaped.txt")), false);
      } finally {
        await server.close();
      }
    }));
}

Deno.test("an existing target is an error unless ignore-existing is set", () =>
  withTempDir(async (dir) => {
    const { b, server } = await setup(dir);
    try {
      const shared = join(b, "shared");
      await Deno.mkdir(join(shared, "bin"), { recursive: true });
      await Deno.writeTextFile(join(shared, "bin", "mine"), "keep");
      const part =
        `[app]\nrecipe = download\nurl = ${server.url}app-1.0.tar.gz\n` +
        `destination = shared\nstrip-top-level-dir = true\n`;
      await write(b, config("app") + part);
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`Error: Target ${join(shared, "bin")} already exists.`),
      );
      assert.deepEqual(await tree(shared), ["bin/", "bin/mine"]);

      await write(b, config("app") + part + "ignore-existing = true\n");
      const ok = await runCli(["-U"], { cwd: b });
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(
        ok.stdout,
        new RegExp(`Ignoring existing target: ${join(shared, "bin")}`),
      );
      assert.equal(
        await Deno.readTextFile(join(shared, "bin", "mine")),
        "keep",
      );
      assert.equal(await exists(join(shared, "bin", "run")), false);
      assert.equal(await exists(join(shared, "README")), true);

      // uninstall removes what the part created, not the folder it shared
      await write(b, config(""));
      const u = await runCli(["-U"], { cwd: b });
      assert.equal(u.code, 0, u.stderr);
      assert.deepEqual(await tree(shared), ["bin/", "bin/mine"]);
    } finally {
      await server.close();
    }
  }));
