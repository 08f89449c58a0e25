/**
 * The `develop` option of `[buildout]`: source folders (or their `setup.py`)
 * used in place as develop eggs, made again on every run. The egg-links of
 * the previous run (`installed_develop_eggs`) are removed first.
 *
 * @module
 */

import { join, relative, resolve, sep } from "../path.ts";
import { doing } from "../errors.ts";
import { existsSync } from "../fsutil.ts";
import { session } from "../resolve/session.ts";
import type { OpenBuildout } from "./open.ts";
import type { InstalledState } from "./installed.ts";

const MAGIC = /[*?[]/;

function segmentPattern(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else if (ch === "[" && glob.indexOf("]", i + 1) > i) {
      const end = glob.indexOf("]", i + 1);
      const body = glob.slice(i + 1, end).replace(/^!/, "^").replace(
        /\\/g,
        "\\\\",
      );
      re += `[${body}]`;
      i = end;
    } else re += ch.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expand a glob (`*`, `?`, `[...]` in any path segment) against the file
 * system; sorted, existing paths only. A path without wildcards is returned
 * when it exists.
 *
 * @example
 * ```ts
 * expandGlob("/b/src/*"); // ["/b/src/a", "/b/src/b"]
 * ```
 */
export function expandGlob(pattern: string): string[] {
  const parts = pattern.split(sep).filter((p, i) => p !== "" || i === 0);
  let found = [parts[0] === "" ? sep : parts[0]];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const base of found) {
      if (!MAGIC.test(part)) {
        if (existsSync(join(base, part))) next.push(join(base, part));
        continue;
      }
      const re = segmentPattern(part);
      try {
        for (const e of Deno.readDirSync(base)) {
          if (
            re.test(e.name) && (part.startsWith(".") || !e.name.startsWith("."))
          ) {
            next.push(join(base, e.name));
          }
        }
      } catch {
        // not a folder: no match below it
      }
    }
    found = next;
  }
  return found.sort();
}

/**
 * Process `develop`: remove the previous egg-links, then for each entry log
 * `Develop: '<abs dir>'` and make it a develop egg; record the new egg-links
 * in `state.developEggs`. A pattern matching nothing gives buildout's warning.
 *
 * @example
 * ```ts
 * await runDevelop(open, state); // "Develop: '/b/src/myapp'"
 * ```
 */
export async function runDevelop(
  open: OpenBuildout,
  state: InstalledState,
): Promise<void> {
  const { settings } = open;
  const entries = (open.buildout.section("buildout").get("develop") ?? "")
    .split(/\s+/).filter(Boolean);
  for (const old of state.developEggs) {
    const abs = resolve(settings.directory, old);
    // Only what this tool made: files inside the develop-eggs folder.
    if (!relative(settings.developEggsDirectory, abs).startsWith("..")) {
      await Deno.remove(abs).catch(() => {});
    }
  }
  state.developEggs = [];
  if (!entries.length) return;
  const interp = await session(settings).interpreter();
  await doing(
    "Processing directories listed in the develop option",
    async () => {
      for (const entry of entries) {
        const pattern = resolve(settings.directory, entry);
        const paths = expandGlob(pattern);
        if (!paths.length) {
          settings.log.warn(`Couldn't develop '${pattern}' (not found)`);
        }
        for (const path of paths) {
          await doing(`Processing develop directory '${path}'.`, async () => {
            settings.log.info(`Develop: '${path}'`);
            // Loaded on use: it brings the sdist and archive code.
            const { developProject } = await import("../install/develop.ts");
            const link = await developProject(
              path,
              settings.developEggsDirectory,
              interp,
              settings.log,
            );
            state.developEggs.push(link);
          });
        }
      }
    },
  );
}
