/**
 * Choosing sources for a `develop` subcommand: all, or those in
 * `auto-checkout` (`-a`), in develop mode (`-d`), checked out (`-c`), then
 * filtered by regular expressions matched anywhere in the name.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { existsSync } from "../fsutil.ts";
import type { DevelopConfig } from "./sources.ts";

/** Filters of {@link selectPackages}. */
export interface SelectFlags {
  autoCheckout?: boolean;
  develop?: boolean;
  checkedOut?: boolean;
}

/**
 * The chosen source names, sorted; `No package matched 'x'.` when the
 * expressions match none.
 *
 * @example
 * ```ts
 * selectPackages(cfg, develeggs, ["^pkg"], { checkedOut: true }); // ["pkg", "pkg2"]
 * ```
 */
export function selectPackages(
  cfg: DevelopConfig,
  develeggs: Map<string, string>,
  regexps: string[],
  f: SelectFlags,
): string[] {
  let names = f.autoCheckout ? [...cfg.autoCheckout] : [...cfg.sources.keys()];
  if (f.develop) names = names.filter((n) => develeggs.has(n));
  if (f.checkedOut) {
    names = names.filter((n) => existsSync(cfg.sources.get(n)!.path));
  }
  names.sort();
  if (!regexps.length) return names;
  let re: RegExp;
  try {
    re = new RegExp(regexps.map((x) => `(${x})`).join("|"));
  } catch {
    throw new UserError(`Invalid regular expression: ${regexps.join(" ")}`);
  }
  const result = names.filter((n) => re.test(n));
  if (!result.length) {
    const q = regexps.map((x) => `'${x}'`);
    const text = q.length > 1
      ? `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}`
      : q[0];
    throw new UserError(`No package matched ${text}.`);
  }
  return result;
}
