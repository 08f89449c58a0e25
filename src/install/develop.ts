/**
 * Develop eggs: a project's source folder used in place. The target Python
 * writes the project's `<Name>.egg-info` into its source tree (setuptools'
 * `egg_info`, from `setup.py` or `pyproject.toml`), and
 * `<develop-eggs>/<Name>.egg-link` records where: line 1 the `sys.path` entry
 * (the folder holding the egg-info, e.g. `src/`), line 2 the project folder
 * relative to it.
 *
 * @module
 */

import { basename, join, relative } from "../path.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { normalizeName } from "../pypa/name.ts";
import { parseMetadata } from "../pypa/metadata.ts";
import { existsSync } from "../fsutil.ts";
import { compareVersions } from "../pypa/version.ts";
import {
  type InstalledDist,
  readEggFolderDist,
  readInstalledDist,
  type TargetPython,
} from "./metadata.ts";

/**
 * Runs setuptools' egg_info in the project folder (argv[1]), network blocked;
 * further arguments are setup.py commands run before it (`build_ext --inplace ...`).
 */
const EGG_INFO_SCRIPT = String.raw`
import os, socket, sys
def _no_network(*args, **kwargs):
    raise OSError("network access is disabled while developing")
socket.socket.connect = _no_network
socket.getaddrinfo = _no_network
os.chdir(sys.argv[1])
sys.path.insert(0, os.getcwd())
sys.argv = ["setup.py", "-q"] + sys.argv[2:] + ["egg_info"]
if os.path.exists("setup.py"):
    exec(compile(open("setup.py", "rb").read(), "setup.py", "exec"),
         {"__name__": "__main__", "__file__": "setup.py"})
else:
    from setuptools import setup
    setup()
`;

/** The newest `*.egg-info` folder in `dir` or `dir/src`, with the folder holding it. */
function findEggInfo(
  dir: string,
): { location: string; eggInfo: string } | undefined {
  let best: { location: string; eggInfo: string; mtime: number } | undefined;
  for (const location of [dir, join(dir, "src")]) {
    if (!existsSync(location)) continue;
    for (const e of Deno.readDirSync(location)) {
      if (!e.isDirectory || !e.name.endsWith(".egg-info")) continue;
      const eggInfo = join(location, e.name);
      const mtime = Deno.statSync(eggInfo).mtime?.getTime() ?? 0;
      if (!best || mtime > best.mtime) best = { location, eggInfo, mtime };
    }
  }
  return best;
}

/** Extra steps of {@link developProject} (zc.recipe.egg:develop). */
export interface DevelopOptions {
  /** Build the extensions in place first: `setup.py build_ext --inplace <these>`. */
  buildExtArgs?: string[];
  /** Environment variables for the build. */
  env?: Record<string, string>;
}

/**
 * Make `project` (a folder, or its `setup.py`) a develop egg: run `egg_info`
 * with the target Python and write the egg-link. Returns the egg-link's path.
 * A failing `egg_info` is one error with the tail of its output. With
 * `o.buildExtArgs`, extensions are built in place first.
 *
 * @example
 * ```ts
 * await developProject("/b/src/myapp", "/b/develop-eggs", interp, log);
 * // "/b/develop-eggs/myapp.egg-link"
 * ```
 */
export async function developProject(
  project: string,
  developEggs: string,
  interp: Pick<TargetPython, "executable">,
  log: Logger,
  o: DevelopOptions = {},
): Promise<string> {
  const dir = basename(project) === "setup.py" ? join(project, "..") : project;
  if (
    !existsSync(join(dir, "setup.py")) &&
    !existsSync(join(dir, "pyproject.toml"))
  ) {
    throw new UserError(
      `Couldn't develop '${dir}': it has no setup.py or pyproject.toml.`,
    );
  }
  const r = await new Deno.Command(interp.executable, {
    args: [
      "-c",
      EGG_INFO_SCRIPT,
      dir,
      ...(o.buildExtArgs ? ["build_ext", "--inplace", ...o.buildExtArgs] : []),
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
    env: { ...o.env, PIP_NO_INDEX: "1" },
  }).output();
  const output = new TextDecoder().decode(r.stdout) +
    new TextDecoder().decode(r.stderr);
  if (r.code !== 0) {
    const { tail } = await import("./sdist.ts"); // not loaded by runs that only scan
    throw new UserError(
      [`Developing ${dir} failed:`, ...tail(output).map((l) => "  " + l)].join(
        "\n",
      ),
    );
  }
  if (output.trim()) log.debug(output.trim());
  const found = findEggInfo(dir);
  if (!found) {
    throw new UserError(`Developing ${dir} wrote no .egg-info folder.`);
  }
  const meta = parseMetadata(
    Deno.readTextFileSync(join(found.eggInfo, "PKG-INFO")),
  );
  const name = meta.name ?? basename(found.eggInfo, ".egg-info");
  Deno.mkdirSync(developEggs, { recursive: true });
  const link = join(developEggs, `${name}.egg-link`);
  const tmp = `${link}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  Deno.writeTextFileSync(
    tmp,
    `${found.location}\n${relative(found.location, dir) || "."}\n`,
  );
  Deno.renameSync(tmp, link);
  return link;
}

/**
 * The develop eggs recorded in a develop-eggs folder (`*.egg-link` whose
 * location still holds its egg-info), by normalised name. Egg folders built
 * there with custom options (zc.recipe.egg:custom) count too, the newest
 * version of a project when there are several; an egg-link wins over them.
 *
 * @example
 * ```ts
 * scanDevelopEggs("/b/develop-eggs", interp.markerEnv).get("myapp")?.location; // "/b/src/myapp/src"
 * ```
 */
export function scanDevelopEggs(
  dir: string,
  env: Record<string, string>,
): Map<string, InstalledDist> {
  const out = new Map<string, InstalledDist>();
  if (!existsSync(dir)) return out;
  const custom: InstalledDist[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory && e.name.endsWith(".egg") && !e.name.startsWith(".")) {
      const dist = readInstalledDist(join(dir, e.name), env);
      if (dist) custom.push(dist);
    }
    if (!e.name.endsWith(".egg-link")) continue;
    const location = Deno.readTextFileSync(join(dir, e.name)).split("\n")[0]
      .trim();
    const key = normalizeName(e.name.slice(0, -".egg-link".length));
    const dist = location && existsSync(location)
      ? readEggFolderDist(location, key, env)
      : undefined;
    if (dist) out.set(dist.key, dist);
  }
  custom.sort((a, b) => compareVersions(b.version, a.version));
  for (const d of custom) if (!out.has(d.key)) out.set(d.key, d);
  return out;
}
