/**
 * `${section:option}` substitution with buildout's token rules and error texts.
 *
 * @module
 */

import { UserError } from "../errors.ts";

/**
 * Resolve one reference; return `undefined` when the option does not exist. A missing
 * section should throw (see {@link missingSection}); recursion and cycle detection are the
 * caller's business.
 */
export type Lookup = (section: string, option: string) => string | undefined;

/** The longest value substitution may produce: 1 MiB of text. */
export const MAX_SUBSTITUTED = 1024 * 1024;

const SPLIT = /(\$\{[^}]*\})/;
const VALID = /^\$\{[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+\}$/;
const SIMPLE = /^[-a-zA-Z0-9 ._]+$/;

/**
 * Substitute every `${section:option}` in `value`; `${:option}` refers to `section`.
 * `$$` blocks expansion and stays `$$` (buildout never un-escapes it).
 * `${:_buildout_section_name_}` gives the section name when no such option exists.
 *
 * @example
 * ```ts
 * const data: Record<string, Record<string, string>> = { a: { b: "1" } };
 * substitute("x $${foo:bar} $$ $ ${a:b} ${:b}", "a", (s, o) => data[s][o]);
 * // "x $${foo:bar} $$ $ 1 1"
 * ```
 */
export function substitute(
  value: string,
  section: string,
  lookup: Lookup,
): string {
  const out = value.split("$$").map((piece) => subPiece(piece, section, lookup))
    .join("$$");
  if (out.length > MAX_SUBSTITUTED) throw tooLarge();
  return out;
}

/**
 * The references in a value, in order, after `$$` escaping (invalid tokens throw).
 *
 * @example
 * ```ts
 * references("${a:b} $${c:d} ${:e}", "s"); // [["a", "b"], ["s", "e"]]
 * ```
 */
export function references(value: string, section: string): [string, string][] {
  const out: [string, string][] = [];
  substitute(value, section, (s, o) => {
    out.push([s, o]);
    return "";
  });
  return out;
}

/**
 * Buildout's error for a reference to an undefined section.
 *
 * @example
 * ```ts
 * throw missingSection("x"); // The referenced section, 'x', was not defined.
 * ```
 */
export function missingSection(name: string): UserError {
  return new UserError(`The referenced section, '${name}', was not defined.`);
}

function subPiece(template: string, current: string, lookup: Lookup): string {
  const parts = template.split(SPLIT);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const ref = parts[i];
    const [section, option] = checkToken(ref);
    const name = section || current;
    let v = lookup(name, option);
    if (v === undefined) {
      if (option !== "_buildout_section_name_") {
        throw new UserError(
          `Referenced option does not exist: ${name} ${option}`,
        );
      }
      v = current;
    }
    out += v + parts[i + 1];
    if (out.length > MAX_SUBSTITUTED) throw tooLarge();
  }
  return out;
}

function tooLarge(): UserError {
  return new UserError(
    `Substitution gives a value longer than ${MAX_SUBSTITUTED} characters ` +
      "(options that repeat each other's ${...} grow exponentially).",
  );
}

function checkToken(ref: string): [string, string] {
  const s = ref.slice(2, -1).split(":");
  if (!VALID.test(ref)) {
    if (s.length < 2) {
      throw new UserError(
        `The substitution, ${ref},\ndoesn't contain a colon.`,
      );
    }
    if (s.length > 2) {
      throw new UserError(`The substitution, ${ref},\nhas too many colons.`);
    }
    if (!SIMPLE.test(s[0])) {
      throw new UserError(
        `The section name in substitution, ${ref},\nhas invalid characters.`,
      );
    }
    throw new UserError(
      `The option name in substitution, ${ref},\nhas invalid characters.`,
    );
  }
  return [s[0], s[1]];
}
