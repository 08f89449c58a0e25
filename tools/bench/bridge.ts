/**
 * The Python recipe bridge's overhead for `deno task bench`: one buildout
 * with `parts` bridged parts of a trivial fixture recipe (a wheel written
 * here), timed on the first install (recipe distribution installed, one
 * Python process constructing and installing every part) and on a no-op
 * rerun (no Python started), beside the same buildout with built-in `mkdir`
 * parts and one bare start of the target Python.
 *
 * @module
 */
import { join } from "node:path";
import { writeWheel } from "../wheel_writer.ts";

/** Seconds of each measured step. */
export interface BridgeBench {
  bridgedFirst: number;
  bridgedNoop: number;
  builtinFirst: number;
  builtinNoop: number;
  pythonStart: number;
}

const RECIPE_PY = `
import os
class Recipe(object):
    def __init__(self, buildout, name, options):
        options['location'] = os.path.join(
            buildout['buildout']['parts-directory'], name)
    def install(self):
        return ()
    update = install
`;

/**
 * Run the comparison in `root` with `parts` parts; `run(dir)` runs buildout
 * there and returns its seconds.
 *
 * @example
 * ```ts
 * const r = await benchBridge(root, 20, python, (dir) => buildout(dir));
 * ```
 */
export async function benchBridge(
  root: string,
  parts: number,
  python: string,
  run: (dir: string) => Promise<number>,
): Promise<BridgeBench> {
  const links = join(root, "bridge-links");
  await Deno.mkdir(links, { recursive: true });
  await Deno.mkdir(join(root, "bridge-index"), { recursive: true });
  await writeWheel(links, {
    name: "trivialrecipe",
    version: "1.0",
    files: { "trivialrecipe.py": RECIPE_PY },
    entryPoints: { "zc.buildout": { default: "trivialrecipe:Recipe" } },
  });
  const names = Array.from({ length: parts }, (_, i) => `p${i}`);
  const one = async (folder: string, section: (n: string) => string) => {
    const dir = join(root, folder);
    await Deno.mkdir(dir);
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      `[buildout]\nparts = ${names.join(" ")}\nfind-links = ${links}\n` +
        `index = ${root}/bridge-index\nexecutable = ${python}\n\n` +
        names.map(section).join("\n"),
    );
    return [await run(dir), await run(dir)];
  };
  const [bridgedFirst, bridgedNoop] = await one(
    "bridged",
    (n) => `[${n}]\nrecipe = trivialrecipe\nvalue = ${n}\n`,
  );
  const [builtinFirst, builtinNoop] = await one(
    "builtin",
    (n) => `[${n}]\nrecipe = mkdir\npaths = parts/${n}\n`,
  );
  const t0 = performance.now();
  await new Deno.Command(python, { args: ["-c", "pass"] }).output();
  const pythonStart = (performance.now() - t0) / 1000;
  return { bridgedFirst, bridgedNoop, builtinFirst, builtinNoop, pythonStart };
}
