/**
 * The ABI tag of a Python (`cp311`, `pypy39_pp73`...), named the way
 * zc.buildout names the folder `abi-tag-eggs = true` adds to the eggs
 * directory: from `SOABI` when the interpreter has one, else emulated from the
 * implementation, version and build flags.
 *
 * @module
 */

import { UserError } from "../errors.ts";

/** Prints the tag; kept to what `sysconfig` offers in every Python 3. */
export const ABI_SCRIPT = String.raw`
import sys, sysconfig
soabi = sysconfig.get_config_var("SOABI")
impl = "pp" if hasattr(sys, "pypy_version_info") else "cp"
if soabi and soabi.startswith("cpython-"):
    tag = "cp" + soabi.split("-")[1]
elif soabi:
    tag = soabi.replace(".", "_").replace("-", "_")
else:
    nodot = sysconfig.get_config_var("py_version_nodot")
    if not nodot or impl == "pp":
        nodot = "%d%d" % sys.version_info[:2]
    debug = sysconfig.get_config_var("Py_DEBUG")
    if debug is None:
        debug = hasattr(sys, "gettotalrefcount")
    malloc = sysconfig.get_config_var("WITH_PYMALLOC")
    if malloc is None:
        malloc = impl == "cp"
    tag = impl + nodot + ("d" if debug else "") + ("m" if malloc else "")
print(tag)
`;

/**
 * Ask `executable` (a path, or a name looked up on `PATH`) for its ABI tag,
 * synchronously: settings are read before anything asynchronous runs.
 *
 * @example
 * ```ts
 * abiTag("python3", "/w"); // "cp311"
 * ```
 */
export function abiTag(executable: string, cwd: string): string {
  let out: Deno.CommandOutput;
  try {
    out = new Deno.Command(executable, {
      args: ["-I", "-c", ABI_SCRIPT],
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).outputSync();
  } catch (e) {
    throw new UserError(
      `The Python executable '${executable}' could not be run: ${
        e instanceof Error ? e.message : e
      }`,
    );
  }
  const tag = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1);
  if (!out.success || !tag) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1);
    throw new UserError(
      `The Python executable '${executable}' did not report its ABI tag: ${
        err || `exit code ${out.code}`
      }`,
    );
  }
  return tag;
}
