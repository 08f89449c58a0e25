/**
 * The benchmark's real set: real distribution files (e.g. sphinx, flask,
 * django, pytest, black and what they require) served as a local PEP 503
 * index, installed by this buildout cold (peak memory), from the cache, and
 * as no-op reruns with `newest = true` and `false`; beside it, the same cold
 * install by pip (`--target`, no cache, no byte-code) and, when
 * `BENCH_ZC_BUILDOUT` names a zc.buildout `bin/buildout`, by zc.buildout.
 *
 * The files come from `BENCH_REAL_FILES` (a folder of distribution files, or
 * a PEP 503 tree with `simple/` and `files/`), by default `/opt/pypi` when it
 * exists; `BENCH_REAL_REQS` names the projects (default: the list below).
 * `python3 tools/bench/real_set.py DIR` makes such a folder from this
 * machine's site-packages (its app is `realapp`).
 *
 * @module
 */
import { join } from "node:path";
import { serveIndex } from "./index_server.ts";
import {
  buildout,
  type Measure,
  PYTHON,
  rerun,
  RERUNS,
  timed,
} from "./measure.ts";

const DEFAULT_REQS =
  "sphinx flask django pytest black requests httpx pydantic fastapi " +
  "sqlalchemy alembic boto3 rich typer ipython mypy pylint coverage";

/** The real set's figures. */
export interface RealRun {
  files: string;
  distributions: number;
  cold: Measure;
  fromCache: Measure;
  newest: Measure;
  answers: string;
  notNewest: Measure;
  pip?: Measure;
  zc?: Measure;
}

/** A bench setting that names nothing usable: reported in one line. */
export class BenchSetupError extends Error {}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * Run the real set in a fresh folder under `root`, or return undefined (with
 * a line saying why) when no real files are at hand.
 *
 * @example
 * ```ts
 * const r = await benchReal("/dev/shm/bench");
 * if (r) printReal(r);
 * ```
 */
export async function benchReal(root: string): Promise<RealRun | undefined> {
  const files = Deno.env.get("BENCH_REAL_FILES") ??
    ((await exists("/opt/pypi/simple")) ? "/opt/pypi" : undefined);
  if (!files) {
    console.log(
      "\nreal set: skipped (set BENCH_REAL_FILES to a folder of distributions, " +
        "e.g. one made by `python3 tools/bench/real_set.py DIR`, with BENCH_REAL_REQS=realapp)",
    );
    return undefined;
  }
  if (!(await exists(files))) {
    throw new BenchSetupError(
      `BENCH_REAL_FILES=${files}: no such folder (a folder of distribution files, or one with simple/ and files/)`,
    );
  }
  const zc = Deno.env.get("BENCH_ZC_BUILDOUT");
  if (zc && !(await exists(zc))) {
    throw new BenchSetupError(
      `BENCH_ZC_BUILDOUT=${zc}: no such file (zc.buildout's bin/buildout)`,
    );
  }
  const reqs = (Deno.env.get("BENCH_REAL_REQS") ?? DEFAULT_REQS).split(/\s+/)
    .filter(Boolean);
  const index = await serveIndex(files);
  try {
    const dir = join(root, "real");
    await Deno.mkdir(dir, { recursive: true });
    const cfg = (extra: string) =>
      `[buildout]\nparts = app\ndownload-cache = ${root}/real-cache\n` +
      `index = ${index.url}\nexecutable = ${PYTHON}\n${extra}\n` +
      `[app]\nrecipe = zc.recipe.egg\neggs =\n${
        reqs.map((r) => `  ${r}\n`).join("")
      }`;
    const write = (extra: string) =>
      Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(extra));
    await write("newest = true");
    const cold = await buildout(dir);
    let distributions = 0;
    for await (const _ of Deno.readDir(join(dir, "eggs"))) distributions++;
    index.reset();
    const newest = await buildout(dir);
    const answers = Object.entries(index.counts()).map(([s, n]) => `${s} x${n}`)
      .join(", ");
    await write("newest = false");
    const notNewest = await rerun(dir);
    // Last: removing eggs/ also drops the page cache kept there.
    await Deno.remove(join(dir, "eggs"), { recursive: true });
    await write("install-from-cache = true");
    const fromCache = await buildout(dir);
    const pip = await benchPip(root, index.url, reqs);
    const zc = await benchZc(root, index.url, reqs);
    return {
      files,
      distributions,
      cold,
      fromCache,
      newest,
      answers,
      notNewest,
      pip,
      zc,
    };
  } finally {
    await index.close();
  }
}

/** pip's cold install of the same projects from the same index, when pip is there. */
async function benchPip(
  root: string,
  url: string,
  reqs: string[],
): Promise<Measure | undefined> {
  const probe = await new Deno.Command(PYTHON, {
    args: ["-m", "pip", "--version"],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!probe.success) return undefined;
  return await timed(
    PYTHON,
    [
      "-m",
      "pip",
      "install",
      "-q",
      "--no-cache-dir",
      "--no-compile",
      "--no-build-isolation",
      "--disable-pip-version-check",
      "--index-url",
      url,
      "--target",
      join(root, "pip-target"),
      ...reqs,
    ],
    root,
    { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: root },
  );
}

/** zc.buildout's cold install (BENCH_ZC_BUILDOUT = its bin/buildout). */
async function benchZc(
  root: string,
  url: string,
  reqs: string[],
): Promise<Measure | undefined> {
  const zc = Deno.env.get("BENCH_ZC_BUILDOUT");
  if (!zc) return undefined;
  const dir = join(root, "real-zc");
  await Deno.mkdir(dir);
  await Deno.writeTextFile(
    join(dir, "buildout.cfg"),
    `[buildout]\nparts = app\ndownload-cache = ${root}/real-zc-cache\n` +
      `index = ${url}\n\n[app]\nrecipe = zc.recipe.egg\neggs =\n${
        reqs.map((r) => `  ${r}\n`).join("")
      }`,
  );
  return await timed(zc, [], dir, {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: dir,
  });
}

/**
 * Print the real set's table.
 *
 * @example
 * ```ts
 * printReal(await benchReal(root) ?? Deno.exit(0));
 * ```
 */
export function printReal(r: RealRun): void {
  const f = (m?: Measure) =>
    m
      ? `${m.seconds.toFixed(2)} s` +
        (m.maxRssMiB ? ` ${m.maxRssMiB.toFixed(0)} MiB` : "")
      : "-";
  console.log(
    `\nreal set from ${r.files}: ${r.distributions} distributions\n` +
      `cold install (index)     | ${f(r.cold)}\n` +
      `install-from-cache       | ${f(r.fromCache)}\n` +
      `no-op rerun, newest=true | ${f(r.newest)} (${r.answers})\n` +
      `no-op rerun, newest=false| ${f(r.notNewest)} (median of ${RERUNS})\n` +
      `pip install --target     | ${f(r.pip)}${
        r.pip ? ` (${(r.pip.seconds / r.cold.seconds).toFixed(1)}x ours)` : ""
      }\n` +
      `zc.buildout              | ${f(r.zc)}${
        r.zc ? ` (${(r.zc.seconds / r.cold.seconds).toFixed(1)}x ours)` : ""
      }\n` +
      "Targets (issue 12): cold install at or under 100 MiB and a third of " +
      "zc.buildout's time; newest=true rerun under 0.5 s, newest=false under 0.2 s.",
  );
}
