/**
 * The build_ext options of zc.recipe.egg:custom/:develop as read from a part
 * (paths made absolute, rpath's `$ORIGIN` kept), their `setup.py build_ext`
 * arguments, and the environment section's interpolation.
 */
import assert from "node:assert/strict";
import { Buildout } from "../../src/config/buildout.ts";
import { parseConfig } from "../../src/config/parse.ts";
import {
  layerFromParsed,
  resolveStack,
  stackLayers,
} from "../../src/config/merge.ts";
import {
  buildExtArgs,
  interpolateEnv,
  readBuildExt,
  readEnvironment,
} from "../../src/recipes/egg_custom/build_ext.ts";

function buildout(text: string): Buildout {
  return new Buildout(resolveStack(stackLayers([
    layerFromParsed(parseConfig(text, "/w/buildout.cfg"), "/w/buildout.cfg"),
  ])));
}

Deno.test("readBuildExt: path lists absolute and joined, rpath specials kept, the rest as written", () => {
  const b = buildout(
    "[x]\ninclude-dirs = include\n  /usr/include/foo\nlibrary-dirs = lib\n" +
      "rpath = $ORIGIN/../lib\n  $LIB/x\n  lib\nswig = tools/swig\n" +
      "define = TWO,THREE\ndebug = true\nforce = off\nlibraries = m\n",
  );
  const x = b.section("x");
  assert.deepEqual(readBuildExt(x, "/w"), {
    "include-dirs": "/w/include:/usr/include/foo",
    "library-dirs": "/w/lib",
    rpath: "$ORIGIN/../lib:$LIB/x:/w/lib",
    swig: "/w/tools/swig",
    debug: "true",
    force: "off",
    define: "TWO,THREE",
    libraries: "m",
  });
  assert.equal(x.get("include-dirs"), "/w/include:/usr/include/foo");
  assert.throws(
    () =>
      readBuildExt(buildout("[x]\nswig-cpp = sometimes\n").section("x"), "/w"),
    /Invalid value for swig-cpp option: 'sometimes' \(use true or false\)/,
  );
});

Deno.test("buildExtArgs: switches that are on become flags, off ones are left out", () => {
  assert.deepEqual(
    buildExtArgs({
      "include-dirs": "/w/include",
      define: "TWO",
      debug: "yes",
      force: "0",
    }),
    ["--include-dirs=/w/include", "--define=TWO", "--debug"],
  );
});

Deno.test("readEnvironment: sorted pairs and their Python record", () => {
  const b = buildout("[env]\nZED = 1\nCFLAGS = -O0 'x'\n");
  assert.deepEqual(readEnvironment(b, "env"), {
    vars: [["CFLAGS", "-O0 'x'"], ["ZED", "1"]],
    record: `[('CFLAGS', "-O0 'x'"), ('ZED', '1')]`,
  });
  assert.deepEqual(readEnvironment(b, undefined), { vars: [], record: "[]" });
  assert.throws(
    () => readEnvironment(b, "nope"),
    /The referenced section, 'nope', was not defined/,
  );
});

Deno.test("interpolateEnv: %(NAME)s and %% as Python's % does; other % refused", () => {
  const env = { PATH: "/bin", HOME: "/h" };
  assert.equal(
    interpolateEnv("%(HOME)s/x:%(PATH)s 100%%", env, "V"),
    "/h/x:/bin 100%",
  );
  assert.equal(interpolateEnv("plain", env, "V"), "plain");
  assert.throws(
    () => interpolateEnv("50%", env, "V"),
    /Invalid value for environment variable V: '50%' \(write a literal % as %%\)/,
  );
  assert.throws(
    () => interpolateEnv("%(NOPE)s", env, "V"),
    /Environment variable V refers to %\(NOPE\)s, which is not set/,
  );
});
