/**
 * Distutils scripts: the files a distribution ships as `scripts=[...]`
 * (`EGG-INFO/scripts/` of an egg, `<name>.data/scripts/` of an installed
 * wheel), rewritten for `bin/` the way zc.buildout does: the Python shebang
 * becomes the target Python, and the `sys.path` block goes before the first
 * import that is not a `from __future__` import (so an encoding line, the
 * docstring and `__future__` imports stay first); the body is kept. Scripts
 * whose first line is not a Python shebang (shell scripts...) are copied
 * unchanged.
 *
 * @module
 */

import { join } from "../path.ts";
import { type PathSetup, pathSetupParts } from "./generate.ts";

// distutils' own test for a Python script's first line.
const PYTHON_SHEBANG = /^#!.*python[0-9.]*([ \t].*)?$/;

/** A script file a distribution ships. */
export interface DistutilsScript {
  /** Its file name, the default name in `bin/`. */
  name: string;
  /** Where it is in the installed distribution. */
  path: string;
}

/**
 * The `bin/` text of a distutils script with source `source`: rewritten for
 * the target Python and the part's `sys.path` when its first line is a Python
 * shebang, `source` unchanged otherwise.
 *
 * @example
 * ```ts
 * distutilsScript('#!/usr/bin/python\n"""Doc."""\nimport os\n', {
 *   python: "/usr/bin/python3", scriptDir: "/b/bin", paths: ["/b/eggs/x.egg"],
 * });
 * // #!/usr/bin/python3
 * // """Doc."""
 * //
 * //
 * // import sys
 * // sys.path[0:0] = [
 * //   '/b/eggs/x.egg',
 * //   ]
 * //
 * //
 * // import os
 * ```
 */
export function distutilsScript(source: string, o: PathSetup): string {
  const lines = source.split(/(?<=\n)/);
  if (!PYTHON_SHEBANG.test(lines[0].replace(/\r?\n$/, ""))) return source;
  const body = lines.slice(1);
  let at = body.findIndex((l) =>
    (l.startsWith("import") || l.startsWith("from")) && l.includes("import") &&
    !l.includes("__future__")
  );
  if (at < 0) at = body.length;
  const before = body.slice(0, at).join("");
  const after = body.slice(at).join("");
  const parts = pathSetupParts(o);
  const prelude = parts.prelude.length ? "\n" + parts.prelude.join("\n") : "";
  const init = (o.initialization ?? "").trim() === ""
    ? ""
    : `\n${o.initialization}\n`;
  return `${parts.shebang.join("\n")}\n${before}\n${prelude}\nimport sys\n` +
    `${parts.pathBlock.join("\n")}\n${init}\n\n${after}`;
}

/**
 * The distutils scripts an installed distribution at `location` ships, by
 * name: files in `EGG-INFO/scripts/` and in `*.data/scripts/` (wheels).
 * Folders (`__pycache__`), `.exe` launchers and `.pyc` files are skipped.
 *
 * @example
 * ```ts
 * findDistutilsScripts("/b/eggs/other-1.0-py3.11.egg");
 * // [{ name: "distutilsscript", path: "/b/eggs/other-1.0-py3.11.egg/EGG-INFO/scripts/distutilsscript" }]
 * ```
 */
export function findDistutilsScripts(location: string): DistutilsScript[] {
  const dirs = [join(location, "EGG-INFO", "scripts")];
  for (const e of readDir(location)) {
    if (e.isDirectory && e.name.endsWith(".data")) {
      dirs.push(join(location, e.name, "scripts"));
    }
  }
  const found: DistutilsScript[] = [];
  for (const dir of dirs) {
    for (const e of readDir(dir)) {
      if (e.isDirectory || /\.(exe|pyc)$/i.test(e.name)) continue;
      found.push({ name: e.name, path: join(dir, e.name) });
    }
  }
  return found.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

function readDir(dir: string): Deno.DirEntry[] {
  try {
    return [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    if (e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
}
