import assert from "node:assert/strict";
import { join } from "node:path";
import { pyenvTarget } from "../../src/python/pyenv.ts";
import { withTempDir } from "../support/run.ts";

async function fakePyenv(root: string, versions: string[]) {
  await Deno.mkdir(join(root, "shims"), { recursive: true });
  await Deno.writeTextFile(
    join(root, "shims", "python3"),
    '#!/usr/bin/env bash\nexec pyenv exec "$@"\n',
  );
  for (const v of versions) {
    await Deno.mkdir(join(root, "versions", v, "bin"), { recursive: true });
    await Deno.writeTextFile(join(root, "versions", v, "bin", "python3"), "");
  }
}

Deno.test("pyenv shims: PYENV_VERSION, then .python-version upwards, then the global version", async () => {
  await withTempDir(async (dir) => {
    const root = join(dir, ".pyenv");
    await fakePyenv(root, ["3.10.1", "3.11.7"]);
    const shim = join(root, "shims", "python3");
    const work = join(dir, "work", "deep");
    await Deno.mkdir(work, { recursive: true });
    const bin = (v: string) => join(root, "versions", v, "bin", "python3");

    assert.equal(pyenvTarget(shim, work, {}), undefined); // nothing chosen
    await Deno.writeTextFile(join(root, "version"), "3.11.7\n");
    assert.equal(pyenvTarget(shim, work, {}), bin("3.11.7"));
    await Deno.writeTextFile(join(dir, "work", ".python-version"), "3.10.1\n");
    assert.equal(pyenvTarget(shim, work, {}), bin("3.10.1"));
    assert.equal(
      pyenvTarget(shim, work, { PYENV_VERSION: "3.11.7" }),
      bin("3.11.7"),
    );
    // The system Python, a missing version, or not a shim: the shim must be run.
    assert.equal(
      pyenvTarget(shim, work, { PYENV_VERSION: "system" }),
      undefined,
    );
    assert.equal(
      pyenvTarget(shim, work, { PYENV_VERSION: "3.9.0" }),
      undefined,
    );
    assert.equal(pyenvTarget("/usr/bin/python3", work, {}), undefined);
  });
});
