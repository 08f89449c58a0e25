import assert from "node:assert/strict";
import { parseDistFilename } from "../../src/pypa/filename.ts";
import { parseRequirement } from "../../src/pypa/requirement.ts";
import {
  type Candidate,
  chooseBest,
  isExactPin,
  KEEP_INSTALLED,
  rankCandidates,
} from "../../src/find/choose.ts";
import { fakeInterpreter } from "../support/interpreter.ts";

function cand(
  filename: string,
  extra: Partial<Candidate> = {},
): Candidate {
  const file = parseDistFilename(filename);
  assert.ok(file, filename);
  return {
    file,
    url: "http://127.0.0.1:1/" + filename,
    hashes: {},
    origin: "find-links",
    ...extra,
  };
}

const req = parseRequirement;
const SEED = [
  "demo-0.1-py3-none-any.whl",
  "demo-0.2-py3-none-any.whl",
  "demo-0.3-py3-none-any.whl",
  "demo-0.4rc1-py3-none-any.whl",
  "demoneeded-1.0.tar.gz",
  "demoneeded-1.1.tar.gz",
  "demoneeded-1.2rc1.tar.gz",
].map((f) => cand(f));

const version = (c: Candidate | typeof KEEP_INSTALLED | undefined) =>
  c === KEEP_INSTALLED ? "keep" : c?.file.version;

Deno.test("prefer-final: finals only when a final matches (seed: demo 0.3, demoneeded 1.1)", () => {
  assert.equal(
    version(chooseBest(req("demo"), SEED, { preferFinal: true })),
    "0.3",
  );
  assert.equal(
    version(chooseBest(req("demoneeded"), SEED, { preferFinal: true })),
    "1.1",
  );
  assert.equal(
    version(chooseBest(req("demo>0.3"), SEED, { preferFinal: true })),
    "0.4rc1",
  );
});

Deno.test("prefer-final = false: the newest, pre-releases included", () => {
  assert.equal(
    version(chooseBest(req("demo"), SEED, { preferFinal: false })),
    "0.4rc1",
  );
  assert.equal(
    version(chooseBest(req("demoneeded"), SEED, { preferFinal: false })),
    "1.2rc1",
  );
});

Deno.test("specifiers: pins, ranges with pre-releases in range, other projects ignored", () => {
  assert.equal(
    version(chooseBest(req("demo==0.2"), SEED, { preferFinal: true })),
    "0.2",
  );
  assert.equal(
    version(chooseBest(req("demo<0.3"), SEED, { preferFinal: true })),
    "0.2",
  );
  assert.equal(
    version(chooseBest(req("demo>=0.4a1"), SEED, { preferFinal: true })),
    "0.4rc1",
  );
  assert.equal(
    chooseBest(req("demo==9"), SEED, { preferFinal: true }),
    undefined,
  );
  assert.equal(
    chooseBest(req("other"), SEED, { preferFinal: true }),
    undefined,
  );
  assert.equal(
    version(
      chooseBest(req("Demo_Needed"), [cand("demo.needed-2.0.zip")], {
        preferFinal: true,
      }),
    ),
    "2.0",
  );
});

// buildout's prefer_final_permutation tests: (installed, available) -> result
const WITH_PREFER_FINAL: [string[], string[], string][] = [
  [[], ["1", "2a1"], "1"],
  [[], ["3a1"], "3a1"],
  [["4"], ["5a1"], "keep"],
  [["6"], ["7"], "7"],
  [["8"], ["8"], "keep"],
  [["10"], ["9"], "keep"],
  [["12a1"], ["11"], "11"],
  [["13a1"], ["13a2"], "13a2"],
  [["15a1"], ["14a1"], "keep"],
  [["16a1"], ["16a1"], "keep"],
];
const WITHOUT_PREFER_FINAL: [string[], string[], string][] = [
  [[], ["18", "19a1"], "19a1"],
  [[], ["20a1"], "20a1"],
  [["21"], ["22a1"], "22a1"],
  [["23"], ["24"], "24"],
  [["25"], ["25"], "keep"],
  [["27"], ["26"], "keep"],
  [["29a1"], ["28"], "keep"],
  [["30a1"], ["30a2"], "30a2"],
  [["32a1"], ["31a1"], "keep"],
  [["33a1"], ["33a1"], "keep"],
];

for (
  const [preferFinal, table] of [
    [true, WITH_PREFER_FINAL],
    [false, WITHOUT_PREFER_FINAL],
  ] as const
) {
  Deno.test(`installed vs available, prefer-final = ${preferFinal} (buildout's permutations)`, () => {
    for (const [installed, available, expected] of table) {
      const cands = available.map((v) => cand(`spam-${v}.tar.gz`));
      const got = chooseBest(req("spam"), cands, {
        preferFinal,
        installed: installed[0],
      });
      assert.equal(version(got), expected, `${installed} + ${available}`);
    }
  });
}

Deno.test("installed: nothing available keeps it; an installed version outside the spec is ignored", () => {
  assert.equal(
    chooseBest(req("spam"), [], { preferFinal: true, installed: "1" }),
    KEEP_INSTALLED,
  );
  const got = chooseBest(req("spam>=2"), [cand("spam-2.tar.gz")], {
    preferFinal: true,
    installed: "1",
  });
  assert.equal(version(got), "2");
  assert.equal(
    chooseBest(req("spam>=3"), [cand("spam-2.tar.gz")], {
      preferFinal: true,
      installed: "1",
    }),
    undefined,
  );
});

Deno.test("ties: the cache copy first, then wheel > egg > sdist, then the best wheel tag", () => {
  const remoteWheel = cand("demo-0.2-py3-none-any.whl");
  const cachedSdist = cand("demo-0.2.tar.gz", {
    origin: "cache",
    url: "/cache/dist/demo-0.2.tar.gz",
  });
  const egg = cand("demo-0.2-py3.11.egg");
  const sdist = cand("demo-0.2.zip");
  assert.equal(
    chooseBest(req("demo"), [remoteWheel, sdist, cachedSdist, egg], {
      preferFinal: true,
    }),
    cachedSdist,
  );
  assert.equal(
    chooseBest(req("demo"), [sdist, egg, remoteWheel], { preferFinal: true }),
    remoteWheel,
  );
  assert.equal(
    chooseBest(req("demo"), [sdist, egg], { preferFinal: true }),
    egg,
  );
  const generic = cand("demo-0.2-py3-none-any.whl");
  const specific = cand("demo-0.2-cp311-cp311-manylinux_2_17_x86_64.whl");
  const interpreter = fakeInterpreter(); // cp311 manylinux tags rank first
  assert.equal(
    chooseBest(req("demo"), [generic, specific], {
      preferFinal: true,
      interpreter,
    }),
    specific,
  );
  // a newer version beats any tie-break
  const newer = cand("demo-0.3.tar.gz");
  assert.equal(
    chooseBest(req("demo"), [cachedSdist, newer], { preferFinal: true }),
    newer,
  );
});

Deno.test("yanked files are taken only for an exact == pin, and then after unyanked ones", () => {
  const yanked = cand("demo-0.3.tar.gz", { yanked: true });
  const cands = [cand("demo-0.2.tar.gz"), yanked];
  assert.equal(
    version(chooseBest(req("demo"), cands, { preferFinal: true })),
    "0.2",
  );
  assert.equal(
    version(chooseBest(req("demo>=0.3"), cands, { preferFinal: true })),
    undefined,
  );
  assert.equal(
    chooseBest(req("demo==0.3"), cands, { preferFinal: true }),
    yanked,
  );
  assert.equal(
    chooseBest(req("demo"), cands, { preferFinal: true, pinned: true }),
    yanked,
  );
  const clean = cand("demo-0.3-py3-none-any.whl");
  const wheelYanked = cand("demo-0.3-py3-none-any.whl", {
    yanked: true,
    url: "http://x/y",
  });
  assert.equal(
    chooseBest(req("demo==0.3"), [wheelYanked, yanked, clean], {
      preferFinal: true,
    }),
    clean,
  );
});

Deno.test("rankCandidates orders best first; isExactPin", () => {
  assert.deepEqual(
    rankCandidates(req("demo"), SEED, { preferFinal: true }).map((c) =>
      c.file.version
    ),
    ["0.3", "0.2", "0.1"],
  );
  assert.equal(isExactPin("==0.2"), true);
  assert.equal(isExactPin("===0.2"), true);
  assert.equal(isExactPin("==0.*"), false);
  assert.equal(isExactPin(">=0.2"), false);
  assert.equal(isExactPin("==0.2,!=0.3"), false);
  assert.equal(isExactPin(""), false);
});
