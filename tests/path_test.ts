import assert from "node:assert/strict";
import * as node from "node:path";
import * as ours from "../src/path.ts";

const SEGMENTS = ["", ".", "..", "a", "bb", "c.txt", ".hidden", "x y", "é"];

/** Every path of up to four segments from SEGMENTS, with and without leading/trailing slashes. */
function* paths(): Generator<string> {
  yield* ["", "/", "//", "///a//", "./", "../", "a//b", "/..", "a/../.."];
  for (let n = 1; n <= 3; n++) {
    const idx = new Array(n).fill(0);
    while (true) {
      const body = idx.map((i) => SEGMENTS[i]).join("/");
      for (const p of [body, "/" + body, body + "/", "/" + body + "/"]) yield p;
      let k = 0;
      while (k < n && ++idx[k] === SEGMENTS.length) idx[k++] = 0;
      if (k === n) break;
    }
  }
}

Deno.test("src/path.ts gives node:path's answers", () => {
  const all = [...new Set(paths())];
  for (const p of all) {
    for (
      const f of ["normalize", "dirname", "basename", "isAbsolute"] as const
    ) {
      assert.equal(ours[f](p), node[f](p), `${f}(${JSON.stringify(p)})`);
    }
    assert.equal(
      ours.resolve(p),
      node.resolve(p),
      `resolve(${JSON.stringify(p)})`,
    );
    // (node:path gives "////" for basename("////", ".txt"): not followed.)
    if (/[^/]/.test(p)) {
      assert.equal(ours.basename(p, ".txt"), node.basename(p, ".txt"), p);
    }
  }
  const some = all.filter((_, i) => i % 7 === 0);
  for (const a of some) {
    for (const b of some) {
      assert.equal(
        ours.join(a, b),
        node.join(a, b),
        `join(${JSON.stringify([a, b])})`,
      );
      assert.equal(
        ours.resolve(a, b),
        node.resolve(a, b),
        `resolve(${JSON.stringify([a, b])})`,
      );
      assert.equal(
        ours.relative(a, b),
        node.relative(a, b),
        `relative(${JSON.stringify([a, b])})`,
      );
    }
  }
  assert.equal(ours.join(), node.join());
  assert.equal(ours.join("a", "", "b"), node.join("a", "", "b"));
  assert.equal(
    ours.basename("aaa/bbb", "bbb"),
    node.basename("aaa/bbb", "bbb"),
  );
  assert.equal(ours.sep, node.sep);
  assert.equal(ours.delimiter, node.delimiter);
});
