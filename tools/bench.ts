/**
 * `deno task bench`: installs a synthetic wheelhouse (200 pure-Python wheels
 * with a dependency graph and a console-script app) and prints, side by side:
 * a cold install from a find-links folder, install-from-cache after removing
 * eggs/, a no-op rerun, and the floor, extracting the same wheels with
 * `unzip`. Sizes 50/100/200 show how the cost grows. Peak memory (max RSS) of
 * each buildout run comes from `/usr/bin/time` when it is there. Then the
 * Python recipe bridge's overhead: 20 bridged parts of a trivial recipe
 * against 20 built-in `mkdir` parts, and one start of the target Python.
 *
 * A second table installs the same wheelhouse from a local PEP 503 index
 * (served by the bench on 127.0.0.1, with ETag / 304 support) and times
 * no-op reruns with `newest = true` (every page revalidated) and `newest =
 * false`. `BENCH_MAIN=/other/main.ts` times another checkout's buildout.
 *
 * Last, the real set (tools/bench/real.ts): real distribution files from a
 * local index, beside pip and, when at hand, zc.buildout.
 *
 * Usage: deno task bench [counts...] [real]   (default: 50 100 200 real;
 * `real` alone runs only the real set)
 *
 * @module
 */
import { join } from "node:path";
import { generateWheelhouse } from "./bench/wheelhouse.ts";
import { benchBridge } from "./bench/bridge.ts";
import { serveIndex } from "./bench/index_server.ts";
import {
  buildout,
  type Measure,
  median,
  PYTHON,
  rerun,
  RERUNS,
  timed,
} from "./bench/measure.ts";
import { benchReal, BenchSetupError, printReal } from "./bench/real.ts";
import { benchLarge } from "./bench/large.ts";

interface IndexRun {
  cold: Measure;
  newest: Measure;
  /** Page answers of the `newest = true` rerun, e.g. "304 x85". */
  answers: string;
  /** The same with every page answer held {@link LATENCY_MS} (a remote index). */
  remote: Measure;
  notNewest: Measure;
}

/** The round trip of a remote index, simulated for one rerun. */
const LATENCY_MS = 25;

/** Install `app` from a local index, then time no-op reruns. */
async function benchIndex(root: string, house: string): Promise<IndexRun> {
  const index = await serveIndex(house);
  try {
    const dir = join(root, "from-index");
    await Deno.mkdir(dir);
    const cfg = (newest: boolean) =>
      `[buildout]\nparts = app\ndownload-cache = ${root}/index-cache\n` +
      `index = ${index.url}\nexecutable = ${PYTHON}\nnewest = ${newest}\n\n` +
      `[app]\nrecipe = zc.recipe.egg\neggs = app\n`;
    await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(true));
    const cold = await buildout(dir);
    index.reset();
    const newest = await buildout(dir);
    const answers = Object.entries(index.counts()).map(([s, n]) => `${s} x${n}`)
      .join(", ");
    index.latencyMs = LATENCY_MS;
    const remote = await buildout(dir);
    index.latencyMs = 0;
    await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(false));
    index.reset();
    const notNewest = await rerun(dir);
    const asked = Object.values(index.counts()).reduce((a, b) => a + b, 0);
    if (asked) throw new Error(`newest = false asked the index ${asked} times`);
    return { cold, newest, answers, remote, notNewest };
  } finally {
    await index.close();
  }
}

async function benchOne(
  count: number,
): Promise<{ folder: Record<string, Measure>; index: IndexRun }> {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "buildout-bench-" }),
  );
  try {
    const house = join(root, "wheelhouse");
    const { files } = await generateWheelhouse(house, { count, seed: 1 });
    const dir = join(root, "buildout");
    await Deno.mkdir(dir);
    await Deno.mkdir(join(root, "empty-index"));
    const cfg = (fromCache: boolean) =>
      `[buildout]\nparts = app\ndownload-cache = ${root}/cache\nfind-links = ${house}\n` +
      `index = ${root}/empty-index\nexecutable = ${PYTHON}\n` +
      `${fromCache ? "install-from-cache = true\n" : ""}\n` +
      `[app]\nrecipe = zc.recipe.egg\neggs = app\n`;
    await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(false));
    const cold = await buildout(dir);
    await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(true));
    const floorDir = join(root, "unzip");
    await Deno.mkdir(floorDir);
    const script = files.map((f, i) =>
      `unzip -q -o ${join(house, f)} -d ${floorDir}/${i}`
    ).join("\n");
    const unzip = await timed("/bin/sh", ["-c", script], floorDir);
    // The floor the issue sets: the same unzips on every core at once. It and
    // install-from-cache are timed ROUNDS times, alternated: medians.
    const parallelDir = join(root, "unzip-parallel");
    const pairs = files.map((f, i) => `${join(house, f)} ${parallelDir}/${i}`)
      .join("\n");
    const caches: Measure[] = [];
    const floors: Measure[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await Deno.remove(join(dir, "eggs"), { recursive: true });
      caches.push(await buildout(dir));
      await Deno.remove(parallelDir, { recursive: true }).catch(() => {});
      await Deno.mkdir(parallelDir);
      floors.push(
        await timed("/bin/sh", [
          "-c",
          `printf '%s\\n' '${pairs.replaceAll("\n", "' '")}' | ` +
          `xargs -P ${navigator.hardwareConcurrency} -n 2 ` +
          `sh -c 'unzip -q -o "$0" -d "$1"'`,
        ], parallelDir),
      );
    }
    const fromCache = median(caches);
    const parallelUnzip = median(floors);
    const noop = await rerun(dir);
    const app = await new Deno.Command(join(dir, "bin", "app")).output();
    if (app.code !== 0) throw new Error("bin/app failed");
    const index = await benchIndex(root, house);
    return { folder: { cold, fromCache, noop, unzip, parallelUnzip }, index };
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

/** Alternated runs of install-from-cache and its floor. */
const ROUNDS = 3;

const numbers = Deno.args.filter((a) => /^\d+$/.test(a)).map(Number);
/** `real` alone: only the real set; numbers alone: only those sizes. */
const onlyReal = Deno.args.length > 0 && numbers.length === 0;
const counts = Deno.args.length ? numbers : [50, 100, 200];
const fmt = (m: Measure) =>
  `${m.seconds.toFixed(2).padStart(6)} s` +
  (m.maxRssMiB ? ` ${m.maxRssMiB.toFixed(0).padStart(4)} MiB` : "");
console.log(
  `python: ${PYTHON}; folders under ${Deno.env.get("TMPDIR") ?? "/tmp"}`,
);
if (!onlyReal) await benchSynthetic();
if (!numbers.length || Deno.args.includes("real")) {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "buildout-bench-real-" }),
  );
  try {
    const r = await benchReal(root).catch((e) => {
      if (!(e instanceof BenchSetupError)) throw e;
      console.error(`bench: ${e.message}`);
      Deno.removeSync(root, { recursive: true });
      Deno.exit(1);
    });
    if (r) printReal(r);
    const big = await benchLarge(root, 512);
    console.log(
      `\none ${big.mib} MiB wheel (half deflated text, half stored noise), from a local index:\n` +
        `cold install       | ${fmt(big.cold)}\ninstall-from-cache | ${
          fmt(big.fromCache)
        }\nTarget (issue 12): peak memory independent of the size of the files.`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function benchSynthetic(): Promise<void> {
  console.log(
    "wheels | cold install (find-links) | install-from-cache | no-op rerun | unzip floor | parallel floor | cache/parallel floor",
  );
  const indexRows: string[] = [];
  for (const n of counts) {
    const { folder: r, index: x } = await benchOne(n);
    indexRows.push(
      `${String(n + 1).padStart(6)} | ${fmt(x.cold).padEnd(19)} | ${
        fmt(x.newest).padEnd(24)
      } | ${x.answers.padEnd(13)} | ${fmt(x.remote).padEnd(25)} | ${
        fmt(x.notNewest)
      }`,
    );
    console.log(
      `${String(n + 1).padStart(6)} | ${fmt(r.cold).padEnd(24)} | ${
        fmt(r.fromCache).padEnd(18)
      } | ` +
        `${fmt(r.noop).padEnd(11)} | ${fmt(r.unzip).slice(0, 9)}  | ${
          fmt(r.parallelUnzip).slice(0, 9).padEnd(14)
        } | ${(r.fromCache.seconds / r.parallelUnzip.seconds).toFixed(2)}x`,
    );
  }
  console.log(
    "Targets: install-from-cache within 1.5x the parallel unzip floor; no-op rerun under 0.3 s; linear in the count.",
  );

  {
    const root = await Deno.realPath(
      await Deno.makeTempDir({ prefix: "buildout-bench-bridge-" }),
    );
    try {
      const parts = 20;
      const b = await benchBridge(
        root,
        parts,
        PYTHON,
        async (dir) => (await buildout(dir)).seconds,
      );
      const s = (x: number) => `${x.toFixed(2)} s`;
      console.log(
        `\n${parts} parts | first install | no-op rerun\n` +
          `bridged  | ${s(b.bridgedFirst).padEnd(13)} | ${s(b.bridgedNoop)}\n` +
          `built-in | ${s(b.builtinFirst).padEnd(13)} | ${s(b.builtinNoop)}\n` +
          `one start of ${PYTHON}: ${s(b.pythonStart)}`,
      );
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  }
  console.log(
    `\nwheels | cold install (index) | no-op rerun, newest=true | page answers  | same, pages +${LATENCY_MS} ms each | no-op rerun, newest=false`,
  );
  for (const row of indexRows) console.log(row);
  console.log(
    "Targets (issue 12): newest=true rerun under 0.5 s for 84 distributions; newest=false under 0.2 s.\n" +
      `No-op reruns (newest=false here, and in the find-links table): the median of ${RERUNS} runs.`,
  );
}
