/**
 * The native evaluator of `[name:expr]` section conditions: PEP 508 markers
 * (`python_version < "3.11" and platform_system == "Linux"`) plus buildout's names
 * (`python3`, `python311`, `cpython`, `linux`, `windows`, `macosx`, `posix`, `bits64`,
 * `little_endian`, ...), `sys.platform`, `os.name`, `platform.system()`, with
 * `and`/`or`/`not`, parentheses, `True`/`False`. {@link compileCondition} tells which
 * expressions it handles; the others are Python and go to the target interpreter
 * (src/cli/conditions.ts).
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

/** What a native condition is evaluated against. */
interface Context {
  env: MarkerEnv;
  names: () => Record<string, boolean>;
}

/**
 * A compiled sub-expression: its static type (`any` for `and`/`or` of mixed operands,
 * which yield one of their operands as in Python), whether it is a Python-style string
 * (`sys.platform`: compared as plain strings, never as versions) and how to compute it.
 */
interface Node {
  type: "bool" | "str" | "any";
  python?: boolean;
  run: (ctx: Context) => Value;
}

/** A condition the native evaluator handles; `names` overrides {@link buildoutNames}. */
export type NativeCondition = (
  env: MarkerEnv,
  names?: Record<string, boolean>,
) => boolean;

/** Thrown while compiling: the expression is outside the native subset. */
class NotNative extends Error {}

const TOKEN =
  /\s*(?:("[^"\\]*"|'[^'\\]*')|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?)|(===|==|!=|<=|>=|~=|<|>)|([()]))/y;
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
const BUILDOUT_NAMES = new Set(Object.keys(buildoutNames({})));

/**
 * Compile a condition when the native evaluator handles it, else `undefined` (the
 * expression is then Python: arithmetic, calls, tuples, `re`, escapes in strings, ...).
 * Evaluating the result may still throw a `UserError` (`~=` between non-versions).
 *
 * @example
 * ```ts
 * compileCondition("linux and python3")?.(defaultMarkerEnv("3.11")); // true on Linux
 * compileCondition("sys.version_info >= (3, 10)"); // undefined
 * ```
 */
export function compileCondition(expr: string): NativeCondition | undefined {
  try {
    return compile(expr);
  } catch (err) {
    if (err instanceof NotNative) return undefined;
    throw err;
  }
}

/**
 * Evaluate a condition natively. Throws `UserError` naming the expression when it is outside
 * the native subset or cannot be evaluated.
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
  names?: Record<string, boolean>,
): boolean {
  let condition: NativeCondition;
  try {
    condition = compile(expr);
  } catch (err) {
    if (err instanceof NotNative) {
      throw new UserError(`Invalid condition ${pyRepr(expr)}: ${err.message}`);
    }
    throw err;
  }
  return condition(env, names);
}

function compile(expr: string): NativeCondition {
  const fail = (why: string): never => {
    throw new NotNative(why);
  };
  const tokens = tokenize(expr, fail);
  let pos = 0;
  const peek = () => tokens[pos]?.text;
  const next = () => tokens[pos++];

  const atom = (): Node => {
    const t = next();
    if (!t) return fail("unexpected end");
    if (t.kind === "paren" && t.text === "(") {
      const v = orExpr();
      if (next()?.text !== ")") fail("missing ')'");
      return v;
    }
    if (t.kind === "str") {
      const s = t.text.slice(1, -1);
      return { type: "str", run: () => s };
    }
    if (t.kind !== "name") return fail(`unexpected ${pyRepr(t.text)}`);
    if (t.text === "True" || t.text === "False") {
      const b = t.text === "True";
      return { type: "bool", run: () => b };
    }
    const alias = ALIASES[t.text];
    const marker = alias ?? t.text;
    if (MARKER_VARS.includes(marker)) {
      return {
        type: "str",
        python: alias !== undefined,
        run: (ctx) => ctx.env[marker] ?? "",
      };
    }
    if (BUILDOUT_NAMES.has(marker) || /^python\d+$/.test(marker)) {
      return { type: "bool", run: (ctx) => ctx.names()[marker] ?? false };
    }
    return fail(`unknown name ${pyRepr(t.text)}`);
  };
  const comparison = (): Node => {
    const left = atom();
    let op = peek();
    if (op === "not" && tokens[pos + 1]?.text === "in") {
      pos++;
      op = "not in";
    }
    if (op === undefined || !COMPARISONS.has(op)) return left;
    pos++;
    return compareNode(left, op, atom(), fail);
  };
  const notExpr = (): Node => {
    if (peek() === "not") {
      pos++;
      const v = notExpr();
      return { type: "bool", run: (ctx) => !truthy(v.run(ctx)) };
    }
    return comparison();
  };
  // `a and b`, `a or b` yield an operand, as in Python.
  const chain = (word: string, operand: () => Node): Node => {
    let v = operand();
    while (peek() === word) {
      pos++;
      const [l, r] = [v, operand()];
      v = {
        type: l.type === "bool" && r.type === "bool" ? "bool" : "any",
        run: (ctx) => {
          const a = l.run(ctx);
          return truthy(a) === (word === "and") ? r.run(ctx) : a;
        },
      };
    }
    return v;
  };
  const andExpr = () => chain("and", notExpr);
  const orExpr = (): Node => chain("or", andExpr);
  if (!tokens.length) fail("empty");
  const result = orExpr();
  if (pos < tokens.length) fail(`unexpected ${pyRepr(tokens[pos].text)}`);
  return (env, names) => {
    let cached = names;
    const ctx: Context = { env, names: () => cached ??= buildoutNames(env) };
    try {
      return truthy(result.run(ctx));
    } catch (err) {
      if (!(err instanceof NotNative)) throw err;
      throw new UserError(`Invalid condition ${pyRepr(expr)}: ${err.message}`);
    }
  };
}

function truthy(v: Value): boolean {
  return typeof v === "boolean" ? v : v !== "";
}

function tokenize(expr: string, fail: (why: string) => never): Token[] {
  const out: Token[] = [];
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

/**
 * A comparison node, or {@link NotNative} where Python's meaning differs from a marker's
 * (ordering booleans against strings, `in` on booleans, `~=`/`===` in Python spelling).
 */
function compareNode(
  left: Node,
  op: string,
  right: Node,
  fail: (why: string) => never,
): Node {
  const types = [left.type, right.type];
  if (types.includes("any")) fail(`cannot compare the result of and/or`);
  if (types.includes("bool")) {
    if (op === "==" || op === "!=") {
      const eq = op === "==";
      return {
        type: "bool",
        run: (c) => (left.run(c) === right.run(c)) === eq,
      };
    }
    if (left.type !== right.type || !["<", "<=", ">", ">="].includes(op)) {
      fail(`cannot compare with ${op}`);
    }
    return {
      type: "bool",
      run: (c) => order(Number(left.run(c)), op, Number(right.run(c))),
    };
  }
  const python = left.python || right.python;
  if (python && (op === "~=" || op === "===")) fail(`${op} is not Python`);
  return {
    type: "bool",
    run: (c) =>
      compareStrings(String(left.run(c)), op, String(right.run(c)), !python),
  };
}

function order<T>(a: T, op: string, b: T): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "==":
      return a === b;
    default:
      return a !== b;
  }
}

function compareStrings(
  left: string,
  op: string,
  right: string,
  versions: boolean,
): boolean {
  if (op === "in") return right.includes(left);
  if (op === "not in") return !right.includes(left);
  if (op === "===") return left === right;
  if (versions && valid(left) && valid(right)) {
    return satisfies(left, `${op}${right}`);
  }
  if (op === "~=") {
    throw new NotNative(
      `${op} needs versions, got ${pyRepr(left)} and ${pyRepr(right)}`,
    );
  }
  return order(left, op, right);
}
