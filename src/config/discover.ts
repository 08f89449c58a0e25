/**
 * Every `[name:expr]` condition of a local configuration tree, whatever the conditions
 * decide: the `extends` and `optional-extends` of every `[buildout]` block are followed,
 * conditional or not, and files that cannot be read or parsed are skipped. Used to ask the
 * target Python about all conditions at once, before the real load.
 *
 * @module
 */

import { readConfigFile } from "./read.ts";
import { dirname, isAbsolute, resolve } from "../path.ts";
import { parseConfig } from "./parse.ts";
import { isUrl } from "./paths.ts";

/**
 * The conditions of `root` and of the local files it may extend (URLs are left out).
 *
 * @example
 * ```ts
 * await discoverConditions("/w/buildout.cfg"); // ["sys.version_info < (3, 10)", "linux"]
 * ```
 */
export async function discoverConditions(
  root: string,
  read: (path: string) => Promise<string> = readConfigFile,
): Promise<string[]> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = async (file: string): Promise<void> => {
    if (seen.has(file) || isUrl(file)) return;
    seen.add(file);
    let sections;
    try {
      sections = parseConfig(await read(file), file).sections;
    } catch {
      return;
    }
    const next: string[] = [];
    for (const s of sections) {
      if (s.condition !== undefined) found.add(s.condition);
      if (s.name !== "buildout") continue;
      for (const o of s.options) {
        if (o.key !== "extends" && o.key !== "optional-extends") continue;
        for (const name of o.value.split(/\s+/).filter(Boolean)) {
          if (!isUrl(name)) {
            next.push(isAbsolute(name) ? name : resolve(dirname(file), name));
          }
        }
      }
    }
    for (const n of next) await walk(n);
  };
  await walk(root);
  return [...found];
}
