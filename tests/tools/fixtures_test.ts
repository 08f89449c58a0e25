import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { buildFixtures } from "../../tools/build_fixtures.ts";
import { python, zipTexts } from "./zip_support.ts";

const fixtures = fileURLToPath(new URL("../../fixtures", import.meta.url));
const links = `${fixtures}/links`;

/** A folder's listing as the link server shows it: sorted, folders with "/", dot-files hidden. */
function listing(dir: string): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => !e.name.startsWith("."))
    .map((e) => e.isDirectory ? e.name + "/" : e.name)
    .sort();
}

// The seed's listing (seed-download-cache.txt), built for Python 2.4 there.
const SEED_LISTING = [
  "bigdemo-0.1-py2.4.egg",
  "demo-0.1-py2.4.egg",
  "demo-0.2-py2.4.egg",
  "demo-0.3-py2.4.egg",
  "demo-0.4c1-py2.4.egg",
  "demoneeded-1.0.zip",
  "demoneeded-1.1.zip",
  "demoneeded-1.2c1.zip",
  "du_zipped-1.0-pyN.N.egg",
  "extdemo-1.4.zip",
  "index/",
  "other-1.0-py2.4.egg",
];

Deno.test("fixtures/links lists the seed's files, built for Python 3.11", () => {
  assert.deepEqual(
    listing(links),
    SEED_LISTING.map((n) => n.replace(/-py(2\.4|N\.N)\.egg$/, "-py3.11.egg")),
  );
  assert.deepEqual(listing(`${links}/index`), []);
});

Deno.test("each fixture egg holds EGG-INFO matching its file name", async () => {
  for (const name of listing(links).filter((n) => n.endsWith(".egg"))) {
    const [, project, version] = name.match(/^(.+?)-([^-]+)-py3\.11\.egg$/)!;
    const files = await zipTexts(`${links}/${name}`);
    const pkgInfo = files.get("EGG-INFO/PKG-INFO");
    assert.ok(pkgInfo, `${name} has EGG-INFO/PKG-INFO`);
    // setuptools spells `du_zipped` as `du-zipped` in PKG-INFO: same PEP 503 name.
    const metaName = pkgInfo.match(/^Name: (.*)$/m)?.[1] ?? "";
    assert.equal(
      metaName.replace(/[-_.]+/g, "-"),
      project.replace(/[-_.]+/g, "-"),
      name,
    );
    assert.match(
      pkgInfo,
      new RegExp(`^Version: ${version.replaceAll(".", "\\.")}$`, "m"),
      name,
    );
    assert.ok(files.has("EGG-INFO/top_level.txt"), name);
    if (project === "demo") {
      assert.equal(files.get("EGG-INFO/requires.txt"), "demoneeded\n");
      assert.equal(
        files.get("EGG-INFO/entry_points.txt"),
        "[console_scripts]\ndemo = eggrecipedemo:main\n",
      );
      assert.match(
        files.get("eggrecipedemo.py")!,
        new RegExp(`^x = ${version[2]}$`, "m"),
      );
    }
  }
  const bigdemo = await zipTexts(`${links}/bigdemo-0.1-py3.11.egg`);
  assert.equal(bigdemo.get("EGG-INFO/requires.txt"), "demo\n");
  const other = await zipTexts(`${links}/other-1.0-py3.11.egg`);
  assert.ok(other.has("EGG-INFO/not-zip-safe"));
  assert.match(
    other.get("EGG-INFO/scripts/distutilsscript")!,
    /^#!\/usr\/bin\/python\n/,
  );
  assert.ok(
    (await zipTexts(`${links}/du_zipped-1.0-py3.11.egg`)).has(
      "EGG-INFO/zip-safe",
    ),
  );
});

Deno.test("each fixture sdist has a top folder with setup.py and PKG-INFO", async () => {
  for (const name of listing(links).filter((n) => n.endsWith(".zip"))) {
    const base = name.slice(0, -4);
    const files = await zipTexts(`${links}/${name}`);
    assert.ok(files.has(`${base}/setup.py`), name);
    assert.match(
      files.get(`${base}/PKG-INFO`)!,
      new RegExp(`^Version: ${base.split("-")[1]}$`, "m"),
    );
  }
  const needed = await zipTexts(`${links}/demoneeded-1.2c1.zip`);
  assert.match(
    needed.get("demoneeded-1.2c1/eggrecipedemoneeded.py")!,
    /^y = 2$/m,
  );
  assert.ok(
    (await zipTexts(`${links}/extdemo-1.4.zip`)).has("extdemo-1.4/extdemo.c"),
  );
});

Deno.test("demo 0.2 with demoneeded 1.1 prints '2 1' (straight from the archives)", async () => {
  const r = await python(["-c", "import eggrecipedemo; eggrecipedemo.main()"], {
    PYTHONPATH:
      `${links}/demo-0.2-py3.11.egg:${links}/demoneeded-1.1.zip/demoneeded-1.1`,
  });
  assert.deepEqual([r.stdout, r.stderr, r.code], ["2 1\n", "", 0]);
});

Deno.test("rebuilding the fixtures yields identical bytes", async () => {
  const out = await Deno.makeTempDir();
  try {
    const written = await buildFixtures(out);
    assert.equal(written.length, 14);
    for (const path of written) {
      const rel = path.slice(out.length + 1);
      const fresh = await Deno.readFile(path);
      const committed = await Deno.readFile(`${fixtures}/${rel}`);
      assert.ok(
        fresh.length === committed.length &&
          fresh.every((b, i) => b === committed[i]),
        `${rel} differs from the committed file`,
      );
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
