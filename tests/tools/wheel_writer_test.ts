import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  buildWheel,
  wheelFilename,
  writeWheel,
  writeZip,
} from "../../tools/wheel_writer.ts";
import { python, zipTexts } from "./zip_support.ts";
import { withTempDir as withTemp } from "../support/run.ts";

const wheels = fileURLToPath(new URL("../../fixtures/wheels", import.meta.url));

// Checks every RECORD line against the archive's bytes, as an installer would.
const CHECK_RECORD = `
import base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
record = [n for n in z.namelist() if n.endswith('.dist-info/RECORD')]
assert len(record) == 1, record
rows = list(csv.reader(io.StringIO(z.read(record[0]).decode())))
assert sorted(r[0] for r in rows) == sorted(z.namelist()), 'RECORD lists every file'
for path, digest, size in rows:
    if path == record[0]:
        assert digest == size == '', path
        continue
    data = z.read(path)
    algo, value = digest.split('=', 1)
    want = base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b'=').decode()
    assert (algo, value, int(size)) == ('sha256', want, len(data)), path
print('ok', len(rows))
`;

Deno.test("a written wheel passes python3 -m zipfile -t and its RECORD checks out", () =>
  withTemp(async (dir) => {
    const path = await writeWheel(dir, {
      name: "my.pkg-name",
      version: "2.0",
      files: {
        "mypkg/__init__.py": "VALUE = 'é'\n",
        "mypkg/data.bin": new Uint8Array([0, 1, 2]),
      },
      requires: ["colorword>=1.0", "extra-thing; extra == 'x'"],
      entryPoints: { console_scripts: { mine: "mypkg:main" } },
    });
    assert.equal(path, `${dir}/my_pkg_name-2.0-py3-none-any.whl`);
    const t = await python(["-m", "zipfile", "-t", path]);
    assert.deepEqual([t.code, t.stdout.trim()], [0, "Done testing"]);
    const r = await python(["-c", CHECK_RECORD, path]);
    assert.deepEqual([r.stderr, r.stdout], ["", "ok 7\n"]);

    const files = await zipTexts(path);
    const names = [...files.keys()];
    assert.equal(
      names.at(-1),
      "my_pkg_name-2.0.dist-info/RECORD",
    );
    assert.equal(
      files.get("my_pkg_name-2.0.dist-info/WHEEL"),
      "Wheel-Version: 1.0\nGenerator: buildout-deno wheel_writer\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n",
    );
    const metadata = files.get("my_pkg_name-2.0.dist-info/METADATA")!;
    assert.match(
      metadata,
      /^Metadata-Version: 2\.1\nName: my\.pkg-name\nVersion: 2\.0\n/,
    );
    assert.match(metadata, /^Requires-Dist: extra-thing; extra == 'x'$/m);
    assert.equal(
      files.get("my_pkg_name-2.0.dist-info/entry_points.txt"),
      "[console_scripts]\nmine = mypkg:main\n",
    );
    assert.equal(
      files.get("my_pkg_name-2.0.dist-info/top_level.txt"),
      "mypkg\n",
    );
  }));

Deno.test("a wheel's unzipped folder on PYTHONPATH is importable", () =>
  withTemp(async (dir) => {
    const path = await writeWheel(dir, {
      name: "hello",
      version: "1.0",
      files: {
        "hello/__init__.py": "def main():\n    print('hello from the wheel')\n",
      },
    });
    const x = await python(["-m", "zipfile", "-e", path, `${dir}/site`]);
    assert.equal(x.code, 0);
    const r = await python(["-c", "import hello; hello.main()"], {
      PYTHONPATH: `${dir}/site`,
    });
    assert.deepEqual([r.stdout, r.stderr], ["hello from the wheel\n", ""]);
  }));

Deno.test("the greet fixture runs with colorword 1.1", () =>
  withTemp(async (dir) => {
    for (
      const w of [
        "greet-1.0-py3-none-any.whl",
        "colorword-1.1-py3-none-any.whl",
      ]
    ) {
      assert.equal(
        (await python(["-m", "zipfile", "-e", `${wheels}/${w}`, `${dir}/site`]))
          .code,
        0,
      );
    }
    const r = await python(
      [
        "-c",
        "import sys; sys.argv[1:] = ['Bob']; from greet.cli import main; main()",
      ],
      { PYTHONPATH: `${dir}/site` },
    );
    assert.deepEqual([r.stdout, r.stderr], [
      "**Hello, Bob!**\ncolorword 1.1\n",
      "",
    ]);
    const ep = (await zipTexts(`${wheels}/greet-1.0-py3-none-any.whl`)).get(
      "greet-1.0.dist-info/entry_points.txt",
    );
    assert.equal(ep, "[console_scripts]\ngreet = greet.cli:main\n");
  }));

Deno.test("wheel file names escape as PEP 427 says", () => {
  assert.equal(
    wheelFilename({ name: "zope.interface", version: "5.0", files: {} }),
    "zope_interface-5.0-py3-none-any.whl",
  );
  assert.equal(
    wheelFilename({
      name: "A-B",
      version: "1.0",
      files: {},
      tag: "cp311-cp311-linux_x86_64",
    }),
    "A_B-1.0-cp311-cp311-linux_x86_64.whl",
  );
});

Deno.test("zips and wheels are byte-for-byte reproducible, with a fixed 1980 timestamp", async () => {
  const spec = {
    name: "same",
    version: "1.0",
    files: { "same.py": "x = 1\n" },
  };
  const a = await buildWheel(spec);
  const b = await buildWheel(spec);
  assert.deepEqual(a.bytes, b.bytes);
  const zip = await writeZip([{ name: "run.sh", data: "echo\n", mode: 0o755 }]);
  await withTemp(async (dir) => {
    await Deno.writeFile(`${dir}/z.zip`, zip);
    const r = await python([
      "-c",
      "import sys, zipfile\ni = zipfile.ZipFile(sys.argv[1]).infolist()[0]\nprint(i.date_time, oct(i.external_attr >> 16))",
      `${dir}/z.zip`,
    ]);
    assert.equal(r.stdout, "(1980, 1, 1, 0, 0, 0) 0o100755\n");
  });
});
