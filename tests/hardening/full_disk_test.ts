/**
 * A full disk: a run with nothing to change still succeeds, and a run that
 * must write fails with one line naming the file and the action, recording
 * nothing half-done. Needs root to mount a small tmpfs (CI runs as root).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runSubprocess, withTempDir } from "../support/run.ts";

const WHEELS = fileURLToPath(new URL("../../fixtures/wheels", import.meta.url));

async function sh(cmd: string, ...args: string[]): Promise<boolean> {
  const r = await new Deno.Command(cmd, {
    args,
    stderr: "null",
    stdout: "null",
  })
    .output().catch(() => undefined);
  return r?.success ?? false;
}

/** Fill the file system holding `dir` until it refuses another byte. */
async function fill(dir: string) {
  const f = await Deno.open(join(dir, "filler"), { write: true, create: true });
  const block = new Uint8Array(64 * 1024).fill(7);
  try {
    for (;;) await f.write(block);
  } catch (err) {
    assert.match(String(err), /No space left on device/);
  }
  try {
    for (;;) await f.write(block.subarray(0, 512));
  } catch { /* full to the last page */ }
  f.close();
}

Deno.test({
  name:
    "full disk: a no-op run succeeds; a run that must write fails with one clear line",
  ignore: Deno.uid() !== 0,
  fn: () =>
    withTempDir(async (root) => {
      const mnt = join(root, "mnt");
      await Deno.mkdir(mnt);
      if (!(await sh("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt))) {
        console.log("cannot mount a tmpfs here: skipped");
        return;
      }
      try {
        const b = join(mnt, "b");
        await Deno.mkdir(b);
        const files = join(root, "files");
        await Deno.mkdir(files);
        await Deno.writeFile(
          join(files, "blob"),
          new Uint8Array(256 * 1024).fill(1),
        );
        const cfg = (parts: string) =>
          `[buildout]\nparts = ${parts}\nfind-links = ${WHEELS}\nindex = ${root}/no-index\n` +
          `download-cache = ${mnt}/cache\n\n` +
          "[app]\nrecipe = zc.recipe.egg\neggs = greet\n\n" +
          "[data]\nrecipe = mkdir\npaths = var/data\n\n" +
          `[blob]\nrecipe = hexagonit.recipe.download\nurl = ${files}/blob\ndownload-only = true\n`;
        await Deno.writeTextFile(join(b, "buildout.cfg"), cfg("app data"));
        const first = await runSubprocess([], { cwd: b });
        assert.equal(first.code, 0, first.stdout + first.stderr);
        const installed = await Deno.readTextFile(join(b, ".installed.cfg"));

        await fill(mnt);
        const noop = await runSubprocess([], { cwd: b });
        assert.equal(noop.code, 0, noop.stdout + noop.stderr);
        assert.equal(noop.stdout, "Updating app.\nUpdating data.\n");
        assert.equal(
          await Deno.readTextFile(join(b, ".installed.cfg")),
          installed,
        );

        await Deno.writeTextFile(join(b, "buildout.cfg"), cfg("app data blob"))
          .catch(async () => {
            // the configuration lives on the full disk too: make room for it
            await Deno.remove(join(mnt, "filler"));
            await Deno.writeTextFile(
              join(b, "buildout.cfg"),
              cfg("app data blob"),
            );
            await fill(mnt);
          });
        const full = await runSubprocess([], { cwd: b });
        assert.equal(full.code, 1, full.stdout + full.stderr);
        const lines = full.stderr.trimEnd().split("\n");
        assert.deepEqual(lines.slice(0, 2), ["While:", "  Installing blob."]);
        assert.match(
          lines.at(-1)!,
          /^Error: No space left on device \(os error 28\): \w+ '.*'/,
        );
        assert.match(lines.at(-1)!, new RegExp(b.replaceAll("/", "\\/")));
        assert.equal(lines.length, 3, full.stderr);
        assert.equal(
          await Deno.readTextFile(join(b, ".installed.cfg")),
          installed,
        );
        assert.equal(
          await Deno.lstat(join(b, "parts", "blob")).then(() => 1, () => 0),
          0,
        );
      } finally {
        await sh("umount", mnt);
      }
    }),
});
