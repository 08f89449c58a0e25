/**
 * `allow-hosts`: which URLs distributions may come from.
 *
 * @module
 */

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (const ch of glob) {
    if (ch === "*") re += ".*";
    else if (ch === "?") re += ".";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "i");
}

/**
 * Whether `allow-hosts` lets a URL through: globs against `host[:port]`;
 * local paths and `file:` URLs always pass; no patterns means all hosts.
 *
 * @example
 * ```ts
 * hostAllowed("http://127.0.0.1:8080/x.zip", ["127.0.0.1:*"]); // true
 * hostAllowed("https://pypi.org/simple/", ["*.python.org"]); // false
 * hostAllowed("/tmp/dist/x.zip", ["nothing"]); // true
 * ```
 */
export function hostAllowed(url: string, patterns: string[]): boolean {
  if (!URL_SCHEME.test(url) || /^file:/i.test(url)) return true;
  const globs = patterns.map((p) => p.trim()).filter(Boolean);
  if (!globs.length) return true;
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return false;
  }
  return globs.some((g) => globToRegExp(g).test(host));
}
