/**
 * A wheel's top-level names are worked out from the files it was unpacked
 * into, without listing them again; the answer is the one the installed
 * folder's listing gives.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildFromWheel } from "../../src/install/wheel.ts";
import { topLevelNames } from "../../src/scripts/toplevel.ts";
import { type WheelSpec, writeWheel } from "../../tools/wheel_writer.ts";
import { withTempDir } from "../support/run.ts";
import { INTERP } from "./support.ts";

const SHAPES: WheelSpec[] = [
  {
    name: "Listed",
    version: "1.0",
    files: { "listed/__init__.py": "", "helper.py": "", "nsp/sub.py": "" },
  },
  {
    name: "unlisted",
    version: "2.0",
    topLevelTxt: false,
    files: {
      "pkg/__init__.py": "",
      "six.py": "",
      "_speedups.cpython-311-x86_64-linux-gnu.so": "",
      "nsonly/part/__init__.py": "",
      "both/__init__.pyc": "",
      "both.py": "",
      "unlisted-2.0.data/purelib/extra/__init__.py": "",
      "unlisted-2.0.data/platlib/native.py": "",
      "unlisted-2.0.data/scripts/tool": "#!python\n",
      "not-an-identifier/x.py": "",
      "__pycache__/six.cpython-311.pyc": "",
    },
    tag: "cp311-cp311-linux_x86_64",
  },
];

for (const spec of SHAPES) {
  Deno.test(`top-level names of an unpacked wheel (${spec.name}) match its folder's listing`, async () => {
    await withTempDir(async (dir) => {
      const file = await writeWheel(dir, spec);
      const work = join(dir, "work");
      await Deno.mkdir(work);
      const built = await buildFromWheel(file, work, INTERP);
      const fromFiles = new Map(built.distInfo!.topLevel);
      const key = spec.name.toLowerCase();
      assert.deepEqual(fromFiles, topLevelNames({ key, location: built.dir }));
      assert.ok(fromFiles.size >= 3, JSON.stringify([...fromFiles]));
    });
  });
}
