import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { installArtifact } from "../../src/install/install.ts";
import { UserError } from "../../src/errors.ts";
import { Logger } from "../../src/log.ts";
import { INTERP, makeWheel, tree } from "./support.ts";
import { withTempDir as withTmp } from "../support/run.ts";
import { MiB, randomBlock } from "../extract/big.ts";

const log = () => new Logger(20, () => {});

/** 3 MiB of text that compresses poorly: streamed, not inflated whole. */
const BIG = Buffer.from(randomBlock(3 * MiB)).toString("base64").slice(
  0,
  3 * MiB,
);
const digest = (algo: string, s: string) =>
  algo + "=" + createHash(algo).update(s).digest("base64url");
const WHEEL = "big-1.0-py3-none-any.whl";

async function wheelWith(dir: string, row?: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  return await makeWheel(dir, {
    name: "big",
    version: "1.0",
    files: { "big/__init__.py": "", "big/data.txt": BIG },
    recordOverride: row ? { "big/data.txt": row } : undefined,
  });
}

Deno.test("a wheel's large file is streamed to disk and hashed for RECORD as it streams", () =>
  withTmp(async (dir) => {
    const whl = await wheelWith(`${dir}/w`);
    const dist = await installArtifact(whl, `${dir}/eggs`, INTERP, log());
    assert.equal(await Deno.readTextFile(`${dist.location}/big/data.txt`), BIG);
    // another algorithm than the streaming one: the file is read back in chunks
    const whl512 = await wheelWith(
      `${dir}/w512`,
      `big/data.txt,${digest("sha512", BIG)},${BIG.length}`,
    );
    await installArtifact(whl512, `${dir}/eggs512`, INTERP, log());
  }));

for (
  const [what, row, why] of [
    [
      "hash",
      `big/data.txt,${digest("sha256", "other")},${3 * MiB}`,
      "hash",
    ],
    ["size", `big/data.txt,${digest("sha256", BIG)},${3 * MiB - 1}`, "size"],
    ["sha512 hash", `big/data.txt,${digest("sha512", "x")},${3 * MiB}`, "hash"],
  ] as const
) {
  Deno.test(`a large file whose RECORD ${what} differs is refused, nothing left in eggs/`, () =>
    withTmp(async (dir) => {
      const whl = await wheelWith(`${dir}/w`, row);
      await assert.rejects(
        installArtifact(whl, `${dir}/eggs`, INTERP, log()),
        new UserError(
          `${WHEEL} is damaged: big/data.txt does not match its RECORD ${why}.`,
        ),
      );
      assert.deepEqual(await tree(`${dir}/eggs`), []);
    }));
}
