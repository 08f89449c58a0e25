/**
 * Local find-links entries: a folder (its files, or the links of its
 * `index.html`), a single file, or a `file:` URL.
 *
 * @module
 */
import { basename, join, resolve } from "../path.ts";
import { fileUrlToPath, pathToFileUrl } from "../file_url.ts";
import { type PageLink, parsePage } from "./links.ts";

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/**
 * The local path an entry names (`file:` URLs and plain paths), or
 * `undefined` for a remote URL.
 *
 * @example
 * ```ts
 * localPath("file:///srv/links"); // "/srv/links"
 * localPath("https://pypi.org/simple/"); // undefined
 * ```
 */
export function localPath(entry: string): string | undefined {
  if (/^file:/i.test(entry)) {
    try {
      return fileUrlToPath(entry);
    } catch {
      return undefined;
    }
  }
  return URL_SCHEME.test(entry) ? undefined : resolve(entry);
}

async function statOrUndefined(
  path: string,
): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch {
    return undefined;
  }
}

/**
 * The links a local entry offers: each file of a folder (sorted by name), the
 * links of its `index.html` when it has one, or the file itself; `undefined`
 * when the path does not exist.
 *
 * @example
 * ```ts
 * (await readLocalLinks("/srv/links"))?.map((l) => l.filename); // ["demo-0.2.zip", ...]
 * ```
 */
export async function readLocalLinks(
  path: string,
): Promise<PageLink[] | undefined> {
  const info = await statOrUndefined(path);
  if (!info) return undefined;
  if (!info.isDirectory) {
    return [{ url: path, filename: basename(path), hashes: {} }];
  }
  const indexHtml = join(path, "index.html");
  if ((await statOrUndefined(indexHtml))?.isFile) {
    const base = pathToFileUrl(join(path, "/")).href;
    return parsePage(
      await Deno.readTextFile(indexHtml),
      "text/html",
      base,
    );
  }
  const links: PageLink[] = [];
  for await (const e of Deno.readDir(path)) {
    if (!e.isDirectory) {
      links.push({
        url: join(path, e.name),
        filename: e.name,
        hashes: {},
      });
    }
  }
  return links.sort((a, b) => (a.filename < b.filename ? -1 : 1));
}
