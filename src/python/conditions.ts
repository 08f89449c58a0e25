/**
 * Section conditions that only Python can evaluate (`sys.version_info < (3, 10)`,
 * `any([python310, python311])`, `os.path.exists('/etc')`, ...), evaluated in one run of
 * the target interpreter: the expressions go in as JSON on stdin, the answers come back as
 * JSON, each expression with the globals zc.buildout gives them (`sys os platform re`,
 * `python2`, `python3`, `python24`..`python315`, `cpython`, `pypy`, `jython`, `ironpython`,
 * `linux`, `windows`, `cygwin`, `solaris`, `macosx`, `posix`, `bits32`, `bits64`,
 * `little_endian`, `big_endian`). The same run reports the marker variables and those
 * boolean names, for the conditions evaluated natively.
 *
 * @module
 */

import { MARKER_ENV_PY } from "./marker_env_py.ts";
import { UserError } from "../errors.ts";
import type { MarkerEnv } from "../pypa/markers.ts";
import { findExecutable } from "./interpreter.ts";

/** One expression's answer: its truth value, or the Python error it raised. */
export type PythonResult = { value: boolean } | { error: string };

/** What the interpreter reports. */
export interface PythonConditions {
  /** PEP 508 marker variables of the interpreter. */
  markerEnv: MarkerEnv;
  /** Buildout's boolean names (`python3`, `linux`, `bits64`, ...) as the interpreter sees them. */
  names: Record<string, boolean>;
  /** One answer per expression, in order. */
  results: PythonResult[];
}

/** The inline script: a JSON list of expressions on stdin, one JSON object out. */
export const CONDITIONS_SCRIPT = String.raw`
import json, os, platform, re, struct, sys

def flags():
    major, minor = platform.python_version_tuple()[:2]
    out = {"python2": major == "2", "python3": major == "3"}
    for v in ["24", "25", "26", "27"] + ["3%d" % m for m in range(16)]:
        out["python" + v] = major + minor == v
    version = sys.version.lower()
    out["pypy"] = "pypy" in version
    out["jython"] = "java" in version
    out["ironpython"] = "iron" in version
    out["cpython"] = not (out["pypy"] or out["jython"] or out["ironpython"])
    plat = sys.platform.lower()
    for name, part in [("linux", "linux"), ("windows", "win32"), ("cygwin", "cygwin"),
                       ("solaris", "sunos"), ("macosx", "darwin")]:
        out[name] = part in plat
    out["posix"] = "posix" in os.name.lower()
    bits = struct.calcsize("P") * 8
    out["bits32"] = bits == 32
    out["bits64"] = bits == 64
    out["little_endian"] = sys.byteorder == "little"
    out["big_endian"] = sys.byteorder == "big"
    return out

def message(e):
    text = e.msg if isinstance(e, SyntaxError) else str(e)
    return type(e).__name__ + (": " + text if text else "")

def evaluate(expr, names):
    scope = dict(names, sys=sys, os=os, platform=platform, re=re)
    try:
        # As buildout does: the expression inside a list, the first item taken.
        return {"value": bool(eval("[" + expr + "]", scope)[0])}
    except KeyboardInterrupt:
        raise
    except BaseException as e:
        return {"error": message(e)}

names = flags()
exprs = json.loads(sys.stdin.read())
out = sys.stdout
sys.stdout = sys.stderr
results = [evaluate(e, names) for e in exprs]
${MARKER_ENV_PY}out.write("\n" + json.dumps({"markerEnv": env, "names": names, "results": results}) + "\n")
`;

/**
 * Run the interpreter `executable` (a name on `PATH` or a path relative to `base`, default
 * `cwd`) once, in `cwd`, to evaluate `exprs`. A Python error in an expression is its answer, not an
 * exception; a missing or broken interpreter is a `UserError`.
 *
 * @example
 * ```ts
 * const r = await evaluateInPython("python3", ["sys.version_info >= (3, 8)"], { cwd: "/w" });
 * r.results[0]; // { value: true }
 * r.markerEnv.python_version; // "3.11"
 * ```
 */
export async function evaluateInPython(
  executable: string,
  exprs: string[],
  o: { cwd: string; base?: string },
): Promise<PythonConditions> {
  const path = await findExecutable(executable, o.base ?? o.cwd);
  if (!path) {
    throw new UserError(
      `The Python executable '${executable}' was not found (set [buildout] executable).`,
    );
  }
  let out: Deno.CommandOutput;
  try {
    const child = new Deno.Command(path, {
      args: ["-I", "-c", CONDITIONS_SCRIPT],
      cwd: o.cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    // A program that exits without reading is reported from its output below.
    await w.write(new TextEncoder().encode(JSON.stringify(exprs)))
      .then(() => w.close()).catch(() => {});
    out = await child.output();
  } catch (e) {
    throw new UserError(
      `The Python executable '${executable}' could not be run: ${
        e instanceof Error ? e.message : e
      }`,
    );
  }
  if (out.success) {
    try {
      const last = new TextDecoder().decode(out.stdout).trim().split("\n")
        .at(-1);
      const r = JSON.parse(last ?? "");
      if (
        r && Array.isArray(r.results) && r.results.length === exprs.length
      ) {
        return r as PythonConditions;
      }
    } catch {
      // fall through to the error below
    }
  }
  const stderr = new TextDecoder().decode(out.stderr).trim();
  const tail = stderr.split("\n").at(-1) || `exit code ${out.code}`;
  throw new UserError(
    `The Python executable '${executable}' did not answer like Python 3: ${tail}`,
  );
}
