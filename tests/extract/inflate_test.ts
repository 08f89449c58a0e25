/**
 * Small members inflated whole: the reused inflater and `inflateRawSync`
 * agree on good data, on members that inflate to more than declared, and on
 * damaged data; a damaged member leaves the reused inflater fit for the next.
 */
import assert from "node:assert/strict";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { inflaterReused, inflateWhole } from "../../src/extract/inflate.ts";
import { randomBlock } from "./big.ts";

const enc = new TextEncoder();
const samples = [
  new Uint8Array(),
  enc.encode("x"),
  enc.encode("import os\n".repeat(300)),
  randomBlock(70_000),
];

Deno.test("this Deno's Node layer gives the inflater that is reused", () => {
  assert.ok(inflaterReused());
});

for (const reuse of [true, false]) {
  const how = reuse ? "reused inflater" : "inflateRawSync";

  Deno.test(`${how}: good members come out as they went in`, () => {
    for (const s of samples) {
      const out = inflateWhole(deflateRawSync(s), s.length, reuse);
      assert.deepEqual(new Uint8Array(out!), s);
    }
  });

  Deno.test(`${how}: more than the declared size is undefined, exactly it is not`, () => {
    const s = enc.encode("hello world ".repeat(100));
    const packed = deflateRawSync(s);
    assert.equal(inflateWhole(packed, s.length - 1, reuse), undefined);
    assert.equal(inflateWhole(packed, 0, reuse), undefined);
    assert.equal(inflateWhole(packed, s.length, reuse)!.length, s.length);
    // declaring more is not a lie here: the caller compares sizes and CRC
    assert.equal(inflateWhole(packed, s.length + 10, reuse)!.length, s.length);
  });

  Deno.test(`${how}: damaged data throws zlib's message; the next member is fine`, () => {
    const s = enc.encode("some text ".repeat(200));
    const packed = deflateRawSync(s);
    const cases: [Uint8Array, RegExp][] = [
      [packed.subarray(0, packed.length - 4), /unexpected end of file/],
      [new Uint8Array([0xff, 0xff, 0xff, 0]), /invalid block type/],
    ];
    for (const [bad, why] of cases) {
      let direct: unknown;
      try {
        inflateRawSync(bad);
      } catch (e) {
        direct = e;
      }
      assert.throws(() => inflateWhole(bad, s.length, reuse), (e: Error) => {
        assert.match(e.message, why);
        assert.equal(e.message, (direct as Error).message);
        return true;
      });
      assert.deepEqual(
        new Uint8Array(inflateWhole(packed, s.length, reuse)!),
        s,
      );
    }
  });
}
