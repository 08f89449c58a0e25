/**
 * Timing and peak memory of the benchmark's runs: wall time, and max RSS from
 * `/usr/bin/time` when it is there.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { RUN_FLAGS } from "../../src/permissions.ts";
import { denoDir } from "../deno_dir.ts";

/** The buildout checkout timed: this one, or `BENCH_MAIN`. */
export const MAIN = Deno.env.get("BENCH_MAIN") ??
  fileURLToPath(new URL("../../main.ts", import.meta.url));
const FLAGS = RUN_FLAGS;
/**
 * The real interpreter behind `python3` (on PATH it may be a wrapper such as a
 * pyenv shim, which costs ~0.2 s per start and cannot be remembered safely);
 * the buildouts name it in `executable`, as a production setup would.
 */
export const PYTHON = new TextDecoder().decode(
  (await new Deno.Command("python3", {
    args: ["-c", "import sys; print(sys.executable)"],
  }).output()).stdout,
).trim();
const HAVE_TIME = await Deno.stat("/usr/bin/time").then(
  () => true,
  () => false,
);

/** One timed run. */
export interface Measure {
  seconds: number;
  maxRssMiB?: number;
}

/**
 * Run `cmd` in `cwd`, failing on a non-zero exit, and measure it.
 *
 * @example
 * ```ts
 * const m = await timed("/bin/true", [], "/tmp");
 * m.seconds;
 * ```
 */
export async function timed(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Measure> {
  const rssFile = join(cwd, ".rss");
  const [exe, argv] = HAVE_TIME
    ? ["/usr/bin/time", ["-f", "%M", "-o", rssFile, cmd, ...args]]
    : [cmd, args];
  const t0 = performance.now();
  const r = await new Deno.Command(exe, {
    args: argv,
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - t0) / 1000;
  if (r.code !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed:\n${new TextDecoder().decode(r.stderr)}`,
    );
  }
  if (!HAVE_TIME) return { seconds };
  const kib = Number(
    (await Deno.readTextFile(rssFile)).trim().split("\n").pop(),
  );
  await Deno.remove(rssFile);
  return { seconds, maxRssMiB: kib / 1024 };
}

/**
 * The Deno cache every timed run shares: this process's. Each run's HOME is its
 * own folder, under which Deno would otherwise keep a fresh cache and compile
 * all of main.ts again on the first run there, which the compiled binary never
 * does (it carries its code compiled): about 13 MiB and 0.3 s of a cold
 * install were Deno's, not ours.
 */
const DENO_DIR = denoDir();
let warmed = false;

/** Compile main.ts into {@link DENO_DIR} once, before the first timed run. */
async function warm(): Promise<void> {
  if (warmed) return;
  warmed = true;
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--quiet", MAIN],
    env: { DENO_DIR },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(
      `deno cache ${MAIN} failed:\n${new TextDecoder().decode(r.stderr)}`,
    );
  }
}

/**
 * Time this checkout's buildout in `dir` (flags as the compiled binary's),
 * with main.ts already compiled in Deno's cache as the binary has it.
 *
 * @example
 * ```ts
 * const m = await buildout("/tmp/b");
 * ```
 */
export async function buildout(
  dir: string,
  extraArgs: string[] = [],
): Promise<Measure> {
  await warm();
  return await timed(
    Deno.execPath(),
    ["run", "--quiet", ...FLAGS, MAIN, ...extraArgs],
    dir,
    {
      BUILDOUT_HOME: join(dir, ".none"),
      DENO_DIR,
      HOME: dir,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    },
  );
}

/**
 * The run of median time (with the highest peak memory of all).
 *
 * @example
 * ```ts
 * median([{ seconds: 2 }, { seconds: 1 }, { seconds: 3 }]).seconds; // 2
 * ```
 */
export function median(runs: Measure[]): Measure {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const peaks = runs.map((r) => r.maxRssMiB ?? 0);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return {
    ...mid,
    ...(mid.maxRssMiB ? { maxRssMiB: Math.max(...peaks) } : {}),
  };
}

/** How many times a no-op rerun is timed: one takes ~0.2 s and varies ±15%. */
export const RERUNS = 5;

/**
 * Time a no-op rerun {@link RERUNS} times in `dir`: the median.
 *
 * @example
 * ```ts
 * const m = await rerun("/tmp/b");
 * ```
 */
export async function rerun(dir: string): Promise<Measure> {
  const runs: Measure[] = [];
  for (let i = 0; i < RERUNS; i++) runs.push(await buildout(dir));
  return median(runs);
}
