/**
 * Building an sdist with the target Python, without network and without pip:
 * the PEP 517 backend the sdist declares (setuptools' legacy backend when
 * none) builds a wheel; when the backend cannot build wheels (setuptools
 * without the `wheel` package, or no `build_wheel`), setuptools'
 * `setup.py bdist_egg` builds an egg instead. The result is installed like any
 * wheel or egg.
 *
 * The helper script blocks IP sockets inside the build (so `setup_requires`
 * and the like cannot download anything), proxies are removed from the
 * environment, and `PIP_NO_INDEX=1` is set for anything that still calls pip.
 *
 * @module
 */

import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { extractArchive } from "../extract/archive.ts";
import type { ExtractLimits } from "../extract/limits.ts";
import type { Logger } from "../log.ts";
import { buildFromEgg } from "./egg.ts";
import { exists } from "../fsutil.ts";
import type { TargetPython } from "./metadata.ts";
import { buildFromWheel, type Built } from "./wheel.ts";

/**
 * The Python side: `python build.py <project dir> <out dir> [egg]`. When
 * `BUILDOUT_BUILD_EXT` holds a JSON object, its entries are written into the
 * `[build_ext]` section of the project's `setup.cfg` first (the project is a
 * private copy), so every build command compiles extensions with them.
 */
export const BUILD_SCRIPT = String.raw`
import importlib, importlib.util, os, socket, sys, traceback

os.dup2(1, 2)
sys.stderr = sys.stdout

def _no_network(*args, **kwargs):
    raise OSError("network access is disabled while buildout builds a distribution")

_connect = socket.socket.connect
def _guarded_connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _no_network()
    return _connect(self, address)
socket.socket.connect = _guarded_connect
socket.socket.connect_ex = _guarded_connect
socket.getaddrinfo = _no_network
socket.gethostbyname = _no_network

src, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.chdir(src)
sys.path.insert(0, src)

def set_build_ext():
    import configparser, json
    options = json.loads(os.environ.pop("BUILDOUT_BUILD_EXT", "") or "{}")
    if not options:
        return
    cfg = configparser.RawConfigParser()
    cfg.optionxform = str
    cfg.read("setup.cfg")
    if not cfg.has_section("build_ext"):
        cfg.add_section("build_ext")
    for key, value in sorted(options.items()):
        cfg.set("build_ext", key, value)
    with open("setup.cfg", "w") as f:
        cfg.write(f)

set_build_ext()

def build_egg():
    argv = ["-q", "bdist_egg", "--dist-dir", out]
    if os.path.exists("setup.py"):
        sys.argv = ["setup.py"] + argv
        code = compile(open("setup.py", "rb").read(), "setup.py", "exec")
        exec(code, {"__name__": "__main__", "__file__": os.path.join(src, "setup.py")})
    else:
        import setuptools
        sys.argv = ["setup.py"] + argv
        setuptools.setup()

def read_build_system():
    try:
        import tomllib
    except ImportError:
        try:
            import tomli as tomllib
        except ImportError:
            tomllib = None
    if tomllib:
        with open("pyproject.toml", "rb") as f:
            return tomllib.load(f).get("build-system", {})
    import ast, re  # Python < 3.11 without tomli: the two keys we need
    with open("pyproject.toml") as f:
        text = f.read()
    m = re.search(r"^\[build-system\][ \t]*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    system = {}
    for key in ("build-backend", "backend-path"):
        k = m and re.search(r"^%s\s*=\s*(.+?)\s*$" % key, m.group(1), re.M)
        if k:
            system[key] = ast.literal_eval(k.group(1))
    return system

def main():
    global backend_name
    if len(sys.argv) > 3 and sys.argv[3] == "egg":
        build_egg()
        return
    if os.path.exists("pyproject.toml"):
        system = read_build_system()
        backend_name = system.get("build-backend", backend_name)
        for p in reversed(system.get("backend-path", [])):
            sys.path.insert(0, os.path.abspath(p))
    module, _, attrs = backend_name.partition(":")
    backend = importlib.import_module(module)
    for a in filter(None, attrs.split(".")):
        backend = getattr(backend, a)
    if not hasattr(backend, "build_wheel"):
        if can_fall_back():
            egg_in_child()
        sys.exit("buildout: build backend %s cannot build wheels" % backend_name)
    if can_fall_back() and importlib.util.find_spec("wheel") is None:
        try:
            import setuptools.command.bdist_wheel  # setuptools >= 70.1 builds wheels itself
        except ImportError:
            egg_in_child()
    try:
        backend.build_wheel(out)
    except SystemExit as e:
        if e.code in (0, None):
            raise
        if can_fall_back() and "bdist_wheel" in str(e.code):
            egg_in_child()
        raise

backend_name = "setuptools.build_meta:__legacy__"

def can_fall_back():
    return backend_name.startswith("setuptools")

def egg_in_child():
    print("buildout: building an egg with setup.py bdist_egg instead", flush=True)
    sys.stderr.flush()
    # The same process, so that stopping the build (a kill) stops the egg build too.
    os.execv(sys.executable, [sys.executable, os.path.abspath(__file__), src, out, "egg"])

try:
    main()
except SystemExit:
    raise
except BaseException as e:
    here = os.path.abspath(__file__)
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename != here]
    if frames:
        print("Traceback (most recent call last):")
        print("".join(traceback.format_list(frames)), end="")
    print("".join(traceback.format_exception_only(type(e), e)), end="")
    sys.exit(1)
`;

const PROXY_VARS = [
  "http_proxy",
  "https_proxy",
  "ftp_proxy",
  "all_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "FTP_PROXY",
  "ALL_PROXY",
];

/**
 * The environment of a build: ours, without proxies, pip kept off the index.
 *
 * @example
 * ```ts
 * buildEnv({ PATH: "/usr/bin", HTTPS_PROXY: "http://proxy" }); // { PATH: "/usr/bin", PIP_NO_INDEX: "1", ... }
 * ```
 */
export function buildEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...env };
  for (const v of PROXY_VARS) delete out[v];
  out.PIP_NO_INDEX = "1";
  out.PIP_NO_BUILD_ISOLATION = "0";
  out.PIP_DISABLE_PIP_VERSION_CHECK = "1";
  out.PYTHONDONTWRITEBYTECODE = "1";
  delete out.PYTHONPATH;
  return out;
}

/**
 * The last `n` non-empty lines of a build log.
 *
 * @example
 * ```ts
 * tail("a\n\nb\nc\n", 2); // ["b", "c"]
 * ```
 */
export function tail(output: string, n = 15): string[] {
  return output.split(/\r?\n/).filter((l) => l.trim()).slice(-n);
}

/** Extra settings of one sdist build (zc.recipe.egg:custom). */
export interface SdistBuildOptions {
  /** `[build_ext]` options written into the project's `setup.cfg` (`include-dirs`, `define`, ...). */
  buildExt?: Record<string, string>;
  /** Environment variables set for the build only. */
  env?: Record<string, string>;
  /** Stops the build (its Python process is killed). */
  signal?: AbortSignal;
}

/**
 * Build the sdist `file` inside `work` into a wheel or egg file and return its
 * path, without installing it. `note` receives `Building <sdist> with
 * <python>.` and each line of the build's output (debug messages), also when
 * the build fails. A failed build throws one `UserError`: `Building <file>
 * failed:` and the tail of the build output.
 *
 * @example
 * ```ts
 * await buildSdistFile("/cache/dist/demoneeded-1.1.zip", work, interp, (l) => log.debug(l));
 * // "<work>/out/demoneeded-1.1-py3.11.egg"
 * ```
 */
export async function buildSdistFile(
  file: string,
  work: string,
  interp: Pick<TargetPython, "executable">,
  note: (line: string) => void,
  limits?: ExtractLimits,
  build: SdistBuildOptions = {},
): Promise<string> {
  const label = basename(file);
  note(`Building ${label} with ${interp.executable}.`);
  const srcDir = join(work, "src");
  await extractArchive(file, srcDir, { limits });
  const project = await projectRoot(srcDir, label);
  const out = join(work, "out");
  await Deno.mkdir(out);
  const script = join(work, "buildout-build.py");
  await Deno.writeTextFile(script, BUILD_SCRIPT);
  let result: Deno.CommandOutput;
  build.signal?.throwIfAborted();
  try {
    result = await new Deno.Command(interp.executable, {
      signal: build.signal,
      args: [script, project, out],
      cwd: project,
      env: {
        ...buildEnv({ ...Deno.env.toObject(), ...build.env }),
        ...(build.buildExt && Object.keys(build.buildExt).length
          ? { BUILDOUT_BUILD_EXT: JSON.stringify(build.buildExt) }
          : {}),
      },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Building ${label} failed: the Python interpreter '${interp.executable}' was not found.`,
      );
    }
    throw e;
  }
  const output = new TextDecoder().decode(result.stdout) +
    new TextDecoder().decode(result.stderr);
  for (const line of output.split("\n")) if (line.trim()) note(line);
  const built = result.success ? await builtFile(out) : undefined;
  if (!built) {
    const lines = tail(output);
    if (result.success) lines.push("(the build produced no wheel and no egg)");
    throw new UserError(
      `Building ${label} failed:\n` + lines.map((l) => "  " + l).join("\n"),
    );
  }
  return built;
}

/**
 * Install the built wheel or egg `file` into `work` (its installed-form folder).
 *
 * @example
 * ```ts
 * (await installBuiltFile("/cache/built/0f3a.../demo-1.0-py3.11.egg", work, interp)).folderName;
 * ```
 */
export function installBuiltFile(
  file: string,
  work: string,
  interp: TargetPython,
  limits?: ExtractLimits,
): Promise<Built> {
  if (!file.endsWith(".whl")) {
    return buildFromEgg(file, join(work, "e"), limits);
  }
  Deno.mkdirSync(join(work, "w"));
  return buildFromWheel(file, join(work, "w"), interp, limits);
}

/**
 * Build the sdist `file` inside `work` and return the installed-form folder.
 * A failed build throws one `UserError`: `Building <file> failed:` and the tail
 * of the build output.
 *
 * @example
 * ```ts
 * const built = await buildFromSdist("/cache/dist/demoneeded-1.1.zip", work, interp, log);
 * built.folderName; // "demoneeded-1.1-py3.11.egg"
 * ```
 */
export async function buildFromSdist(
  file: string,
  work: string,
  interp: TargetPython,
  log: Logger,
  limits?: ExtractLimits,
  build: SdistBuildOptions = {},
): Promise<Built> {
  const built = await buildSdistFile(
    file,
    work,
    interp,
    (line) => log.debug(line),
    limits,
    build,
  );
  return await installBuiltFile(built, work, interp, limits);
}

/** The project folder: the sdist's single top folder, or its root. */
async function projectRoot(srcDir: string, label: string): Promise<string> {
  const marks = ["setup.py", "pyproject.toml", "setup.cfg"];
  const has = async (dir: string) => {
    for (const m of marks) if (await exists(join(dir, m))) return true;
    return false;
  };
  const names: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(srcDir)) names.push(e);
  if (names.length === 1 && names[0].isDirectory) {
    const top = join(srcDir, names[0].name);
    if (await has(top)) return top;
  }
  if (await has(srcDir)) return srcDir;
  throw new UserError(
    `Building ${label} failed: it has no setup.py or pyproject.toml in its top folder.`,
  );
}

async function builtFile(out: string): Promise<string | undefined> {
  const found: string[] = [];
  for await (const e of Deno.readDir(out)) {
    if (e.name.endsWith(".whl") || e.name.endsWith(".egg")) found.push(e.name);
  }
  found.sort((a, b) =>
    (a.endsWith(".whl") ? -1 : 1) - (b.endsWith(".whl") ? -1 : 1)
  );
  return found.length ? join(out, found[0]) : undefined;
}
