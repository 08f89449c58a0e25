import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const MEMORY = fileURLToPath(new URL("../src/memory.ts", import.meta.url));

/**
 * The collections V8 reports (`--trace-gc`) for a run that reports 8 MiB of
 * buffers 40 times while its heap grows by ~0.4 MiB each time, the bytes
 * coming from the network or not.
 */
async function forcedCollections(network: boolean): Promise<string[]> {
  const script = `import { passed } from ${JSON.stringify(MEMORY)};
const keep = [];
for (let i = 0; i < 40; i++) {
  keep.push(new Array(50_000).fill(i));
  passed(8 * 1024 * 1024, ${network});
}`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      "--v8-flags=--max-semi-space-size=2,--expose-gc,--trace-gc",
      script,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout).split("\n")
    .filter((l) => l.includes("testing"));
}

Deno.test("memory: a minor collection every 8 MiB; full ones only when bytes came from the network", async () => {
  const offline = await forcedCollections(false);
  assert.equal(offline.filter((l) => l.includes("Scavenge")).length, 40);
  assert.deepEqual(offline.filter((l) => l.includes("Mark-Compact")), []);
  const online = await forcedCollections(true);
  const full = online.filter((l) => l.includes("Mark-Compact"));
  // ~16 MiB of growth, 4 MiB apart.
  assert.ok(full.length >= 2 && full.length <= 6, full.join("\n"));
});
