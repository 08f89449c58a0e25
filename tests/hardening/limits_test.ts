/**
 * Hostile configurations end in one Error line, quickly and in bounded
 * memory (measured with /usr/bin/time where it is installed).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLinkServer } from "../support/link_server.ts";
import {
  childEnv,
  MAIN_TS,
  runCli,
  TASK_FLAGS,
  withTempDir,
} from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
import { MAX_CONFIG_BYTES } from "../../src/config/read.ts";
import { MAX_SUBSTITUTED } from "../../src/config/substitute.ts";

const HAVE_TIME = await Deno.stat("/usr/bin/time").then(
  () => true,
  () => false,
);
const ONE_GIB_KB = 1024 * 1024;

/** Run main.ts under /usr/bin/time; returns exit code, stderr and peak RSS in KiB. */
async function measured(cwd: string, args: string[]) {
  const rss = join(cwd, ".rss");
  const cmd = HAVE_TIME
    ? ["/usr/bin/time", "-f", "%M", "-o", rss, Deno.execPath()]
    : [Deno.execPath()];
  const out = await new Deno.Command(cmd[0], {
    args: [
      ...cmd.slice(1),
      "run",
      "--quiet",
      ...TASK_FLAGS,
      MAIN_TS,
      "-U",
      ...args,
    ],
    cwd,
    env: childEnv({ BUILDOUT_HOME: join(cwd, "no-home") }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const peakKb = HAVE_TIME
    ? Number((await Deno.readTextFile(rss)).trim().split("\n").at(-1))
    : 0;
  return {
    code: out.code,
    stderr: new TextDecoder().decode(out.stderr),
    peakKb,
  };
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

Deno.test("extends = /dev/zero, a FIFO or an oversized file: one Error line, bounded memory", () =>
  withTempDir(async (b) => {
    await new Deno.Command("mkfifo", { args: [join(b, "fifo")] }).output()
      .catch(() => {});
    const big = await Deno.open(join(b, "big.cfg"), {
      write: true,
      create: true,
    });
    await big.truncate(MAX_CONFIG_BYTES + 1);
    big.close();
    const cases: [string, RegExp][] = [
      [
        "/dev/zero",
        /^Error: Couldn't open \/dev\/zero \(extended by .*\): it is not a regular file$/,
      ],
      [
        "big.cfg",
        new RegExp(
          `^Error: Couldn't open .*big\\.cfg \\(extended by .*\\): it is larger than ${MAX_CONFIG_BYTES} bytes, the limit for configuration files$`,
        ),
      ],
    ];
    if (await Deno.lstat(join(b, "fifo")).then(() => true, () => false)) {
      cases.push([
        "fifo",
        /^Error: Couldn't open .*fifo \(extended by .*\): it is not a regular file$/,
      ]);
    }
    for (const [target, line] of cases) {
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nextends = ${target}\nparts =\n`,
      );
      const r = await measured(b, []);
      assert.equal(r.code, 1, r.stderr);
      assert.match(lastLine(r.stderr), line);
      assert.ok(r.peakKb < ONE_GIB_KB, `${target}: ${r.peakKb} KiB`);
    }
    const r = await measured(b, ["-c", "/dev/zero"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      lastLine(r.stderr),
      "Error: Couldn't open /dev/zero: it is not a regular file",
    );
  }));

Deno.test("exponential ${...} expansion stops with one Error line, bounded memory", () =>
  withTempDir(async (b) => {
    let cfg = "[buildout]\nparts =\nx = ${a:v40}\n\n[a]\nv0 = 0123456789\n";
    for (let i = 1; i <= 40; i++) {
      cfg += `v${i} = \${:v${i - 1}}\${:v${i - 1}}\n`;
    }
    await Deno.writeTextFile(join(b, "buildout.cfg"), cfg);
    const r = await measured(b, ["query", "x"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      lastLine(r.stderr),
      `Error: Substitution gives a value longer than ${MAX_SUBSTITUTED} characters (options that repeat each other's \${...} grow exponentially).`,
    );
    assert.match(r.stderr, /^While:\n {2}Initializing\.\n/);
    assert.ok(r.peakKb < ONE_GIB_KB, `${r.peakKb} KiB`);
  }));

Deno.test("a 60 MiB find-links page is scanned as it streams, never held whole", () =>
  withTempDir(async (b) => {
    const MiB = 1024 * 1024;
    const filler = new TextEncoder().encode(
      "<p>" + "no links here, just text ".repeat(40) + "</p>\n",
    );
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => {
        if (new URL(req.url).pathname !== "/") {
          return new Response("not here", { status: 404 });
        }
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(c) {
            if (sent >= 60 * MiB) {
              c.enqueue(
                new TextEncoder().encode('<a href="nothing-1.0.zip">x</a>'),
              );
              c.close();
              return;
            }
            c.enqueue(filler);
            sent += filler.length;
          },
        });
        return new Response(body, { headers: { "content-type": "text/html" } });
      },
    );
    try {
      const url = `http://127.0.0.1:${server.addr.port}/`;
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nparts = x\nfind-links = ${url}\nindex = ${b}/none\n\n` +
          "[x]\nrecipe = zc.recipe.egg:eggs\neggs = nothing\n",
      );
      const r = await measured(b, []);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        lastLine(r.stderr),
        `Error: Can't download ${url}nothing-1.0.zip: 404 Not Found`,
      );
      // The page's one link, at its very end, was found: the file it names
      // is then asked for (and is not there).
      if (HAVE_TIME) assert.ok(r.peakKb < 200 * 1024, `${r.peakKb} KiB`);
    } finally {
      await server.shutdown();
    }
  }));

Deno.test("max-page-size: a page over it is refused while it streams (a warning, then not found)", () =>
  withTempDir(async (b) => {
    const links = await startLinkServer(LINKS);
    try {
      const cfg = (extra: string) =>
        `[buildout]\nparts = x\nfind-links = ${links.url}\nindex = ${b}/none\n${extra}\n` +
        "[x]\nrecipe = zc.recipe.egg:eggs\neggs = demo\n";
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        cfg("max-page-size = 100\n"),
      );
      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stdout,
        new RegExp(
          `^Download error on ${links.url}: larger than 100 bytes -- Some packages may not be found!$`,
          "m",
        ),
      );
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        cfg("max-page-size = lots\n"),
      );
      const bad = await runCli(["-U"], { cwd: b });
      assert.equal(bad.code, 1);
      assert.match(
        bad.stderr,
        /^Error: Invalid value for 'max-page-size' option: 'lots'$/m,
      );
    } finally {
      await links.close();
    }
  }));
