/**
 * Decompression bombs through `buildout`: a wheel found in find-links and an
 * archive fetched by the download recipe are refused with one line, and
 * nothing is left in eggs/ or parts/. The limits are `[buildout]` options.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { runSubprocess, withTempDir } from "../support/run.ts";
import { MiB, writeBigTarGz, writeBigZip } from "../extract/big.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const small = (name: string, text: string) => ({
  name,
  block: enc(text),
  times: 1,
});
const RATIO = "would decompress to more than 1000 times its compressed size " +
  "(max-compression-ratio)";

/** A wheel whose `bomb/big.bin` is 200 MiB of zeros (about 200 KB zipped). */
function writeBombWheel(dir: string): string {
  const di = "bomb-1.0.dist-info";
  const file = join(dir, "bomb-1.0-py3-none-any.whl");
  writeBigZip(file, [
    small("bomb/__init__.py", ""),
    { name: "bomb/big.bin", block: new Uint8Array(MiB), times: 200 },
    small(
      `${di}/METADATA`,
      "Metadata-Version: 2.1\nName: bomb\nVersion: 1.0\n",
    ),
    small(`${di}/WHEEL`, "Wheel-Version: 1.0\nRoot-Is-Purelib: true\n"),
    small(`${di}/RECORD`, ""),
  ]);
  return file;
}

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);

Deno.test("a wheel bomb in find-links is refused with one line; eggs/ stays empty", () =>
  withTempDir(async (dir) => {
    const links = join(dir, "links");
    await Deno.mkdir(links);
    const wheel = writeBombWheel(links);
    const b = join(dir, "b");
    await Deno.mkdir(b);
    const env = { BUILDOUT_HOME: join(dir, "no-home") };
    const write = (extra: string) =>
      Deno.writeTextFile(
        join(b, "buildout.cfg"),
        `[buildout]\nparts = app\nfind-links = ${links}\nindex = ${links}\n` +
          `${extra}\n[app]\nrecipe = zc.recipe.egg\neggs = bomb\n`,
      );
    await write("");
    let r = await runSubprocess([], { cwd: b, env });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(
      lastLine(r.stderr),
      `Error: Refusing to extract ${wheel}: member 'bomb/big.bin' ${RATIO}`,
    );
    assert.deepEqual(
      (await listing(join(b, "eggs"))).filter((n) => n !== ".interpreters"),
      [],
    );
    // The size limit, with the ratio check turned off.
    await write("max-compression-ratio = 0\nmax-extract-size = 100000000");
    r = await runSubprocess([], { cwd: b, env });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(
      lastLine(r.stderr),
      `Error: Refusing to extract ${wheel}: member 'bomb/big.bin' ` +
        "would decompress to more than 100000000 bytes (max-extract-size)",
    );
    assert.deepEqual(
      (await listing(join(b, "eggs"))).filter((n) => n !== ".interpreters"),
      [],
    );
    await write("max-extract-size = lots");
    r = await runSubprocess([], { cwd: b, env });
    assert.equal(r.code, 1);
    assert.equal(
      lastLine(r.stderr),
      "Error: Invalid value for 'max-extract-size' option: 'lots'",
    );
  }));

Deno.test("a tar.gz bomb fetched by the download recipe is refused; parts/ stays empty", () =>
  withTempDir(async (dir) => {
    const bomb = join(dir, "bomb-1.0.tar.gz");
    writeBigTarGz(bomb, "bomb-1.0/big.bin", new Uint8Array(MiB), 200);
    const b = join(dir, "b");
    await Deno.mkdir(b);
    await Deno.writeTextFile(
      join(b, "buildout.cfg"),
      `[buildout]\nparts = data\n[data]\nrecipe = hexagonit.recipe.download\n` +
        `url = ${bomb}\n`,
    );
    const r = await runSubprocess([], {
      cwd: b,
      env: { BUILDOUT_HOME: join(dir, "no-home") },
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(
      lastLine(r.stderr),
      `Error: Refusing to extract ${bomb}: member 'bomb-1.0/big.bin' ${RATIO}`,
    );
    assert.deepEqual(await listing(join(b, "parts")), []);
  }));
