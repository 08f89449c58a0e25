/**
 * PEP 508 environment markers: parsing and evaluation against the marker
 * environment of the target interpreter.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { normalizeName } from "./name.ts";
import {
  isValidSpecifier,
  isValidVersion,
  matchesSpecifier,
} from "./version.ts";

/** Values of the marker variables, e.g. `{ python_version: "3.11", ... }`. */
export type MarkerEnv = Record<string, string>;

/** The PEP 508 marker variables. */
export const MARKER_VARIABLES = [
  "python_version",
  "python_full_version",
  "os_name",
  "sys_platform",
  "platform_release",
  "platform_system",
  "platform_version",
  "platform_machine",
  "platform_python_implementation",
  "implementation_name",
  "implementation_version",
  "extra",
] as const;

/** Legacy dotted spellings still accepted by setuptools. */
const ALIASES: Record<string, string> = {
  "os.name": "os_name",
  "sys.platform": "sys_platform",
  "platform.version": "platform_version",
  "platform.machine": "platform_machine",
  "platform.python_implementation": "platform_python_implementation",
  "python_implementation": "platform_python_implementation",
};

const VERSION_VARIABLES = new Set([
  "python_version",
  "python_full_version",
  "implementation_version",
  "platform_release",
]);

type Operand = { variable: string } | { literal: string };

/** A parsed marker expression. */
export type MarkerNode =
  | { op: "and" | "or"; left: MarkerNode; right: MarkerNode }
  | { op: "compare"; cmp: string; left: Operand; right: Operand };

const TOKEN =
  /\s*(?:(\()|(\))|('[^']*'|"[^"]*")|(===|==|!=|<=|>=|~=|<|>)|(not\s+in\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;

type Token = { kind: "(" | ")" | "str" | "op" | "word"; text: string };

function tokenize(text: string, fail: (why: string) => never): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) fail(`unexpected text at '${text.slice(pos).trim()}'`);
    pos = TOKEN.lastIndex;
    if (m[1]) tokens.push({ kind: "(", text: "(" });
    else if (m[2]) tokens.push({ kind: ")", text: ")" });
    else if (m[3]) tokens.push({ kind: "str", text: m[3].slice(1, -1) });
    else if (m[4]) tokens.push({ kind: "op", text: m[4] });
    else if (m[5]) tokens.push({ kind: "op", text: "not in" });
    else if (m[6] === "in") tokens.push({ kind: "op", text: "in" });
    else tokens.push({ kind: "word", text: m[6] });
  }
  return tokens;
}

/**
 * Parse a marker into a tree. Throws `UserError` for syntax errors and, when
 * `strict` (the default), for variables PEP 508 does not define.
 *
 * @example
 * ```ts
 * parseMarker('python_version >= "3.8" and os_name == "posix"').op; // "and"
 * ```
 */
export function parseMarker(text: string, strict = true): MarkerNode {
  const fail = (why: string): never => {
    throw new UserError(`Invalid environment marker '${text.trim()}': ${why}.`);
  };
  const tokens = tokenize(text, fail);
  let i = 0;
  const peek = () => tokens[i];
  const operand = (): Operand => {
    const t = tokens[i++];
    if (!t) return fail("expected a variable or a quoted string");
    if (t.kind === "str") return { literal: t.text };
    if (t.kind !== "word" || ["and", "or", "not"].includes(t.text)) {
      return fail(`expected a variable or a quoted string, got '${t.text}'`);
    }
    const name = ALIASES[t.text] ?? t.text;
    if (strict && !(MARKER_VARIABLES as readonly string[]).includes(name)) {
      fail(`unknown variable '${t.text}'`);
    }
    return { variable: name };
  };
  const atom = (): MarkerNode => {
    if (peek()?.kind === "(") {
      i++;
      const inner = or();
      if (peek()?.kind !== ")") fail("missing ')'");
      i++;
      return inner;
    }
    const left = operand();
    const op = tokens[i++];
    if (!op || op.kind !== "op") return fail("expected a comparison operator");
    return { op: "compare", cmp: op.text, left, right: operand() };
  };
  const chain = (word: "and" | "or", sub: () => MarkerNode) => () => {
    let node = sub();
    while (peek()?.kind === "word" && peek().text === word) {
      i++;
      node = { op: word, left: node, right: sub() };
    }
    return node;
  };
  const and = chain("and", atom);
  const or = chain("or", and);
  if (!tokens.length) fail("empty marker");
  const tree = or();
  if (i < tokens.length) fail(`unexpected '${tokens[i].text}'`);
  return tree;
}

function value(o: Operand, env: MarkerEnv, marker: string): string {
  if ("literal" in o) return o.literal;
  const v = env[o.variable] ?? (o.variable === "extra" ? "" : undefined);
  if (v === undefined) {
    throw new UserError(
      `Invalid environment marker '${marker.trim()}': unknown variable '${o.variable}'.`,
    );
  }
  return v;
}

function compare(
  node: Extract<MarkerNode, { op: "compare" }>,
  env: MarkerEnv,
  marker: string,
): boolean {
  let l = value(node.left, env, marker);
  let r = value(node.right, env, marker);
  const vars = [node.left, node.right].map((o) =>
    "variable" in o ? o.variable : ""
  );
  if (vars.includes("extra")) {
    l = normalizeName(l);
    r = normalizeName(r);
  }
  if (node.cmp === "in") return r.includes(l);
  if (node.cmp === "not in") return !r.includes(l);
  if (
    vars.some((v) => VERSION_VARIABLES.has(v)) && isValidVersion(l) &&
    isValidSpecifier(node.cmp + r)
  ) {
    return matchesSpecifier(l, node.cmp + r);
  }
  switch (node.cmp) {
    case "==":
    case "===":
      return l === r;
    case "!=":
      return l !== r;
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    case ">=":
      return l >= r;
  }
  throw new UserError(
    `Invalid environment marker '${marker.trim()}': cannot compare '${l}' ${node.cmp} '${r}'.`,
  );
}

function evaluate(node: MarkerNode, env: MarkerEnv, marker: string): boolean {
  if (node.op === "compare") return compare(node, env, marker);
  const left = evaluate(node.left, env, marker);
  if (node.op === "and") return left && evaluate(node.right, env, marker);
  return left || evaluate(node.right, env, marker);
}

/**
 * Evaluate a PEP 508 marker. Version-like variables (`python_version`,
 * `python_full_version`, `implementation_version`, `platform_release`) compare
 * as PEP 440 versions when both sides parse, everything else as strings;
 * `extra` compares PEP 503-normalised: it is the `extra` argument when given,
 * else `env.extra`, else `""`. Throws `UserError` for a syntax error or a
 * variable missing from `env`. Answers are remembered per `env` object (an
 * environment is not changed once made).
 *
 * @example
 * ```ts
 * evaluateMarker('python_version >= "3.8"', { python_version: "3.11" }); // true
 * evaluateMarker('extra == "Test_Deps"', {}, "test-deps"); // true
 * ```
 */
export function evaluateMarker(
  marker: string,
  env: MarkerEnv,
  extra?: string,
): boolean {
  let known = answers.get(env);
  if (!known) answers.set(env, known = new Map());
  const key = extra === undefined ? marker : `${extra}\0${marker}`;
  let answer = known.get(key);
  if (answer === undefined) {
    let tree = trees.get(marker);
    if (!tree) {
      if (trees.size >= TREES_MAX) trees.clear();
      tree = parseMarker(marker, false);
      trees.set(marker, tree);
    }
    answer = evaluate(
      tree,
      extra === undefined ? env : { ...env, extra },
      marker,
    );
    if (known.size >= TREES_MAX) known.clear();
    known.set(key, answer);
  }
  return answer;
}

/**
 * Markers parsed this run, by their text, and their answers by environment:
 * a resolution evaluates each dependency's marker once per extra asked for.
 */
const trees = new Map<string, MarkerNode>();
const answers = new WeakMap<MarkerEnv, Map<string, boolean>>();
const TREES_MAX = 1024;
