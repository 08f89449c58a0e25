/**
 * Rebuilds the committed test fixtures:
 *
 * - `fixtures/links/`: the seed's sample distributions (eggs built with
 *   `setup.py bdist_egg`, zip sdists with `setup.py sdist --formats=zip`) by the
 *   machine's `python3`, then rewritten into reproducible zips (sorted entries,
 *   fixed timestamps, normalised modes).
 * - `fixtures/wheels/`: a small wheel-based application (`greet`, `colorword`)
 *   written directly by `tools/wheel_writer.ts`.
 *
 * Run from the repository root:
 *
 *     deno run --allow-read --allow-write --allow-run --allow-env tools/build_fixtures.ts [outDir]
 *
 * (`outDir` defaults to `fixtures`). See `fixtures/README.md`.
 *
 * @module
 */

import { BlobReader, Uint8ArrayWriter, ZipReader } from "@zip.js/zip.js";
import {
  type WheelSpec,
  writeWheel,
  writeZip,
  type ZipEntry,
} from "./wheel_writer.ts";

/** One sample distribution of the seed scenario. */
export interface SampleDist {
  name: string;
  /** Version as spelled in the file name (the seed's `0.4c1`, not setuptools' `0.4rc1`). */
  version: string;
  kind: "egg" | "sdist";
  /** Files of the project folder besides `setup.py`. */
  files: Record<string, string>;
  /** Keyword arguments of `setup()`, as Python source. */
  setupArgs: string;
  /** Python source run before `setup()` (imports, prints). */
  setupPrelude?: string;
}

const bob =
  "author='bob', author_email='bob@example.com', url='http://example.com/bob'";

function demo(version: string, x: number): SampleDist {
  return {
    name: "demo",
    version,
    kind: "egg",
    files: {
      "eggrecipedemo.py": "import eggrecipedemoneeded\n\n" +
        `x = ${x}\n\n\ndef main():\n    print(x, eggrecipedemoneeded.y)\n`,
    },
    setupArgs:
      `py_modules=['eggrecipedemo'], install_requires=['demoneeded'], zip_safe=True,
      entry_points={'console_scripts': ['demo = eggrecipedemo:main']}, ${bob}`,
  };
}

function demoneeded(version: string, y: number): SampleDist {
  return {
    name: "demoneeded",
    version,
    kind: "sdist",
    files: {
      "eggrecipedemoneeded.py": `y = ${y}\n\n\ndef f():\n    pass\n`,
      "README.txt": "Sample distribution needed by demo.\n",
    },
    setupArgs: `py_modules=['eggrecipedemoneeded'], zip_safe=True, ${bob}`,
  };
}

const distutilsScript = "#!/usr/bin/python\n# -*- coding: utf-8 -*-\n" +
  '"""Module docstring."""\nimport os\nprint("distutils!")\n';

function otherLike(name: string, zipSafe: boolean): SampleDist {
  return {
    name,
    version: "1.0",
    kind: "egg",
    files: {
      "eggrecipedemoneeded.py": "y = 1\n\n\ndef f():\n    pass\n",
      "distutilsscript": distutilsScript,
    },
    setupArgs: `py_modules=['eggrecipedemoneeded'], scripts=['distutilsscript'],
      zip_safe=${zipSafe ? "True" : "False"}, ${bob}`,
  };
}

const extdemoC = `#include <Python.h>
#include <extdemo.h>

static PyMethodDef methods[] = {{NULL, NULL, 0, NULL}};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "extdemo", NULL, -1, methods
};

PyMODINIT_FUNC PyInit_extdemo(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
#ifdef TWO
    PyModule_AddObject(m, "val", PyLong_FromLong(2));
#else
    PyModule_AddObject(m, "val", PyLong_FromLong(EXTDEMO));
#endif
    return m;
}
`;

/** The seed's sample distributions, in listing order. */
export const SAMPLE_DISTS: SampleDist[] = [
  {
    name: "bigdemo",
    version: "0.1",
    kind: "egg",
    files: { "eggrecipebigdemo.py": "import eggrecipedemo\n" },
    setupArgs:
      `py_modules=['eggrecipebigdemo'], install_requires=['demo'], zip_safe=True, ${bob}`,
  },
  demo("0.1", 1),
  demo("0.2", 2),
  demo("0.3", 3),
  demo("0.4c1", 4),
  demoneeded("1.0", 0),
  demoneeded("1.1", 1),
  demoneeded("1.2c1", 2),
  otherLike("du_zipped", true),
  {
    name: "extdemo",
    version: "1.4",
    kind: "sdist",
    files: {
      "extdemo.c": extdemoC,
      "MANIFEST.in": "include *.c\n",
      "README.txt": "A C extension; extdemo.h is supplied at build time.\n",
    },
    setupPrelude: "import os\n" +
      "if os.environ.get('test_environment_variable'):\n" +
      "    print('Have environment test_environment_variable: %s'\n" +
      "          % os.environ['test_environment_variable'])\n",
    setupArgs:
      `ext_modules=[Extension('extdemo', ['extdemo.c'])], zip_safe=False, ${bob}`,
  },
  otherLike("other", false),
];

/** The wheel-based application of `fixtures/wheels/`. */
export const SAMPLE_WHEELS: WheelSpec[] = [
  colorword("1.0", "*"),
  colorword("1.1", "**"),
  {
    name: "greet",
    version: "1.0",
    summary: "Greets, with emphasis from colorword",
    requires: ["colorword>=1.0"],
    files: {
      "greet/__init__.py": "__version__ = '1.0'\n",
      "greet/cli.py": "import sys\n\nimport colorword\n\n\n" +
        "def main():\n" +
        "    name = sys.argv[1] if len(sys.argv) > 1 else 'world'\n" +
        "    print(colorword.emphasize('Hello, %s!' % name))\n" +
        "    print('colorword', colorword.__version__)\n" +
        "    return 0\n",
    },
    entryPoints: { console_scripts: { greet: "greet.cli:main" } },
  },
];

function colorword(version: string, mark: string): WheelSpec {
  return {
    name: "colorword",
    version,
    summary: "Emphasizes words",
    files: {
      "colorword/__init__.py": `__version__ = '${version}'\n\n\n` +
        `def emphasize(text):\n    return '${mark}' + text + '${mark}'\n`,
    },
  };
}

/**
 * The file name a sample distribution gets in `fixtures/links/`.
 *
 * @example
 * ```ts
 * sampleFilename(SAMPLE_DISTS[4]); // "demo-0.4c1-py3.11.egg"
 * ```
 */
export function sampleFilename(d: SampleDist): string {
  return d.kind === "sdist"
    ? `${d.name}-${d.version}.zip`
    : `${d.name}-${d.version}-py3.11.egg`;
}

function setupPy(d: SampleDist): string {
  const imports = d.kind === "sdist" && d.name === "extdemo"
    ? "from setuptools import setup, Extension\n"
    : "from setuptools import setup\n";
  return imports + (d.setupPrelude ?? "") +
    `\nsetup(name='${d.name}', version='${d.version}',\n      ${d.setupArgs})\n`;
}

// Build settings only: no byte code in eggs (its bytes vary), a fixed shebang
// for distutils scripts instead of this machine's interpreter path.
const BUILD_CFG = "[install_lib]\ncompile = 0\noptimize = 0\n\n" +
  "[build_py]\ncompile = 0\noptimize = 0\n\n" +
  "[build_scripts]\nexecutable = /usr/bin/python\n";

async function run(cmd: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env: {
      SOURCE_DATE_EPOCH: "315532800",
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONHASHSEED: "0",
      TZ: "UTC",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    const dec = new TextDecoder();
    throw new Error(
      `${cmd.join(" ")} failed in ${cwd}:\n${dec.decode(out.stdout)}${
        dec.decode(out.stderr)
      }`,
    );
  }
}

/**
 * Rewrites a zip reproducibly: sorted file entries (directory entries dropped),
 * fixed timestamps, modes 0644/0755, and the seed's version spelling restored
 * (setuptools writes `0.4rc1` for `0.4c1`) in paths and `Version:` lines.
 */
async function normalizeZip(
  bytes: Uint8Array,
  spelled: string,
  normalized: string,
): Promise<Uint8Array> {
  const reader = new ZipReader(
    new BlobReader(new Blob([bytes as Uint8Array<ArrayBuffer>])),
  );
  const entries: ZipEntry[] = [];
  for (const e of await reader.getEntries()) {
    if (e.directory || !e.getData) continue;
    let data: Uint8Array = await e.getData(new Uint8ArrayWriter());
    const name = e.filename.replaceAll(`-${normalized}/`, `-${spelled}/`);
    if (/(^|\/)PKG-INFO$/.test(name) && spelled !== normalized) {
      const text = new TextDecoder().decode(data);
      data = new TextEncoder().encode(
        text.replace(`\nVersion: ${normalized}\n`, `\nVersion: ${spelled}\n`),
      );
    }
    const exec = ((e.externalFileAttributes >>> 16) & 0o111) !== 0;
    entries.push({ name, data, mode: exec ? 0o755 : 0o644 });
  }
  await reader.close();
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return writeZip(entries);
}

/** setuptools' normalised spelling of a version (`0.4c1` -> `0.4rc1`). */
function setuptoolsVersion(v: string): string {
  return v.replace(/(\d)c(\d+)$/, "$1rc$2");
}

/**
 * Builds one sample distribution with `python` into `outDir`; returns its path.
 *
 * @example
 * ```ts
 * await buildSample(SAMPLE_DISTS[2], "fixtures/links");
 * ```
 */
export async function buildSample(
  d: SampleDist,
  outDir: string,
  python = "python3",
): Promise<string> {
  const work = await Deno.makeTempDir({ prefix: `fixture-${d.name}-` });
  try {
    for (const [name, text] of Object.entries(d.files)) {
      await Deno.writeTextFile(`${work}/${name}`, text);
    }
    await Deno.writeTextFile(`${work}/setup.py`, setupPy(d));
    if (d.kind === "egg") {
      await Deno.writeTextFile(`${work}/setup.cfg`, BUILD_CFG);
    }
    const cmd = d.kind === "egg"
      ? [python, "setup.py", "-q", "bdist_egg"]
      : [python, "setup.py", "-q", "sdist", "--formats=zip"];
    await run(cmd, work);
    const built = [...Deno.readDirSync(`${work}/dist`)].map((e) => e.name);
    if (built.length !== 1) {
      throw new Error(`expected one file in dist/, got ${built}`);
    }
    const bytes = await Deno.readFile(`${work}/dist/${built[0]}`);
    const target = `${outDir}/${sampleFilename(d)}`;
    await Deno.writeFile(
      target,
      await normalizeZip(bytes, d.version, setuptoolsVersion(d.version)),
    );
    return target;
  } finally {
    await Deno.remove(work, { recursive: true });
  }
}

/**
 * Builds every fixture into `root/links` and `root/wheels`, replacing the
 * distribution files there (the empty `links/index/` folder is kept, with its
 * `.gitkeep`). Returns the written paths.
 *
 * @example
 * ```ts
 * await buildFixtures("fixtures");
 * ```
 */
export async function buildFixtures(
  root: string,
  python = "python3",
): Promise<string[]> {
  const links = `${root}/links`;
  const wheels = `${root}/wheels`;
  for (const dir of [links, wheels]) {
    await Deno.mkdir(dir, { recursive: true });
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile && /\.(egg|zip|whl)$/.test(e.name)) {
        await Deno.remove(`${dir}/${e.name}`);
      }
    }
  }
  await Deno.mkdir(`${links}/index`, { recursive: true });
  await Deno.writeTextFile(`${links}/index/.gitkeep`, "");
  // A few builds at a time: each is a separate python process.
  const written: string[] = new Array(SAMPLE_DISTS.length);
  let next = 0;
  const worker = async () => {
    while (next < SAMPLE_DISTS.length) {
      const i = next++;
      written[i] = await buildSample(SAMPLE_DISTS[i], links, python);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  for (const w of SAMPLE_WHEELS) written.push(await writeWheel(wheels, w));
  return written;
}

if (import.meta.main) {
  const root = Deno.args[0] ?? "fixtures";
  for (const p of await buildFixtures(root)) console.log(p);
}
