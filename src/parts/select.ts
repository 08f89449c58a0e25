/**
 * Which parts a run installs, and in which order: the parts named (by
 * `buildout:parts` or on the command line), each after the parts its options
 * refer to.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { references } from "../config/substitute.ts";
import type { OpenBuildout } from "./open.ts";

/**
 * Select the parts to install, in install order: each name's `${}` targets and
 * `=>` dependencies that are parts come before it. With `only` (from
 * `install a b`) those names are used instead of `buildout:parts`.
 *
 * @example
 * ```ts
 * selectParts(open); // ["config", "app", "server"]
 * ```
 */
export function selectParts(open: OpenBuildout, only: string[] = []): string[] {
  const { buildout } = open;
  const names = only.length ? only : buildout.section("buildout")
    .require("parts").split(/\s+/).filter((s) => s);
  const selected: string[] = [];
  const add = (n: string) => {
    if (!selected.includes(n)) selected.push(n);
  };
  for (const name of names) {
    if (!buildout.has(name)) {
      throw new UserError(
        `The referenced section, '${name}', was not defined.`,
      );
    }
    const mark = open.order.length;
    const options = buildout.section(name);
    options.require("recipe");
    // Parts this one refers to that were initialised earlier (e.g. while
    // [buildout] was read) come first too, in initialisation order.
    const refs = referencedSections(open, name);
    open.order.slice(0, mark).filter((n) => refs.has(n)).forEach(add);
    open.order.slice(mark).forEach(add);
    add(name);
  }
  return selected;
}

/**
 * Every section a section refers to through `${s:o}` or `=>`, transitively,
 * read from the raw configuration.
 *
 * @example
 * ```ts
 * referencedSections(open, "app"); // Set { "config", "data" }
 * ```
 */
export function referencedSections(
  open: OpenBuildout,
  name: string,
): Set<string> {
  const raw = open.buildout.rawConfig;
  const seen = new Set<string>();
  const visit = (section: string) => {
    for (const [key, opt] of raw.get(section) ?? []) {
      const refs = references(opt.value, section).map(([s]) => s);
      if (key === "<part-dependencies>") refs.push(...opt.value.split(/\s+/));
      for (const s of refs) {
        if (s && s !== name && !seen.has(s) && raw.has(s)) {
          seen.add(s);
          visit(s);
        }
      }
    }
  };
  visit(name);
  return seen;
}
