/**
 * A download streams to disk while it is hashed: a 300 MiB file comes down in
 * bounded memory, and its sha256 is checked without reading it back.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { withTempDir } from "../support/run.ts";
import { MiB, randomBlock } from "../extract/big.ts";

const CHILD = fileURLToPath(new URL("./download_child.ts", import.meta.url));
const SIZE = 300;
/** Generous: holding the body whole would need over 300 MiB. */
const BOUND_MIB = 200;

Deno.test({
  name:
    `a ${SIZE} MiB download is hashed as it streams to disk, in bounded memory`,
  ignore: Deno.build.os !== "linux", // the child reads /proc/self/status
  fn: () =>
    withTempDir(async (dir) => {
      const block = randomBlock(MiB);
      const hash = createHash("sha256");
      for (let i = 0; i < SIZE; i++) hash.update(block);
      const sha256 = hash.digest("hex");
      const server = Deno.serve(
        { hostname: "127.0.0.1", port: 0, onListen: () => {} },
        () => {
          let sent = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(c) {
              if (sent++ === SIZE) c.close();
              else c.enqueue(block.slice());
            },
          });
          return new Response(body, {
            headers: { "content-length": String(SIZE * MiB) },
          });
        },
      );
      try {
        const url = `http://127.0.0.1:${server.addr.port}/big-1.0.tar.gz`;
        const target = join(dir, "dist", "big-1.0.tar.gz");
        const r = await new Deno.Command(Deno.execPath(), {
          args: ["run", "--quiet", "-A", CHILD, url, target, sha256],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.equal(r.code, 0, new TextDecoder().decode(r.stderr));
        const peak = Number(new TextDecoder().decode(r.stdout).trim()) / 1024;
        assert.ok(
          peak < BOUND_MIB,
          `peak memory ${peak.toFixed(0)} MiB, over ${BOUND_MIB} MiB`,
        );
        assert.equal((await Deno.stat(target)).size, SIZE * MiB);
        assert.deepEqual(
          [...Deno.readDirSync(join(dir, "dist"))].map((e) => e.name),
          ["big-1.0.tar.gz"],
        );
      } finally {
        await server.shutdown();
      }
    }),
});
