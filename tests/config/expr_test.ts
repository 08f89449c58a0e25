import assert from "node:assert/strict";
import { UserError } from "../../src/errors.ts";
import {
  buildoutNames,
  compileCondition,
  defaultMarkerEnv,
  evaluateCondition,
  type MarkerEnv,
} from "../../src/config/expr.ts";

const linux: MarkerEnv = {
  python_version: "3.11",
  python_full_version: "3.11.7",
  os_name: "posix",
  sys_platform: "linux",
  platform_release: "6.1.0",
  platform_system: "Linux",
  platform_version: "",
  platform_machine: "x86_64",
  platform_python_implementation: "CPython",
  implementation_name: "cpython",
  implementation_version: "3.11.7",
};
const windows: MarkerEnv = {
  ...linux,
  os_name: "nt",
  sys_platform: "win32",
  platform_system: "Windows",
  platform_machine: "AMD64",
};

const yes = (e: string, env = linux) =>
  assert.equal(evaluateCondition(e, env), true, e);
const no = (e: string, env = linux) =>
  assert.equal(evaluateCondition(e, env), false, e);

Deno.test("PEP 508 markers with version comparison", () => {
  yes('python_version < "3.12" and platform_system == "Linux"');
  no('python_version < "3.11" and platform_system == "Linux"');
  yes('python_version >= "3.9"'); // a version compare, not a string compare
  yes('python_full_version ~= "3.11.0"');
  yes('"3.8" < python_version');
  yes("os_name == 'posix' or sys_platform == 'win32'");
  yes('"linux" in sys_platform and "win" not in sys_platform');
  yes('python_version < "3.11"', { ...linux, python_version: "3.10" });
});

Deno.test("buildout's names", () => {
  for (
    const n of [
      "python3",
      "python311",
      "cpython",
      "linux",
      "posix",
      "bits64",
      "little_endian",
    ]
  ) {
    yes(n);
  }
  for (
    const n of [
      "python2",
      "python310",
      "python36",
      "pypy",
      "windows",
      "macosx",
      "bits32",
    ]
  ) {
    no(n);
  }
  yes("windows and not posix", windows);
  yes("bits64", windows);
  assert.equal(
    buildoutNames({ ...linux, platform_machine: "s390x" }).big_endian,
    true,
  );
});

Deno.test("and/or/not, parentheses, True/False, Python spellings", () => {
  yes("not (windows or macosx)");
  yes("True and not False");
  no("linux and (python2 or pypy)");
  yes("sys.platform == 'linux' and os.name == 'posix'");
  yes("platform.system() == 'Windows'", windows);
  yes("linux == True");
});

Deno.test("anything else is a UserError naming the expression", () => {
  const bad: [string, string][] = [
    ["frobnicate", "Invalid condition 'frobnicate': unknown name 'frobnicate'"],
    ["linux and", "Invalid condition 'linux and': unexpected end"],
    ["(linux", "Invalid condition '(linux': missing ')'"],
    ["linux linux", "Invalid condition 'linux linux': unexpected 'linux'"],
    [
      "sys.version_info >= (3, 1)",
      "Invalid condition 'sys.version_info >= (3, 1)': unexpected '3, 1)'",
    ],
    ["1 + 2", "Invalid condition '1 + 2': unexpected '1 + 2'"],
    ["", "Invalid condition '': empty"],
    [
      'os_name ~= "posix"',
      `Invalid condition 'os_name ~= "posix"': ~= needs versions, got 'posix' and 'posix'`,
    ],
  ];
  for (const [expr, message] of bad) {
    assert.throws(() => evaluateCondition(expr, linux), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.equal(err.message, message);
      return true;
    });
  }
});

Deno.test("the default environment describes this machine", () => {
  const env = defaultMarkerEnv("3.11.7");
  assert.equal(env.python_version, "3.11");
  assert.equal(env.python_full_version, "3.11.7");
  assert.equal(defaultMarkerEnv("3.12").python_full_version, "3.12.0");
  if (Deno.build.os === "linux") {
    assert.equal(env.sys_platform, "linux");
    assert.equal(env.platform_system, "Linux");
    yes("linux and posix and python311", env);
  }
});

Deno.test("no python version, no pythonXY names", () => {
  assert.equal("python" in buildoutNames({}), false);
  assert.throws(() => evaluateCondition("python", {}), UserError);
});

Deno.test("native or Python: what the native evaluator leaves to the interpreter", () => {
  const python = [
    "sys.version_info < (3, 10)",
    "any([python310, python311])",
    "1 + 1 == 2",
    "os.path.exists('/etc')",
    "re.match('x', sys.platform)",
    "platform.uname().machine == 'x86_64'",
    'sys.platform == "li\\x6eux"', // Python escapes in strings
    "python_version < '3.12' < '4'", // chained comparison
    "(os_name or 'x') == 'posix'", // and/or yield an operand in Python
    "linux < 'x'", // bool against str: Python's TypeError
    "'x' in linux",
    "sys.platform ~= '1.0'", // not Python syntax
    "frobnicate",
    "",
  ];
  for (const e of python) assert.equal(compileCondition(e), undefined, e);
  const native = [
    'python_version < "3.12" and platform_system == "Linux"',
    "not (windows or macosx) and python3",
    "sys.platform == 'linux' and platform.machine() == 'x86_64'",
    "True > False",
  ];
  for (const e of native) {
    assert.equal(compileCondition(e)?.(linux), true, e);
  }
});

Deno.test("Python spellings compare as strings, markers as versions", () => {
  const env = { ...linux, python_full_version: "3.11.7" };
  // "3.11.7" >= "3.9" is false for Python strings, true for PEP 440 versions.
  no("platform.python_version() >= '3.9'", env);
  yes("python_full_version >= '3.9'", env);
});

Deno.test("and/or yield operands; names from the interpreter win over derived ones", () => {
  yes("(linux and 'x') or False");
  no("windows or ''");
  const cond = compileCondition("bits32 and not bits64")!;
  assert.equal(cond(linux), false); // derived from platform_machine x86_64
  assert.equal(cond(linux, { bits32: true, bits64: false }), true);
});
