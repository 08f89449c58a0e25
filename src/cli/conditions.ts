/**
 * `[name:expr]` conditions against the target Python (`[buildout] executable`) with one
 * interpreter run per configuration: a first pass over the whole tree (every file, extends
 * included, user defaults and remote files too) keeps all conditional sections and
 * collects their expressions, and so does a walk through every local file any `extends`
 * may name; one Python process then reports its marker variables and buildout's names
 * and evaluates the expressions the native evaluator does not handle; a second pass
 * decides every section. No conditions, no Python.
 *
 * Another run is needed only when the second pass meets expressions the first did not
 * (a remote file reached only through a conditional `extends`) or when conditions change
 * `[buildout] executable`.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import { discoverConditions } from "../config/discover.ts";
import { compileCondition, type MarkerEnv } from "../config/expr.ts";
import { missingSection, substitute } from "../config/substitute.ts";
import type { RawConfig } from "../config/types.ts";
import { pyRepr } from "../pyrepr.ts";
import { evaluateInPython, type PythonResult } from "../python/conditions.ts";

/** One load of the configuration with the given condition judge and output sink. */
export type LoadPass = (
  judge: (condition: string) => boolean,
  sink: (line: string) => void,
) => Promise<RawConfig>;

/** Options of {@link loadWithConditions}. */
export interface ConditionLoadOptions {
  /** The main configuration file (absolute) or URL. */
  configFile: string;
  /** Where Python runs (`os.path.exists('x')` is relative to it). */
  cwd: string;
  /** The output of the pass whose result is returned. */
  sink: (line: string) => void;
  /** Stand-in for {@link evaluateInPython} (tests). */
  python?: typeof evaluateInPython;
}

/** The interpreter to ask: `[buildout] executable`, relative to `[buildout] directory`. */
interface Target {
  executable: string;
  base: string;
}

interface Answer {
  target: Target;
  markerEnv: MarkerEnv;
  names: Record<string, boolean>;
  results: Map<string, PythonResult>;
}

interface Attempt {
  raw?: RawConfig;
  error?: UserError;
  lines: string[];
}

/** Passes after which a changing `executable` is taken as it stands. */
const MAX_PASSES = 4;

/**
 * Load through `pass`, deciding conditions natively or in the target Python.
 *
 * @example
 * ```ts
 * const raw = await loadWithConditions(
 *   (judge, sink) => loadConfig({ ...opts, judge, log: new Logger(20, sink) }),
 *   { configFile: "/w/buildout.cfg", cwd: "/w", sink: console.log },
 * );
 * ```
 */
export async function loadWithConditions(
  pass: LoadPass,
  o: ConditionLoadOptions,
): Promise<RawConfig> {
  const python = o.python ?? evaluateInPython;
  const attempt = async (judge: (c: string) => boolean): Promise<Attempt> => {
    const lines: string[] = [];
    try {
      return { raw: await pass(judge, (l) => lines.push(l)), lines };
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return { error: err, lines };
    }
  };
  const finish = (a: Attempt): RawConfig => {
    a.lines.forEach(o.sink);
    if (a.error) throw a.error;
    return a.raw!;
  };
  const ask = async (target: Target, exprs: Iterable<string>) => {
    const asked = [...new Set(exprs)].filter((e) => !compileCondition(e));
    const r = await python(target.executable, asked, {
      cwd: o.cwd,
      base: target.base,
    });
    return {
      target,
      markerEnv: r.markerEnv,
      names: r.names,
      results: new Map(asked.map((e, i) => [e, r.results[i]])),
    };
  };

  // Discovery: every conditional section kept, every condition collected.
  const found = new Set<string>();
  const first = await attempt((c) => found.add(c) !== undefined);
  if (!found.size) return finish(first);
  for (const c of await discoverConditions(o.configFile)) found.add(c);
  let raw = first.raw ?? (await attempt(() => false)).raw;
  let answer: Answer = await ask(
    raw ? targetOf(raw, o.cwd) : { executable: "python3", base: o.cwd },
    found,
  );

  for (let round = 2;; round++) {
    const missing = new Set<string>();
    const known = answer;
    const a = await attempt((expr) => {
      const native = compileCondition(expr);
      if (native) return native(known.markerEnv, known.names);
      const r = known.results.get(expr);
      if (!r) return missing.add(expr) !== undefined;
      if ("error" in r) {
        throw new UserError(`Invalid condition ${pyRepr(expr)}: ${r.error}`);
      }
      return r.value;
    });
    raw = a.raw;
    const target = raw ? targetOf(raw, o.cwd) : known.target;
    const moved = round < MAX_PASSES &&
      (target.executable !== known.target.executable ||
        target.base !== known.target.base);
    if (!missing.size && !moved) return finish(a);
    answer = await ask(target, [...known.results.keys(), ...missing]);
  }
}

/** `[buildout] executable` with `${...}` resolved from raw values, and the buildout folder. */
function targetOf(raw: RawConfig, cwd: string): Target {
  const buildout = raw.get("buildout");
  const value = buildout?.get("executable")?.value ?? "";
  const lookup = (section: string, option: string, depth = 0): string => {
    const s = raw.get(section);
    if (!s) throw missingSection(section);
    const v = s.get(option)?.value ?? "";
    return depth > 10 ? v : substitute(
      v,
      section,
      (sec, opt) => lookup(sec, opt, depth + 1),
    );
  };
  let executable: string;
  try {
    executable = substitute(value, "buildout", (s, opt) => lookup(s, opt));
  } catch {
    executable = value;
  }
  return {
    executable: executable.trim() || "python3",
    base: buildout?.get("directory")?.value || cwd,
  };
}
