/**
 * Rendering `collective.recipe.template` templates (pure: lookups come from the
 * caller). The default entry uses buildout's substitution: `${section:option}`,
 * `${option}` (and `${:option}`) for the part's own options, `$${` for a
 * literal `${`. The `:genshi` entry renders only templates whose expressions
 * are plain option lookups (`${parts.section.option}`, `${options['opt']}`);
 * any other genshi syntax is refused with one line.
 *
 * @module
 */
import { UserError } from "../../errors.ts";
import { type Lookup, substitute } from "../../config/substitute.ts";

/**
 * Render a template with buildout substitution on behalf of part `part`.
 *
 * @example
 * ```ts
 * const data: Record<string, Record<string, string>> = { buildout: { directory: "/b" }, t: { msg: "hi" } };
 * renderBuildout("${buildout:directory} ${msg} $${HOME}", "t", (s, o) => data[s][o]);
 * // "/b hi ${HOME}"
 * ```
 */
export function renderBuildout(
  template: string,
  part: string,
  lookup: Lookup,
): string {
  return template.split("$${").map((piece, i) => {
    // `${name}` without a colon names an option of the part itself; the text
    // right after an escaped `$${` is literal up to its `}`.
    let head = "";
    let rest = piece;
    if (i > 0) {
      const close = piece.indexOf("}");
      head = close < 0 ? piece : piece.slice(0, close + 1);
      rest = close < 0 ? "" : piece.slice(close + 1);
    }
    const own = rest.replace(/\$\{([^:]+?)\}/g, (_m, name) => {
      return "${" + part + ":" + name + "}";
    });
    return head + substitute(own, part, lookup);
  }).join("${");
}

const EXPR = /\$\{([^}]*)\}|\$([A-Za-z_][\w.]*)|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
const LOOKUP =
  /^\s*(parts|options)((?:\s*\.\s*[A-Za-z_][\w]*|\s*\[\s*(?:'[^']*'|"[^"]*")\s*\])+)\s*$/;
const STEP = /\.\s*([A-Za-z_]\w*)|\[\s*(?:'([^']*)'|"([^"]*)")\s*\]/g;

/**
 * Render a genshi text template whose only expressions are lookups of options:
 * `${parts.S.O}` / `${parts['S']['O']}` (any section) and `${options.O}` /
 * `${options['O']}` (this part); `$$` is a literal `$`. Anything else genshi
 * would evaluate (other expressions, `$name`, `{% %}` directives, `{# #}`
 * comments) is a UserError naming the entry point.
 *
 * @example
 * ```ts
 * renderGenshi("${parts.buildout.directory} ${options['a-b']}", "t", (s, o) => `${s}.${o}`);
 * // "buildout.directory t.a-b"
 * ```
 */
export function renderGenshi(
  template: string,
  part: string,
  lookup: (section: string, option: string) => string,
): string {
  return template.split("$$").map((piece) =>
    piece.replace(EXPR, (m, braced: string | undefined, bare?: string) => {
      const expr = braced ?? bare;
      const found = expr === undefined ? undefined : LOOKUP.exec(expr);
      const steps = found ? [...found[2].matchAll(STEP)] : [];
      const keys = steps.map((s) => s[1] ?? s[2] ?? s[3]);
      const want = found?.[1] === "parts" ? 2 : 1;
      if (!found || keys.length !== want) {
        const line = template.slice(0, template.indexOf(m)).split("\n").length;
        throw new UserError(
          `The recipe collective.recipe.template:genshi is not supported for this template: ` +
            `line ${line} uses genshi syntax (${
              m.split("\n")[0]
            }); only \${parts.<section>.<option>} and \${options['<option>']} lookups are rendered.`,
        );
      }
      return want === 2 ? lookup(keys[0], keys[1]) : lookup(part, keys[0]);
    })
  ).join("$");
}
