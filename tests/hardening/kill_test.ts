/**
 * Fault injection: installs killed with SIGKILL at pseudo-random moments, each
 * followed by a normal run that must succeed and leave the eggs, the download
 * cache and `.installed.cfg` consistent, then a no-op run.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLinkServer } from "../support/link_server.ts";
import {
  childEnv,
  MAIN_TS,
  runCli,
  runSubprocess,
  TASK_FLAGS,
  withTempDir,
} from "../support/run.ts";
import { makeTar } from "../install/support.ts";
import { archiveIsReadable } from "../../src/fetch/readable.ts";
import { parseInstalled } from "../../src/parts/installed.ts";
import { Journal } from "../../src/parts/journal.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const ROUNDS = 6;

/** A small deterministic generator, so a failing round can be replayed. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Start main.ts in its own process group and SIGKILL the group after `ms`. */
async function killedRun(b: string, env: Record<string, string>, ms: number) {
  const child = new Deno.Command("setsid", {
    args: [Deno.execPath(), "run", "--quiet", ...TASK_FLAGS, MAIN_TS],
    cwd: b,
    env: childEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // already finished
    }
  }, ms);
  await child.status;
  clearTimeout(timer);
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out.sort();
}

Deno.test("installs killed at random moments: the next run converges, a third is a no-op", () =>
  withTempDir(async (root) => {
    const srv = join(root, "srv");
    await Deno.mkdir(srv);
    await makeTar(join(srv, "tool-1.0.tar.gz"), [
      {
        name: "tool-1.0/bin/run",
        content: "#!/bin/sh\necho run\n",
        mode: 0o755,
      },
      { name: "tool-1.0/README", content: "x".repeat(200_000) },
    ], "gz");
    const links = await startLinkServer(LINKS);
    const files = await startLinkServer(srv);
    const b = join(root, "b");
    const cache = join(root, "cache");
    const env = { BUILDOUT_HOME: join(root, "home") };
    await Deno.mkdir(b);
    await Deno.writeTextFile(
      join(b, "buildout.cfg"),
      `[buildout]\nparts = data app tool\ndownload-cache = ${cache}\n` +
        `find-links = ${links.url}\nindex = ${links.url}index/\n\n` +
        "[data]\nrecipe = mkdir\npaths = var/data\n\n" +
        "[app]\nrecipe = zc.recipe.egg\neggs = demo ==0.2\n\n" +
        `[tool]\nrecipe = hexagonit.recipe.download\nurl = ${files.url}tool-1.0.tar.gz\n` +
        "strip-top-level-dir = true\n",
    );
    const random = lcg(20261130);
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const ms = 150 + Math.floor(random() * 2500);
        const what = `round ${round}, killed after ${ms} ms`;
        // Every other round starts from nothing, cache included.
        for (const d of ["bin", "parts", "eggs", "develop-eggs", "var"]) {
          await Deno.remove(join(b, d), { recursive: true }).catch(() => {});
        }
        await Deno.remove(join(b, ".installed.cfg")).catch(() => {});
        if (round % 2 === 0) {
          await Deno.remove(cache, { recursive: true }).catch(() => {});
        }
        await killedRun(b, env, ms);

        const r = await runSubprocess([], { cwd: b, env });
        assert.equal(r.code, 0, `${what}\n${r.stdout}${r.stderr}`);
        const installed = parseInstalled(
          await Deno.readTextFile(join(b, ".installed.cfg")),
          ".installed.cfg",
        );
        assert.deepEqual(installed.parts, ["data", "app", "tool"], what);
        assert.equal(
          await Deno.readTextFile(join(b, "parts/tool/README")),
          "x".repeat(200_000),
          what,
        );
        assert.ok((await Deno.stat(join(b, "var/data"))).isDirectory, what);
        const demo = await new Deno.Command(join(b, "bin", "demo")).output();
        assert.equal(new TextDecoder().decode(demo.stdout), "2 1\n", what);
        // Cache: every file under a final name is a complete archive.
        for (const n of await names(join(cache, "dist"))) {
          if (n.startsWith(".")) continue;
          assert.ok(
            await archiveIsReadable(join(cache, "dist", n)),
            `${what}: ${n}`,
          );
        }
        // Eggs: every egg under a final name has its metadata.
        for (const n of await names(join(b, "eggs"))) {
          if (n.startsWith(".")) continue;
          const meta = await names(join(b, "eggs", n));
          assert.ok(
            meta.includes("EGG-INFO") ||
              meta.some((m) => m.endsWith(".dist-info")),
            `${what}: ${n} has ${meta}`,
          );
        }
        assert.deepEqual(
          (await names(b)).filter((n) =>
            n.endsWith(".tmp") || n.includes("journal")
          ),
          [],
          what,
        );

        const again = await runSubprocess([], { cwd: b, env });
        assert.equal(again.code, 0, `${what}\n${again.stdout}${again.stderr}`);
        assert.doesNotMatch(again.stdout, /Installing|Uninstalling/, what);
      }
    } finally {
      await links.close();
      await files.close();
    }
  }));

Deno.test("an install killed after its files were written but before it was recorded is replaced, not 'already exists'", () =>
  withTempDir(async (root) => {
    const srv = join(root, "srv");
    await Deno.mkdir(srv);
    await makeTar(join(srv, "tool-1.0.tar.gz"), [
      { name: "tool-1.0/README", content: "new" },
    ], "gz");
    const files = await startLinkServer(srv);
    const b = join(root, "b");
    await Deno.mkdir(b);
    try {
      await Deno.writeTextFile(
        join(b, "buildout.cfg"),
        "[buildout]\nparts = data tool\n\n" +
          "[data]\nrecipe = mkdir\npaths = var/data\n\n" +
          `[tool]\nrecipe = hexagonit.recipe.download\nurl = ${files.url}tool-1.0.tar.gz\n` +
          "strip-top-level-dir = true\n",
      );
      // The state a run killed inside tool's install leaves: data recorded,
      // tool's files in place, tool not recorded, the journal naming it.
      const first = await runCli(["-U", "buildout:parts=data"], { cwd: b });
      assert.equal(first.code, 0, first.stdout + first.stderr);
      const bin = await names(join(b, "bin"));
      const parts = await names(join(b, "parts"));
      await new Journal(b).begin({
        part: "tool",
        before: { [join(b, "bin")]: bin, [join(b, "parts")]: parts },
        pending: [join(b, "parts", "tool")],
      });
      await Deno.mkdir(join(b, "parts", "tool"));
      await Deno.writeTextFile(join(b, "parts", "tool", "README"), "half");
      await Deno.writeTextFile(join(b, "..installed.cfg.999.tmp"), "[buildout");

      const r = await runCli(["-U"], { cwd: b });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(
        r.stdout,
        /^Removing what an interrupted install of tool left behind\.\nUpdating data\.\nInstalling tool\.$/m,
      );
      assert.doesNotMatch(r.stdout, /Installing data/);
      assert.equal(
        await Deno.readTextFile(join(b, "parts/tool/README")),
        "new",
      );
      assert.deepEqual(
        (await names(b)).filter((n) =>
          n.endsWith(".tmp") || n.includes("journal")
        ),
        [],
      );
      // A journal whose part did get recorded removes nothing.
      await new Journal(b).begin({
        part: "tool",
        before: { [join(b, "parts")]: [] },
        pending: [],
      });
      const r2 = await runCli(["-U"], { cwd: b });
      assert.equal(r2.code, 0, r2.stdout + r2.stderr);
      assert.doesNotMatch(r2.stdout, /interrupted|Installing/);
      assert.equal(
        await Deno.readTextFile(join(b, "parts/tool/README")),
        "new",
      );
    } finally {
      await files.close();
    }
  }));
