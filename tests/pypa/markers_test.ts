import assert from "node:assert/strict";
import { getInterpreter } from "../../src/python/interpreter.ts";
import { UserError } from "../../src/errors.ts";
import { evaluateMarker, parseMarker } from "../../src/pypa/markers.ts";

const ENV = {
  python_version: "3.11",
  python_full_version: "3.11.7",
  os_name: "posix",
  sys_platform: "linux",
  platform_release: "6.1.0-17-amd64",
  platform_system: "Linux",
  platform_version: "#1 SMP",
  platform_machine: "x86_64",
  platform_python_implementation: "CPython",
  implementation_name: "cpython",
  implementation_version: "3.11.7",
};

const ev = (m: string, env: Record<string, string> = ENV) =>
  evaluateMarker(m, env);

Deno.test("version variables compare as versions", () => {
  assert.equal(ev('python_version >= "3.8"'), true);
  assert.equal(ev('python_version < "3.9"'), false);
  assert.equal(ev('python_version > "3.9"'), true); // "3.11" < "3.9" as strings
  assert.equal(ev('python_version == "3.11"'), true);
  assert.equal(ev('python_version != "3.11"'), false);
  assert.equal(ev('python_version <= "3.11"'), true);
  assert.equal(ev('python_version ~= "3.7"'), true);
  assert.equal(ev('python_version == "3.*"'), true);
  assert.equal(ev('python_full_version >= "3.11.7"'), true);
  assert.equal(ev('"3.12" > python_version'), true);
  assert.equal(ev('implementation_version >= "3"'), true);
  assert.equal(ev('python_full_version === "3.11.7"'), true);
});

Deno.test("string variables compare as strings, in / not in", () => {
  assert.equal(ev('os_name == "posix"'), true);
  assert.equal(ev("sys_platform == 'win32'"), false);
  assert.equal(ev('sys_platform != "win32"'), true);
  assert.equal(ev('"linux" in sys_platform'), true);
  assert.equal(ev('"win" not in sys_platform'), true);
  assert.equal(ev('platform_machine in "x86_64 amd64"'), true);
  assert.equal(ev('platform_release >= "6"'), true); // not a version: string order
  assert.equal(ev('os.name == "posix"'), true); // legacy spelling
});

Deno.test("and / or / parentheses with precedence", () => {
  assert.equal(
    ev('os_name == "nt" or os_name == "posix" and python_version >= "3"'),
    true,
  );
  assert.equal(
    ev('(os_name == "nt" or os_name == "posix") and python_version < "3"'),
    false,
  );
  assert.equal(
    ev('os_name == "nt" and python_version >= "3" or sys_platform == "linux"'),
    true,
  );
  assert.equal(ev('((sys_platform == "linux"))'), true);
});

Deno.test("extra compares normalised, defaults to empty", () => {
  assert.equal(
    ev('extra == "Test_Deps"', { ...ENV, extra: "test-deps" }),
    true,
  );
  assert.equal(ev('extra == "test"', { ...ENV, extra: "docs" }), false);
  assert.equal(ev('extra == "test"'), false);
  assert.equal(
    ev('python_version >= "3" and extra == "test"', { ...ENV, extra: "test" }),
    true,
  );
});

Deno.test("syntax errors and unknown variables are UserErrors naming the marker", () => {
  const cases: [string, string][] = [
    [
      "python_version >= ",
      "Invalid environment marker 'python_version >=': expected a variable or a quoted string.",
    ],
    [
      'python_version "3"',
      `Invalid environment marker 'python_version "3"': expected a comparison operator.`,
    ],
    [
      '(os_name == "posix"',
      `Invalid environment marker '(os_name == "posix"': missing ')'.`,
    ],
    [
      'os_name == "posix" os_name',
      `Invalid environment marker 'os_name == "posix" os_name': unexpected 'os_name'.`,
    ],
    ["", "Invalid environment marker '': empty marker."],
    [
      'foo == "1"',
      `Invalid environment marker 'foo == "1"': unknown variable 'foo'.`,
    ],
    [
      'os_name = "posix"',
      `Invalid environment marker 'os_name = "posix"': unexpected text at '= "posix"'.`,
    ],
    [
      'os_name ~= "posix"',
      `Invalid environment marker 'os_name ~= "posix"': cannot compare 'posix' ~= 'posix'.`,
    ],
  ];
  for (const [m, msg] of cases) {
    assert.throws(
      () => ev(m),
      (e: Error) => e instanceof UserError && e.message === msg,
      m,
    );
  }
  assert.throws(() => parseMarker('foo == "1"'), UserError);
  assert.equal(parseMarker('foo == "1"', false).op, "compare");
});

Deno.test("markers evaluated for this machine's python3", async () => {
  const env = (await getInterpreter("python3")).markerEnv;
  assert.equal(evaluateMarker('python_version >= "3"', env), true);
  assert.equal(evaluateMarker('python_version < "3"', env), false);
  assert.equal(
    evaluateMarker(
      'python_full_version >= "3.0.0" and os_name == "posix"',
      env,
    ),
    Deno.build.os !== "windows",
  );
  assert.equal(
    evaluateMarker('sys_platform == "linux"', env),
    Deno.build.os === "linux",
  );
  assert.equal(
    evaluateMarker('platform_python_implementation == "CPython"', env),
    true,
  );
  assert.equal(
    evaluateMarker('implementation_name == "cpython" and extra == "x"', {
      ...env,
      extra: "X",
    }),
    true,
  );
  for (const name of Object.keys(env)) {
    assert.equal(
      evaluateMarker(`${name} == ${JSON.stringify(env[name])}`, env),
      true,
      name,
    );
  }
});
