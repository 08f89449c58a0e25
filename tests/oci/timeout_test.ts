/**
 * A registry that stops answering: a request whose answer does not start, or
 * whose body pauses, is given up after the timeout with one line, and the
 * shared cache then steps aside for the rest of the run.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseOciRef, type RegistryRef } from "../../src/oci/ref.ts";
import { RegistryClient } from "../../src/oci/client.ts";
import { UserError } from "../../src/errors.ts";
import { startLinkServer } from "../support/link_server.ts";
import { runCli, withTempDir } from "../support/run.ts";

const LINKS = fileURLToPath(new URL("../../fixtures/links", import.meta.url));

/** A TCP server that accepts connections and never says a word. */
function startMute(): { host: string; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) held.push(conn);
  })().catch(() => {});
  return {
    host: `127.0.0.1:${listener.addr.port}`,
    close() {
      for (const c of held) c.close();
      listener.close();
    },
  };
}

const client = (host: string) =>
  new RegistryClient(
    parseOciRef(`oci://${host}/team/cache`) as RegistryRef,
    {},
    "pull",
    1,
  );

Deno.test("a registry that does not answer is given up after the timeout, in one line", async () => {
  const mute = startMute();
  try {
    const t0 = performance.now();
    await assert.rejects(
      client(mute.host).getManifest("latest"),
      new UserError(
        `Registry ${mute.host} unreachable (http://${mute.host}): no answer within 1 second`,
      ),
    );
    assert.ok(performance.now() - t0 < 10_000);
  } finally {
    mute.close();
  }
});

Deno.test("a blob whose body stops coming is given up after the timeout, in one line", async () => {
  const ac = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: ac.signal,
    onListen() {},
  }, () =>
    new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(new Uint8Array(1024)); // then nothing more
        },
      }),
    ));
  const host = `127.0.0.1:${server.addr.port}`;
  try {
    const body = await client(host).getBlob("sha256:" + "a".repeat(64));
    await assert.rejects(
      new Response(body).arrayBuffer(),
      new UserError(
        `Registry ${host} unreachable (http://${host}): no data for 1 second`,
      ),
    );
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("a shared cache on a registry that does not answer: one warning, the install goes on", async () => {
  const mute = startMute();
  const upstream = await startLinkServer(LINKS);
  try {
    await withTempDir(async (dir) => {
      await Deno.writeTextFile(
        join(dir, "buildout.cfg"),
        `[buildout]\nparts = eggs\ndownload-cache = ${dir}/cache\n` +
          `find-links = ${upstream.url}\nindex = ${upstream.url}index/\n` +
          `shared-cache = oci://${mute.host}/team/cache\nsocket-timeout = 1\n\n` +
          `[eggs]\nrecipe = zc.recipe.egg\neggs = demo\n`,
      );
      const r = await runCli([], { cwd: dir });
      const out = r.stdout + r.stderr;
      assert.equal(r.code, 0, out);
      assert.ok(
        out.includes(
          "Got demo 0.3.\nGetting distribution for 'demoneeded'.\nGot demoneeded 1.1.\n",
        ),
        out,
      );
      assert.deepEqual(
        out.split("\n").filter((l) => l.startsWith("The shared cache")),
        [
          `The shared cache oci://${mute.host}/team/cache is unavailable (no answer within 1 second); downloading from upstream for the rest of this run.`,
        ],
      );
    });
  } finally {
    await upstream.close();
    mute.close();
  }
});
