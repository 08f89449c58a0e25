import assert from "node:assert/strict";
import { extractArchive } from "../../src/extract/archive.ts";
import { DEFAULT_LIMITS } from "../../src/extract/limits.ts";
import { UserError } from "../../src/errors.ts";
import { makeTar, makeZip, tree } from "../install/support.ts";
import { withTempDir as withTmp } from "../support/run.ts";
import { MiB, randomBlock, writeBigTarGz, writeBigZip } from "./big.ts";

const refusal = (file: string, member: string, why: string) =>
  new UserError(`Refusing to extract ${file}: member '${member}' ${why}`);
const RATIO = "would decompress to more than 1000 times its compressed size " +
  "(max-compression-ratio)";

Deno.test("zip bomb: 200 MiB of zeros is refused before anything is written", () =>
  withTmp(async (dir) => {
    const file = `${dir}/bomb.zip`;
    writeBigZip(file, [
      { name: "ok.txt", block: new TextEncoder().encode("fine\n"), times: 1 },
      { name: "big.bin", block: new Uint8Array(MiB), times: 200 },
    ]);
    assert.ok((await Deno.stat(file)).size < 300_000);
    for (const direct of [false, true]) {
      // direct mode writes into the caller's folder
      if (direct) await Deno.mkdir(`${dir}/out`);
      await assert.rejects(
        extractArchive(file, `${dir}/out`, { direct }),
        refusal(file, "big.bin", RATIO),
      );
    }
    // nothing in the caller's folder
    assert.deepEqual(await tree(dir), ["bomb.zip", "out/"]);
  }));

Deno.test("zip: members past max-extract-size in total are refused", () =>
  withTmp(async (dir) => {
    const file = `${dir}/demo-1.0.zip`;
    await makeZip(file, [
      { name: "a.txt", content: "a".repeat(600) },
      { name: "b.txt", content: "b".repeat(600) },
    ]);
    const limits = { ...DEFAULT_LIMITS, maxExtractSize: 1000 };
    await assert.rejects(
      extractArchive(file, `${dir}/out`, { limits }),
      refusal(
        file,
        "b.txt",
        "would decompress to more than 1000 bytes (max-extract-size)",
      ),
    );
    assert.deepEqual(await tree(dir), ["demo-1.0.zip"]);
    await extractArchive(file, `${dir}/out`, {
      limits: { ...limits, maxExtractSize: 1200 },
    });
    assert.deepEqual(await tree(`${dir}/out`), ["a.txt", "b.txt"]);
  }));

for (
  const [what, block, times, declared] of [
    ["small (inflated whole)", new Uint8Array(64 * 1024).fill(65), 4, 1000],
    ["large (streamed)", randomBlock(), 3, 2 * MiB],
  ] as const
) {
  Deno.test(`zip: a header that lies about a ${what} member's size is refused`, () =>
    withTmp(async (dir) => {
      const file = `${dir}/liar.zip`;
      writeBigZip(file, [{ name: "x/liar.bin", block, times, declared }]);
      for (const direct of [false, true]) {
        if (direct) await Deno.mkdir(`${dir}/out`);
        await assert.rejects(
          extractArchive(file, `${dir}/out`, { direct }),
          refusal(
            file,
            "x/liar.bin",
            `inflates to more than the ${declared} bytes its header declares`,
          ),
        );
      }
      // with direct, removing the caller's folder is the caller's job
      assert.deepEqual(await tree(dir), ["liar.zip", "out/", "out/x/"]);
    }));
}

Deno.test("tar.gz bomb: 200 MiB of zeros is refused at its header", () =>
  withTmp(async (dir) => {
    const file = `${dir}/bomb.tar.gz`;
    writeBigTarGz(file, "big.bin", new Uint8Array(MiB), 200);
    assert.ok((await Deno.stat(file)).size < 300_000);
    await assert.rejects(
      extractArchive(file, `${dir}/out`),
      refusal(file, "big.bin", RATIO),
    );
    assert.deepEqual(await tree(dir), ["bomb.tar.gz"]);
  }));

Deno.test("tar.gz: a stream past max-extract-size is refused at the member crossing it", () =>
  withTmp(async (dir) => {
    const file = `${dir}/demo-1.0.tar.gz`;
    await makeTar(file, [
      { name: "a.txt", content: "a".repeat(3000) },
      { name: "b.txt", content: "b".repeat(3000) },
    ], "gz");
    await assert.rejects(
      extractArchive(file, `${dir}/out`, {
        limits: { ...DEFAULT_LIMITS, maxExtractSize: 5000 },
      }),
      refusal(
        file,
        "b.txt",
        "would decompress to more than 5000 bytes (max-extract-size)",
      ),
    );
    assert.deepEqual(await tree(dir), ["demo-1.0.tar.gz"]);
  }));

Deno.test("highly compressible files below the ratio's floor pass; large members stream intact", () =>
  withTmp(async (dir) => {
    const random = randomBlock();
    const zeros = new Uint8Array(MiB);
    writeBigZip(`${dir}/ok.zip`, [
      { name: "zeros.bin", block: zeros, times: 9 },
      { name: "random.bin", block: random, times: 3 },
    ]);
    writeBigTarGz(`${dir}/ok.tar.gz`, "random.bin", random, 3);
    await makeTar(`${dir}/ok.tar`, [{ name: "random.bin", content: random }]);
    await extractArchive(`${dir}/ok.zip`, `${dir}/zip`);
    await extractArchive(`${dir}/ok.tar.gz`, `${dir}/tgz`);
    await extractArchive(`${dir}/ok.tar`, `${dir}/tar`);
    const zipped = await Deno.readFile(`${dir}/zip/zeros.bin`);
    assert.equal(zipped.length, 9 * MiB);
    assert.ok(zipped.every((b) => b === 0));
    for (const [out, times] of [["zip", 3], ["tgz", 3], ["tar", 1]] as const) {
      const got = await Deno.readFile(`${dir}/${out}/random.bin`);
      assert.equal(got.length, times * MiB);
      for (let i = 0; i < times; i++) {
        assert.deepEqual(got.subarray(i * MiB, (i + 1) * MiB), random);
      }
    }
  }));

Deno.test("zip: a damaged large member fails its checksum while streaming, nothing left", () =>
  withTmp(async (dir) => {
    const file = `${dir}/bad.zip`;
    writeBigZip(file, [{ name: "r.bin", block: randomBlock(), times: 3 }]);
    const f = await Deno.open(file, { read: true, write: true });
    await f.seek(2 * MiB, Deno.SeekMode.Start);
    await f.write(new Uint8Array(16).fill(7));
    f.close();
    await assert.rejects(
      extractArchive(file, `${dir}/out`),
      (e: Error) => {
        assert.ok(e instanceof UserError);
        assert.match(
          e.message,
          /^.*bad\.zip is not a valid zip archive: r\.bin: /,
        );
        return true;
      },
    );
    assert.deepEqual(await tree(dir), ["bad.zip"]);
  }));
