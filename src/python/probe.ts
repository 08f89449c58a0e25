/**
 * Ask a Python interpreter about itself: version, platform, supported wheel
 * tags (best first) and the PEP 508 marker environment. One process per call;
 * caching lives in `interpreter.ts`.
 *
 * @module
 */

import { MARKER_ENV_PY } from "./marker_env_py.ts";
import { UserError } from "../errors.ts";
import type { MarkerEnv } from "../pypa/markers.ts";

/** What the probe script reports. */
export interface ProbeResult {
  /** `sys.executable` (absolute; may be empty in odd embeddings). */
  executable: string;
  /** Full version, e.g. `3.11.7`. */
  version: string;
  /** `X.Y`, e.g. `3.11`. */
  pyVersion: string;
  /** `sys.implementation.name`, e.g. `cpython`. */
  implementation: string;
  /** `sysconfig.get_platform()`, e.g. `linux-x86_64` (as in egg names). */
  platform: string;
  /** Supported wheel tags, best first. */
  tags: string[];
  /** Where the tags came from: `packaging.tags`, `pip._vendor.packaging.tags` or `fallback`. */
  tagSource: string;
  markerEnv: MarkerEnv;
}

/** The inline script; argument `fallback` forces the built-in tag computation. */
export const PROBE_SCRIPT = String.raw`
import glob, importlib, json, os, platform, re, subprocess, sys, sysconfig

def glibc():
    try:
        ver = os.confstr("CS_GNU_LIBC_VERSION").split()[1]
        major, minor = ver.split(".")[:2]
        return int(major), int(minor)
    except Exception:
        return None

def musl():
    for ld in sorted(glob.glob("/lib/ld-musl-*.so.1")):
        try:
            err = subprocess.run([ld], capture_output=True, text=True).stderr
            m = re.search(r"Version (\d+)\.(\d+)", err)
            if m:
                return int(m.group(1)), int(m.group(2))
        except Exception:
            pass
    return None

def platforms():
    plat = re.sub(r"[-. ]", "_", sysconfig.get_platform())
    if not plat.startswith("linux_"):
        return [plat]
    arch = plat[len("linux_"):]
    if arch == "x86_64" and sys.maxsize <= 2 ** 32:
        arch = "i686"
    archs = {"armv8l": ["armv8l", "armv7l"]}.get(arch, [arch])
    out = []
    g = glibc()
    legacy = {(2, 17): "manylinux2014", (2, 12): "manylinux2010", (2, 5): "manylinux1"}
    if g:
        for a in archs:
            low = 4 if a in ("x86_64", "i686") else 16
            for minor in range(g[1], low, -1):
                out.append("manylinux_%d_%d_%s" % (g[0], minor, a))
                if (g[0], minor) in legacy:
                    out.append("%s_%s" % (legacy[(g[0], minor)], a))
    else:
        m = musl()
        if m:
            for a in archs:
                for minor in range(m[1], -1, -1):
                    out.append("musllinux_%d_%d_%s" % (m[0], minor, a))
    return out + ["linux_" + a for a in archs]

def generic_abi():
    ext = (sysconfig.get_config_var("EXT_SUFFIX") or "").split(".")
    if len(ext) < 3:
        return None
    soabi = ext[1]
    if soabi.startswith("pypy"):
        soabi = "-".join(soabi.split("-")[:2])
    elif "-" in soabi:
        soabi = soabi.split("-")[0]
    return re.sub(r"[-. ]", "_", soabi)

def fallback_tags():
    major, minor = sys.version_info[:2]
    nodot = "%d%d" % (major, minor)
    plats = platforms()
    impl = sys.implementation.name
    out = []
    if impl == "cpython":
        interp = "cp" + nodot
        threaded = "t" if sysconfig.get_config_var("Py_GIL_DISABLED") else ""
        debug = "d" if hasattr(sys, "gettotalrefcount") else ""
        abis = ["cp" + nodot + threaded + debug]
        if debug:
            abis.append("cp" + nodot + threaded)
        for abi in abis:
            out += ["%s-%s-%s" % (interp, abi, p) for p in plats]
        if not threaded:
            out += ["%s-abi3-%s" % (interp, p) for p in plats]
        out += ["%s-none-%s" % (interp, p) for p in plats]
        if not threaded:
            for m in range(minor - 1, 1, -1):
                out += ["cp%d%d-abi3-%s" % (major, m, p) for p in plats]
    else:
        interp = {"pypy": "pp", "ironpython": "ip", "jython": "jy"}.get(impl, impl) + nodot
        abis = [a for a in (generic_abi(), "none") if a]
        for abi in abis:
            out += ["%s-%s-%s" % (interp, abi, p) for p in plats]
    pys = ["py" + nodot, "py%d" % major] + ["py%d%d" % (major, m) for m in range(minor - 1, -1, -1)]
    out += ["%s-none-%s" % (v, p) for v in pys for p in plats]
    out.append(interp + "-none-any")
    out += [v + "-none-any" for v in pys]
    return out

tags, source = None, "fallback"
if sys.argv[1:] != ["fallback"]:
    for name in ("packaging.tags", "pip._vendor.packaging.tags"):
        try:
            tags = [str(t) for t in importlib.import_module(name).sys_tags()]
            source = name
            break
        except Exception:
            pass
if tags is None:
    tags = fallback_tags()
seen = set()
tags = [t for t in tags if not (t in seen or seen.add(t))]

${MARKER_ENV_PY}print(json.dumps({
    "executable": sys.executable,
    "version": platform.python_version(),
    "pyVersion": "%d.%d" % sys.version_info[:2],
    "implementation": sys.implementation.name,
    "platform": sysconfig.get_platform(),
    "tags": tags,
    "tagSource": source,
    "markerEnv": env,
}))
`;

/**
 * Run `path` once with the probe script (isolated mode, `-I`) and return what
 * it reports. `fallbackTags` skips `packaging` and uses the built-in tag
 * computation. Throws `UserError` when the program cannot be run or does not
 * answer like a Python 3.
 *
 * @example
 * ```ts
 * const r = await probePython("/usr/bin/python3");
 * r.pyVersion; // "3.11"
 * ```
 */
export async function probePython(
  path: string,
  o: { fallbackTags?: boolean; label?: string } = {},
): Promise<ProbeResult> {
  const label = o.label ?? path;
  const args = ["-I", "-c", PROBE_SCRIPT];
  if (o.fallbackTags) args.push("fallback");
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(path, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    throw new UserError(
      `The Python executable '${label}' could not be run: ${
        e instanceof Error ? e.message : e
      }`,
    );
  }
  const stdout = new TextDecoder().decode(out.stdout);
  if (out.success) {
    try {
      const r = JSON.parse(stdout.trim().split("\n").at(-1) ?? "");
      if (r && Array.isArray(r.tags) && typeof r.pyVersion === "string") {
        return r as ProbeResult;
      }
    } catch {
      // fall through to the error below
    }
  }
  const stderr = new TextDecoder().decode(out.stderr).trim();
  const tail = stderr.split("\n").at(-1) || `exit code ${out.code}`;
  throw new UserError(
    `The Python executable '${label}' did not answer like Python 3: ${tail}`,
  );
}
