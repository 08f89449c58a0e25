/**
 * Server faults and bad downloads through the egg recipe: one clear error with
 * buildout's context, exit 1, and nothing half-written: no file in the cache,
 * no egg, the part not recorded.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { type Fault, startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));
const EGG = "demo-0.2-py3.11.egg";

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) out.push(e.name);
  } catch { /* missing: empty */ }
  return out.sort();
}

async function attempt(
  fault: Fault | undefined,
  findLinks: (url: string) => string,
) {
  const server = await startLinkServer(LINKS);
  try {
    if (fault) server.fault(`/${EGG}`, fault);
    return await withTempResult(async (dir) => {
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts = eggs\ndownload-cache = cache\nfind-links = ${
          findLinks(server.url)
        }\n` +
          `index = ${server.url}index/\nsocket-timeout = 2\n\n[eggs]\nrecipe = zc.recipe.egg\neggs = demo ==0.2\n`,
      );
      const r = await runCli([], {
        cwd: dir,
        env: { BUILDOUT_HOME: join(dir, "none") },
      });
      return {
        ...r,
        cached: await names(join(dir, "cache", "dist")),
        eggs: (await names(join(dir, "eggs"))).filter((n) =>
          !n.startsWith(".")
        ),
        installed: await Deno.readTextFile(join(dir, ".installed.cfg")).catch(
          () => "",
        ),
      };
    });
  } finally {
    await server.close();
  }
}

async function withTempResult<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  let out: T | undefined;
  await withTempDir(async (dir) => {
    out = await fn(dir);
  });
  return out!;
}

const context =
  "While:\n  Installing eggs.\n  Getting distribution for 'demo==0.2'.\n";

Deno.test("a 404 for a listed file: Can't download, nothing kept", async () => {
  const r = await attempt({ kind: "status", status: 404 }, (u) => u);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `^${context}Error: Can't download http://127\\.0\\.0\\.1:\\d+/${EGG}: 404 Not Found\\n$`,
    ),
  );
  assert.deepEqual(r.cached, []);
  assert.deepEqual(r.eggs, []);
  assert.equal(r.installed, "");
});

Deno.test("a server error that persists through the retries", async () => {
  const r = await attempt({ kind: "status", status: 500 }, (u) => u);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `^${context}Error: Can't download http://\\S+/${EGG}: 500 Internal Server Error\\n$`,
    ),
  );
  assert.deepEqual(r.cached, []);
  assert.deepEqual(r.eggs, []);
});

Deno.test("a truncated body is retried, then reported; a stall times out", async () => {
  let r = await attempt({ kind: "truncate", bytes: 100 }, (u) => u);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `^${context}Error: Can't download http://\\S+/${EGG}: error reading a body from connection\\n$`,
    ),
  );
  assert.deepEqual(r.cached, []);
  r = await attempt({ kind: "stall", bytes: 100 }, (u) => u);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(
      `Error: Timed out downloading http://\\S+/${EGG} after 2 seconds\\n$`,
    ),
  );
  assert.deepEqual(r.cached, []);
  assert.deepEqual(r.eggs, []);
});

Deno.test("a hash mismatch rejects the file: nothing cached, nothing installed", async () => {
  const wrong = "0".repeat(64);
  const r = await attempt(undefined, (u) => `${u}${EGG}#sha256=${wrong}`);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `${context}Error: sha256 validation failed for ${EGG}; possible download problem?\n`,
  );
  assert.deepEqual(r.cached, []);
  assert.deepEqual(r.eggs, []);
  assert.equal(r.installed, "");
});
