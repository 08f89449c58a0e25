import assert from "node:assert/strict";
import { installArtifact } from "../../src/install/install.ts";
import { getInterpreter } from "../../src/python/interpreter.ts";
import { UserError } from "../../src/errors.ts";
import { Logger } from "../../src/log.ts";
import { makeTar, makeZip, type Member, tree } from "./support.ts";
import { withTempDir as withTmp } from "../support/run.ts";

const log = () => new Logger(20, () => {});

function setupPy(name: string, version: string, extra = ""): string {
  return [
    "from setuptools import setup",
    `setup(name=${JSON.stringify(name)}, version=${JSON.stringify(version)},`,
    `      py_modules=[${JSON.stringify(name)}], ${extra})`,
    "",
  ].join("\n");
}

function sdist(
  name: string,
  version: string,
  files: Record<string, string>,
): Member[] {
  const top = `${name}-${version}`;
  return [
    { name: `${top}/`, type: "directory" },
    {
      name: `${top}/PKG-INFO`,
      content: `Metadata-Version: 1.0\nName: ${name}\nVersion: ${version}\n`,
    },
    ...Object.entries(files).map(([n, c]) => ({
      name: `${top}/${n}`,
      content: c,
    })),
  ];
}

async function python(code: string, pythonPath: string): Promise<string> {
  const out = await new Deno.Command("python3", {
    args: ["-c", code],
    env: { PYTHONPATH: pythonPath },
  }).output();
  assert.equal(out.success, true, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

Deno.test("a setup.py sdist is built with the target python into an importable egg", () =>
  withTmp(async (dir) => {
    const interp = await getInterpreter("python3");
    const file = `${dir}/demoneeded-1.1.tar.gz`;
    await makeTar(
      file,
      sdist("demoneeded", "1.1", {
        "setup.py": setupPy(
          "demoneeded",
          "1.1",
          "install_requires=['other>=1'], extras_require={'x': ['extra_dep']}, " +
            "entry_points={'console_scripts': ['needed = demoneeded:main']}",
        ),
        "demoneeded.py": "def main():\n    return 42\nVALUE = 'needed 1.1'\n",
      }),
      "gz",
    );
    const eggs = `${dir}/eggs`;
    const dist = await installArtifact(file, eggs, interp, log());
    assert.equal(
      dist.location,
      `${eggs}/demoneeded-1.1-py${interp.pyVersion}.egg`,
    );
    assert.equal(dist.name, "demoneeded");
    assert.equal(dist.version, "1.1");
    assert.deepEqual(dist.requires().map((r) => `${r.name}${r.specifier}`), [
      "other>=1",
    ]);
    assert.deepEqual(dist.requires(["x"]).map((r) => r.name), [
      "other",
      "extra_dep",
    ]);
    assert.deepEqual(dist.entryPoints("console_scripts"), {
      needed: "demoneeded:main",
    });
    assert.equal(
      await python("import demoneeded; print(demoneeded.VALUE)", dist.location),
      "needed 1.1\n",
    );
    // only the egg is left: no temp folders, no build leftovers
    assert.deepEqual(
      (await tree(eggs)).filter((p) => !p.slice(0, -1).includes("/")),
      [`demoneeded-1.1-py${interp.pyVersion}.egg/`],
    );
  }));

Deno.test("a zip sdist with a pyproject.toml in-tree backend builds through PEP 517", () =>
  withTmp(async (dir) => {
    const interp = await getInterpreter("python3");
    const backend = String.raw`
import base64, hashlib, os, zipfile
def _h(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
def build_wheel(out, config_settings=None, metadata_directory=None):
    name = "inproj-2.0-py3-none-any.whl"
    files = {
        "inproj.py": b"WHO = 'built by the in-tree backend'\n",
        "inproj-2.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: inproj\nVersion: 2.0\nRequires-Dist: dep ; extra == 'fancy'\n",
        "inproj-2.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join("%s,%s,%d\n" % (p, _h(d), len(d)) for p, d in files.items())
    record += "inproj-2.0.dist-info/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(out, name), "w") as z:
        for p, d in files.items():
            z.writestr(p, d)
        z.writestr("inproj-2.0.dist-info/RECORD", record)
    return name
`;
    const file = `${dir}/inproj-2.0.zip`;
    await makeZip(
      file,
      sdist("inproj", "2.0", {
        "pyproject.toml":
          '[build-system]\nrequires = []\nbuild-backend = "mybackend"\nbackend-path = ["_build"]\n',
        "_build/mybackend.py": backend,
      }),
    );
    const dist = await installArtifact(file, `${dir}/eggs`, interp, log());
    assert.equal(
      dist.location,
      `${dir}/eggs/inproj-2.0-py${interp.pyVersion}.egg`,
    );
    assert.deepEqual(dist.requires(), []);
    assert.deepEqual(dist.requires(["fancy"]).map((r) => r.name), ["dep"]);
    assert.equal(
      await python("import inproj; print(inproj.WHO)", dist.location),
      "built by the in-tree backend\n",
    );
  }));

Deno.test("a failing build is one error with the tail of its output; nothing is left", () =>
  withTmp(async (dir) => {
    const interp = await getInterpreter("python3");
    const file = `${dir}/broken-1.0.tar.gz`;
    await makeTar(
      file,
      sdist("broken", "1.0", {
        "setup.py":
          "print('configuring broken')\nraise RuntimeError('the compiler exploded')\n",
      }),
      "gz",
    );
    await assert.rejects(
      installArtifact(file, `${dir}/eggs`, interp, log()),
      (e: Error) => {
        assert.ok(e instanceof UserError);
        const lines = e.message.split("\n");
        assert.equal(lines[0], "Building broken-1.0.tar.gz failed:");
        assert.ok(lines.length <= 16);
        assert.ok(
          lines.includes("  RuntimeError: the compiler exploded"),
          e.message,
        );
        return true;
      },
    );
    assert.deepEqual(await tree(`${dir}/eggs`), []);
  }));

Deno.test("a build cannot reach the network", () =>
  withTmp(async (dir) => {
    const interp = await getInterpreter("python3");
    const requests: string[] = [];
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (req) => {
        requests.push(req.url);
        return new Response("hello");
      },
    );
    try {
      const url = `http://127.0.0.1:${server.addr.port}/setup-requires`;
      const file = `${dir}/greedy-1.0.tar.gz`;
      await makeTar(
        file,
        sdist("greedy", "1.0", {
          "setup.py":
            `import urllib.request\nurllib.request.urlopen(${
              JSON.stringify(url)
            })\n` +
            setupPy("greedy", "1.0"),
          "greedy.py": "",
        }),
        "gz",
      );
      await assert.rejects(
        installArtifact(file, `${dir}/eggs`, interp, log()),
        /network access is disabled while buildout builds a distribution/,
      );
      assert.deepEqual(requests, []);
    } finally {
      await server.shutdown();
    }
  }));

Deno.test("an sdist without setup.py or pyproject.toml is refused", () =>
  withTmp(async (dir) => {
    const interp = await getInterpreter("python3");
    const file = `${dir}/empty-1.0.tar.gz`;
    await makeTar(file, sdist("empty", "1.0", { "README": "nothing" }), "gz");
    await assert.rejects(
      installArtifact(file, `${dir}/eggs`, interp, log()),
      new UserError(
        "Building empty-1.0.tar.gz failed: it has no setup.py or pyproject.toml in its top folder.",
      ),
    );
    assert.deepEqual(await tree(`${dir}/eggs`), []);
  }));
