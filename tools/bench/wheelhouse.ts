/**
 * A synthetic, deterministic wheelhouse for the benchmark: `count` pure-Python
 * wheels `pkg000`.. with a dependency graph (each package requires 0-3
 * lower-numbered ones) and an `app` wheel requiring every package nothing else
 * requires, so that installing `app` installs them all. `bin/app` imports the
 * whole graph and prints one line.
 *
 * @module
 */

import { type WheelSpec, writeWheel } from "../wheel_writer.ts";

/** What was generated. */
export interface Wheelhouse {
  /** Wheel file names, packages first, `app` last. */
  files: string[];
  /** The project names `app` requires directly. */
  appRequires: string[];
  /** Direct requirements of every package, by name. */
  graph: Record<string, string[]>;
}

/** mulberry32: a small deterministic PRNG, values in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `pkg007` for index 7 of 200 (at least three digits). */
function pkgName(i: number, count: number): string {
  return `pkg${String(i).padStart(Math.max(3, String(count - 1).length), "0")}`;
}

function packageWheel(
  name: string,
  i: number,
  deps: string[],
  rand: () => number,
): WheelSpec {
  const modules = 1 + Math.floor(rand() * 3);
  const files: Record<string, string> = {
    [`${name}/__init__.py`]: deps.map((d) => `import ${d}\n`).join("") +
      `\nNUMBER = ${i}\nDEPENDS = ${JSON.stringify(deps)}\n`,
  };
  for (let m = 0; m < modules; m++) {
    const body = Array.from(
      { length: 5 + Math.floor(rand() * 20) },
      (_, k) => `\n\ndef f${k}(x):\n    return x * ${k + 1} + ${i}\n`,
    ).join("");
    files[`${name}/mod${m}.py`] = `"""Module ${m} of ${name}."""\n${body}`;
  }
  return {
    name,
    version: "1.0",
    summary: `Synthetic package ${i}`,
    requires: deps,
    files,
  };
}

function appWheel(requires: string[]): WheelSpec {
  return {
    name: "app",
    version: "1.0",
    summary: "Synthetic application for the benchmark",
    requires,
    files: {
      "app/__init__.py": "",
      "app/cli.py": "import sys\n\n" +
        requires.map((r) => `import ${r}\n`).join("") +
        "\n\ndef main():\n" +
        "    loaded = [m for m in sys.modules if m[:3] == 'pkg' and m[3:].isdigit()]\n" +
        "    print('app: %d packages imported' % len(loaded))\n" +
        "    return 0\n",
    },
    entryPoints: { console_scripts: { app: "app.cli:main" } },
  };
}

/**
 * Writes the wheelhouse into `dir` (created if needed). The same `count` and
 * `seed` always give byte-identical files.
 *
 * @example
 * ```ts
 * const house = await generateWheelhouse("/tmp/wheelhouse", { count: 200, seed: 1 });
 * console.log(house.files.length); // 201
 * ```
 */
export async function generateWheelhouse(
  dir: string,
  o: { count?: number; seed?: number } = {},
): Promise<Wheelhouse> {
  const count = o.count ?? 200;
  const rand = prng(o.seed ?? 1);
  await Deno.mkdir(dir, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => pkgName(i, count));
  const graph: Record<string, string[]> = {};
  const required = new Set<string>();
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const want = Math.min(i, Math.floor(rand() * 4));
    const deps = new Set<string>();
    while (deps.size < want) deps.add(names[Math.floor(rand() * i)]);
    const sorted = [...deps].sort();
    sorted.forEach((d) => required.add(d));
    graph[names[i]] = sorted;
    const path = await writeWheel(dir, packageWheel(names[i], i, sorted, rand));
    files.push(path.slice(dir.length + 1));
  }
  const appRequires = names.filter((n) => !required.has(n));
  const app = await writeWheel(dir, appWheel(appRequires));
  files.push(app.slice(dir.length + 1));
  return { files, appRequires, graph };
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "wheelhouse";
  const count = Number(Deno.args[1] ?? 200);
  const house = await generateWheelhouse(dir, { count });
  console.log(
    `${house.files.length} wheels in ${dir}; app requires ${house.appRequires.length}`,
  );
}
