/**
 * The top-level import names of an installed distribution, read from its
 * folder on disk (the rules are in `pypa/toplevel.ts`).
 *
 * @module
 */

import { join } from "../path.ts";
import {
  type FolderView,
  type NameKind,
  topLevelNamesIn,
} from "../pypa/toplevel.ts";

export type { NameKind };

/** The part of a distribution this module reads. */
export interface DistFiles {
  key: string;
  location: string;
  develop?: boolean;
}

function diskView(location: string): FolderView {
  return {
    list(sub) {
      try {
        return [...Deno.readDirSync(sub ? join(location, sub) : location)];
      } catch {
        return [];
      }
    },
    read(path) {
      try {
        return Deno.readTextFileSync(join(location, path));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The top-level names of an installed distribution and what each one is.
 * Names listed but not found under its `sys.path` entry are left out.
 *
 * @example
 * ```ts
 * topLevelNames({ key: "pytest", location: "/b/eggs/pytest-7.0.0-py3.11.egg" });
 * // Map { "_pytest" => "package", "py" => "module", "pytest" => "package" }
 * ```
 */
export function topLevelNames(d: DistFiles): Map<string, NameKind> {
  return topLevelNamesIn(d.key, !!d.develop, diskView(d.location));
}
