/**
 * The writer thread: an extraction whose writes go to it leaves exactly the
 * tree one written on this thread leaves; a failed write is reported by the
 * next settle as the error the call itself throws, and what was asked after
 * it is not done; many bytes at once make the caller wait; the worker has no
 * more permission than the program.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { extractArchive } from "../../src/extract/archive.ts";
import { WriteThread } from "../../src/extract/write_thread.ts";
import { makeTar, makeZip, type Member, tree } from "../install/support.ts";
import { childEnv, withTempDir } from "../support/run.ts";
import { MiB, randomBlock } from "./big.ts";

/** Every entry below `dir`: its kind, mode bits and content or target. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const rel of await tree(dir)) {
    const path = join(dir, rel);
    const st = await Deno.lstat(path);
    const mode = (st.mode! & 0o7777).toString(8);
    if (st.isSymlink) out.push(`${rel} -> ${await Deno.readLink(path)}`);
    else if (st.isDirectory) out.push(`${rel} ${mode}`);
    else {
      const bytes = await Deno.readFile(path);
      const sum = await crypto.subtle.digest("SHA-256", bytes);
      out.push(
        `${rel} ${mode} ${bytes.length} ${
          btoa(String.fromCharCode(...new Uint8Array(sum)))
        }`,
      );
    }
  }
  return out;
}

const big = randomBlock(MiB + MiB / 2);
const MEMBERS: Member[] = [
  { name: "app/", type: "directory", mode: 0o750 },
  { name: "app/bin/run", content: "#!/bin/sh\necho hi\n", mode: 0o755 },
  { name: "app/README", content: "read me", mode: 0o600 },
  { name: "app/lib/x.py", content: "X = 1\n" },
  { name: "app/lib/big.bin", content: big },
  { name: "app/lib/after.py", content: "after the big one\n" },
  { name: "app/latest", type: "symlink", linkname: "lib/x.py" },
];
const TAR_ONLY: Member[] = [
  { name: "app/hard", type: "link", linkname: "app/bin/run" },
  { name: "app/README", content: "read me again", mode: 0o640 },
];

for (
  const [ext, make] of [
    ["whl", (p: string) => makeZip(p, MEMBERS)],
    ["tar.gz", (p: string) => makeTar(p, [...MEMBERS, ...TAR_ONLY], "gz")],
  ] as const
) {
  Deno.test(`${ext}: through the writer thread, the same tree as on this thread`, () =>
    withTempDir(async (dir) => {
      const file = join(dir, `sample.${ext}`);
      await make(file);
      const here = join(dir, "here");
      const there = join(dir, "there");
      await Deno.mkdir(here);
      await Deno.mkdir(there);
      const tops = await extractArchive(file, here, { direct: true });
      const writes = new WriteThread();
      try {
        const topsThere = await extractArchive(file, there, {
          direct: true,
          writes,
        });
        await writes.settled();
        assert.deepEqual(topsThere.map((t) => t.replace(there, here)), tops);
      } finally {
        writes.close();
      }
      const expected = await snapshot(here);
      assert.ok(
        expected.some((e) => e.startsWith("app/lib/big.bin 644 1572864 ")),
      );
      assert.deepEqual(await snapshot(there), expected);
    }));
}

Deno.test("a failed write is reported by the next settle; what came after it is not done", () =>
  withTempDir(async (dir) => {
    const data = new TextEncoder().encode("data");
    let direct: Error | undefined;
    try {
      Deno.writeFileSync(join(dir, "missing", "x"), data, { mode: 0o644 });
    } catch (e) {
      direct = e as Error;
    }
    assert.ok(direct instanceof Deno.errors.NotFound);
    const w = new WriteThread();
    try {
      w.mkdir(join(dir, "a"));
      w.writeFile(join(dir, "missing", "x"), data, 0o644);
      w.writeFile(join(dir, "a", "skipped"), data, 0o644);
      await assert.rejects(w.settled(), (e: Error) => {
        assert.ok(e instanceof Deno.errors.NotFound, String(e));
        assert.equal(e.message, direct!.message);
        return true;
      });
      assert.deepEqual(await tree(dir), ["a/"]);
      w.writeFile(join(dir, "a", "later"), data, 0o600);
      await w.settled();
      assert.deepEqual(await tree(dir), ["a/", "a/later"]);
      assert.equal(
        (await Deno.stat(join(dir, "a", "later"))).mode! & 0o777,
        0o600,
      );
    } finally {
      w.close();
    }
    await assert.rejects(w.settled(), /The file writer was closed/);
  }));

Deno.test("many bytes not yet written make writeFile ask the caller to wait", () =>
  withTempDir(async (dir) => {
    const w = new WriteThread();
    const block = randomBlock(MiB);
    let waits = 0;
    try {
      for (let i = 0; i < 20; i++) {
        const wait = w.writeFile(join(dir, `f${i}`), block, 0o644);
        if (wait) {
          waits++;
          await wait;
        }
      }
      await w.settled();
    } finally {
      w.close();
    }
    assert.ok(waits > 0, "never asked to wait");
    for (let i = 0; i < 20; i++) {
      assert.deepEqual(await Deno.readFile(join(dir, `f${i}`)), block);
    }
  }));

Deno.test("the writer thread cannot write where the program cannot", () =>
  withTempDir(async (dir) => {
    await Deno.mkdir(join(dir, "ok"));
    const child = fileURLToPath(new URL("./write_child.ts", import.meta.url));
    const r = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--allow-read",
        `--allow-write=${join(dir, "ok")}`,
        child,
        dir,
      ],
      env: childEnv(),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(r.stderr);
    assert.equal(r.code, 0, err);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(r.stdout)), {
      inside: "written",
      outside: "NotCapable",
    });
    assert.deepEqual(await tree(dir), ["ok/", "ok/a.txt"]);
  }));
