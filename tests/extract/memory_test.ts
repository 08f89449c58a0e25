import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { withTempDir as withTmp } from "../support/run.ts";
import { MiB, randomBlock, writeBigTarGz, writeBigZip } from "./big.ts";

const CHILD = fileURLToPath(new URL("./extract_child.ts", import.meta.url));
const SIZE = 300;
/**
 * Generous: the child peaks near 100 MiB; reading the archive whole and
 * inflating the member whole (as extraction once did) peaked over 900 MiB.
 */
const BOUND_MIB = 250;

/** Peak resident memory (MiB) of a child process extracting `file`. */
async function peakMiB(file: string, dest: string): Promise<number> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", CHILD, file, dest],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(r.stderr);
  assert.equal(r.code, 0, err);
  return Number(new TextDecoder().decode(r.stdout).trim()) / 1024;
}

Deno.test({
  name: `a ${SIZE} MiB member is extracted in bounded memory (zip, tar.gz)`,
  ignore: Deno.build.os !== "linux", // the child reads /proc/self/status
  fn: () =>
    withTmp(async (dir) => {
      const block = randomBlock();
      writeBigZip(`${dir}/big.zip`, [{ name: "big.bin", block, times: SIZE }]);
      writeBigTarGz(`${dir}/big.tar.gz`, "big.bin", block, SIZE);
      for (const kind of ["zip", "tar.gz"]) {
        const file = `${dir}/big.${kind}`;
        const out = `${dir}/out-${kind}`;
        const peak = await peakMiB(file, out);
        assert.ok(
          peak < BOUND_MIB,
          `${kind}: peak memory ${peak.toFixed(0)} MiB, over ${BOUND_MIB} MiB`,
        );
        assert.equal((await Deno.stat(`${out}/big.bin`)).size, SIZE * MiB);
        await Deno.remove(file);
        await Deno.remove(out, { recursive: true });
      }
    }),
});
