import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Sha256, sha256Hex } from "../src/sha256.ts";

Deno.test("sha256 equals node:crypto's for every length around the block edges, in any pieces", () => {
  assert.equal(
    sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(sha256Hex(""), createHash("sha256").update("").digest("hex"));
  const data = new Uint8Array(300).map((_, i) => (i * 131 + 7) & 255);
  for (let n = 0; n <= data.length; n++) {
    const bytes = data.subarray(0, n);
    const want = createHash("sha256").update(bytes).digest("hex");
    assert.equal(sha256Hex(bytes), want, `length ${n}`);
    const h = new Sha256();
    for (let at = 0; at < n; at += 13) h.update(bytes.subarray(at, at + 13));
    assert.equal(h.digest("hex"), want, `length ${n} in pieces`);
  }
  const text = "ünïcödé /simple/demo/ ✓";
  assert.equal(
    sha256Hex(text),
    createHash("sha256").update(text).digest("hex"),
  );
});
