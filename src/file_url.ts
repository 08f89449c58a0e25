/**
 * `file:` URLs to paths and back, as `node:url` does them on POSIX, without
 * loading Node's URL module (and the compatibility layer it brings) at
 * start-up.
 *
 * @module
 */
import { resolve } from "./path.ts";

/**
 * The path of a `file:` URL: a TypeError for another scheme, a host other
 * than `localhost`, or an encoded `/` in the path.
 *
 * @example
 * ```ts
 * fileUrlToPath("file:///srv/my%20links/"); // "/srv/my links/"
 * ```
 */
export function fileUrlToPath(url: string | URL): string {
  const u = typeof url === "string" ? new URL(url) : url;
  if (u.protocol !== "file:") {
    throw new TypeError("The URL must be of scheme file");
  }
  if (u.hostname !== "") {
    throw new TypeError(`File URL host must be "localhost" or empty`);
  }
  if (/%2f/i.test(u.pathname)) {
    throw new TypeError("File URL path must not include encoded / characters");
  }
  return decodeURIComponent(u.pathname);
}

/**
 * The `file:` URL of a path (made absolute; a trailing `/` is kept).
 *
 * @example
 * ```ts
 * pathToFileUrl("/srv/my links/").href; // "file:///srv/my%20links/"
 * ```
 */
export function pathToFileUrl(path: string): URL {
  let abs = resolve(path);
  if (path.endsWith("/") && !abs.endsWith("/")) abs += "/";
  const u = new URL("file://");
  // What the pathname setter leaves alone but Node encodes; the rest it does.
  u.pathname = abs.replace(
    /[%\\\n\r\t[\]^|~]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"),
  );
  return u;
}
