/**
 * Conditions of `[name:expr]` section headers: PEP 508 markers
 * (`python_version < "3.11" and platform_system == "Linux"`) plus buildout's names
 * (`python3`, `python311`, `cpython`, `linux`, `windows`, `macosx`, `posix`, `bits64`,
 * `little_endian`, ...), `sys.platform`, `os.name`, `platform.system()`, with
 * `and`/`or`/`not`, parentheses, `True`/`False`. Anything else is a `UserError`.
 *
 * @module
 */

import { satisfies, valid } from "@renovatebot/pep440";
import { UserError } from "../errors.ts";
import { MARKER_VARIABLES } from "../pypa/markers.ts";
import { pyRepr } from "../pyrepr.ts";

/** PEP 508 marker variables (`python_version`, `sys_platform`, ...) as strings. */
export type MarkerEnv = Record<string, string>;

const MARKER_VARS: readonly string[] = MARKER_VARIABLES;

/** Python-style spellings buildout conditions use for some marker variables. */
const ALIASES: Record<string, string> = {
  "sys.platform": "sys_platform",
  "os.name": "os_name",
  "platform.system()": "platform_system",
  "platform.machine()": "platform_machine",
  "platform.release()": "platform_release",
  "platform.version()": "platform_version",
  "platform.python_version()": "python_full_version",
  "platform.python_implementation()": "platform_python_implementation",
};

/**
 * Marker variables for this machine, from `Deno.build` and a Python version.
 *
 * @example
 * ```ts
 * defaultMarkerEnv("3.11.7").python_version; // "3.11"
 * defaultMarkerEnv().sys_platform; // "linux" on Linux
 * ```
 */
export function defaultMarkerEnv(pythonVersion = "3.11"): MarkerEnv {
  const os = Deno.build.os;
  const parts = pythonVersion.split(".");
  const full = parts.length >= 3
    ? pythonVersion
    : `${parts[0]}.${parts[1] ?? 0}.0`;
  let release = "";
  try {
    release = Deno.osRelease();
  } catch { /* no --allow-sys: leave empty */ }
  const machine = os === "darwin" && Deno.build.arch === "aarch64"
    ? "arm64"
    : os === "windows" && Deno.build.arch === "x86_64"
    ? "AMD64"
    : Deno.build.arch;
  return {
    python_version: `${parts[0]}.${parts[1] ?? 0}`,
    python_full_version: full,
    os_name: os === "windows" ? "nt" : "posix",
    sys_platform: os === "windows" ? "win32" : os,
    platform_release: release,
    platform_system: os === "darwin"
      ? "Darwin"
      : os.charAt(0).toUpperCase() + os.slice(1),
    platform_version: "",
    platform_machine: machine,
    platform_python_implementation: "CPython",
    implementation_name: "cpython",
    implementation_version: full,
  };
}

/**
 * Buildout's boolean names derived from marker variables.
 *
 * @example
 * ```ts
 * buildoutNames(defaultMarkerEnv("3.11")).python311; // true
 * ```
 */
export function buildoutNames(env: MarkerEnv): Record<string, boolean> {
  const [major = "", minor = ""] = (env.python_version ?? "").split(".");
  const impl = (env.implementation_name ?? "cpython").toLowerCase();
  const plat = (env.sys_platform ?? "").toLowerCase();
  const machine = (env.platform_machine ?? "").toLowerCase();
  const bits64 = /64|s390x/.test(machine);
  const bigEndian = /^(s390x?|ppc64|ppc|powerpc|sparc.*|mips|mips64)$/.test(
    machine,
  );
  const names: Record<string, boolean> = {
    python2: major === "2",
    python3: major === "3",
    cpython: impl === "cpython",
    pypy: impl === "pypy",
    jython: impl === "jython",
    ironpython: impl === "ironpython",
    linux: plat.includes("linux"),
    windows: plat.includes("win32"),
    cygwin: plat.includes("cygwin"),
    solaris: plat.includes("sunos"),
    macosx: plat.includes("darwin"),
    posix: (env.os_name ?? "") === "posix",
    bits32: !bits64,
    bits64,
    little_endian: !bigEndian,
    big_endian: bigEndian,
  };
  if (major && minor) names[`python${major}${minor}`] = true;
  return names;
}

type Value = string | boolean;
type Token = { kind: "str" | "name" | "op" | "paren"; text: string };

const TOKEN =
  /\s*(?:("[^"]*"|'[^']*')|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?)|(===|==|!=|<=|>=|~=|<|>)|([()]))/y;
const COMPARISONS = new Set([
  "===",
  "==",
  "!=",
  "<=",
  ">=",
  "~=",
  "<",
  ">",
  "in",
  "not in",
]);

/**
 * Evaluate a section condition. Throws `UserError` naming the expression on anything it does
 * not understand.
 *
 * @example
 * ```ts
 * const env = defaultMarkerEnv("3.11");
 * evaluateCondition('python_version >= "3.8" and posix', env); // true on Linux
 * evaluateCondition("not (windows or macosx)", env); // true on Linux
 * ```
 */
export function evaluateCondition(
  expr: string,
  env: MarkerEnv = defaultMarkerEnv(),
): boolean {
  const fail = (why: string): never => {
    throw new UserError(`Invalid condition ${pyRepr(expr)}: ${why}`);
  };
  const tokens = tokenize(expr, fail);
  const names = buildoutNames(env);
  let pos = 0;
  const peek = () => tokens[pos]?.text;
  const next = () => tokens[pos++];

  const atom = (): Value => {
    const t = next();
    if (!t) return fail("unexpected end");
    if (t.kind === "paren" && t.text === "(") {
      const v = orExpr();
      if (next()?.text !== ")") fail("missing ')'");
      return v;
    }
    if (t.kind === "str") return t.text.slice(1, -1);
    if (t.kind !== "name") return fail(`unexpected ${pyRepr(t.text)}`);
    if (t.text === "True") return true;
    if (t.text === "False") return false;
    const marker = ALIASES[t.text] ?? t.text;
    if (MARKER_VARS.includes(marker)) return env[marker] ?? "";
    if (marker in names) return names[marker];
    if (/^python\d+$/.test(marker)) return false;
    return fail(`unknown name ${pyRepr(t.text)}`);
  };
  const comparison = (): Value => {
    const left = atom();
    let op = peek();
    if (op === "not" && tokens[pos + 1]?.text === "in") {
      pos++;
      op = "not in";
    }
    if (op === undefined || !COMPARISONS.has(op)) return left;
    pos++;
    return compare(left, op, atom(), fail);
  };
  const notExpr = (): Value => {
    if (peek() === "not") {
      pos++;
      return !truthy(notExpr());
    }
    return comparison();
  };
  const andExpr = (): Value => {
    let v = notExpr();
    while (peek() === "and") {
      pos++;
      const r = notExpr();
      v = truthy(v) && truthy(r);
    }
    return v;
  };
  const orExpr = (): Value => {
    let v = andExpr();
    while (peek() === "or") {
      pos++;
      const r = andExpr();
      v = truthy(v) || truthy(r);
    }
    return v;
  };
  if (!tokens.length) fail("empty");
  const result = orExpr();
  if (pos < tokens.length) fail(`unexpected ${pyRepr(tokens[pos].text)}`);
  return truthy(result);
}

function truthy(v: Value): boolean {
  return typeof v === "boolean" ? v : v !== "";
}

function tokenize(expr: string, fail: (why: string) => never): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < expr.length) {
    if (!expr.slice(pos).trim()) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(expr);
    if (!m) fail(`unexpected ${pyRepr(expr.slice(pos).trim())}`);
    const [, str, name, op, paren] = m!;
    if (str) out.push({ kind: "str", text: str });
    else if (name) out.push({ kind: "name", text: name });
    else if (op) out.push({ kind: "op", text: op });
    else out.push({ kind: "paren", text: paren });
    pos = TOKEN.lastIndex;
  }
  return out;
}

function compare(
  left: Value,
  op: string,
  right: Value,
  fail: (why: string) => never,
): boolean {
  if (typeof left === "boolean" || typeof right === "boolean") {
    if (op === "==") return left === right;
    if (op === "!=") return left !== right;
    return fail(`cannot compare with ${op}`);
  }
  if (op === "in") return right.includes(left);
  if (op === "not in") return !right.includes(left);
  if (op === "===") return left === right;
  if (valid(left) && valid(right)) {
    return satisfies(left, `${op}${right}`);
  }
  switch (op) {
    case "==":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    case ">=":
      return left >= right;
  }
  return fail(`${op} needs versions, got ${pyRepr(left)} and ${pyRepr(right)}`);
}
