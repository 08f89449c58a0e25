/**
 * `[name:expr]` conditions against the target Python (`[buildout] executable`) with one
 * interpreter run per configuration: a first pass over the whole tree (every file, extends
 * included) keeps all conditional sections and collects their expressions; one Python
 * process then reports its marker variables and buildout's names and evaluates the
 * expressions the native evaluator does not handle; a second pass decides every section.
 * No conditions, no Python.
 *
 * Another run is needed only when the second pass meets expressions the first did not
 * (a file reached only through a conditional `extends`) or when conditions change
 * `[buildout] executable`.
 *
 * @module
 */

import { UserError } from "../errors.ts";
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

/** Passes after which a changing `executable` is taken as it stands. */
const MAX_PASSES = 4;

/**
 * Load through `pass`, deciding conditions natively or in the target Python.
 *
 * @example
 * ```ts
 * const raw = await loadWithConditions(
 *   (judge, sink) => loadConfig({ ...opts, judge, log: new Logger(20, sink) }),
 *   { cwd: "/w", sink: console.log },
 * );
 * ```
 */
export async function loadWithConditions(
  pass: LoadPass,
  o: ConditionLoadOptions,
): Promise<RawConfig> {
  const python = o.python ?? evaluateInPython;
  let answer: Answer | undefined;
  for (let round = 1;; round++) {
    const missing = new Set<string>();
    const judge = (expr: string): boolean => {
      if (!answer) {
        missing.add(expr);
        return true;
      }
      const native = compileCondition(expr);
      if (native) return native(answer.markerEnv, answer.names);
      const r = answer.results.get(expr);
      if (!r) {
        missing.add(expr);
        return true;
      }
      if ("error" in r) {
        throw new UserError(`Invalid condition ${pyRepr(expr)}: ${r.error}`);
      }
      return r.value;
    };
    const lines: string[] = [];
    let raw: RawConfig | undefined;
    let error: unknown;
    try {
      raw = await pass(judge, (l) => lines.push(l));
    } catch (err) {
      // With sections kept on trust, an error may be one the real pass never meets.
      if (!(err instanceof UserError) || !missing.size) throw err;
      error = err;
    }
    const target = raw
      ? targetOf(raw, o.cwd)
      : answer?.target ?? { executable: "python3", base: o.cwd };
    const moved = answer !== undefined && round < MAX_PASSES &&
      (target.executable !== answer.target.executable ||
        target.base !== answer.target.base);
    if (!missing.size && !moved) {
      lines.forEach(o.sink);
      if (error) throw error;
      return raw!;
    }
    const asked = [...new Set([...answer?.results.keys() ?? [], ...missing])]
      .filter((e) => !compileCondition(e));
    const r = await python(target.executable, asked, {
      cwd: o.cwd,
      base: target.base,
    });
    answer = {
      target,
      markerEnv: r.markerEnv,
      names: r.names,
      results: new Map(asked.map((e, i) => [e, r.results[i]])),
    };
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
