/**
 * `fetch` that follows redirects itself, so every hop is checked against the
 * caller's rule (`allow-hosts`), not only the first URL.
 *
 * @module
 */

/** Redirect hops followed before giving up (as browsers and pip do). */
export const MAX_REDIRECTS = 10;

/** Why a redirect was not followed. */
export class RedirectRefused extends Error {
  constructor(message: string, readonly to: string) {
    super(message);
    this.name = "RedirectRefused";
  }
}

/**
 * GET `url`, following 3xx `Location` answers by hand; each next URL must pass
 * `allowed`. Resolves to the final response and its URL.
 *
 * @example
 * ```ts
 * const { res, url } = await fetchFollowing("http://h/simple/demo", {}, (u) => u.startsWith("http://h/"));
 * ```
 */
export async function fetchFollowing(
  url: string,
  init: RequestInit,
  allowed?: (url: string) => boolean,
): Promise<{ res: Response; url: string }> {
  let current = url;
  for (let hop = 0;; hop++) {
    const res = await fetch(current, { ...init, redirect: "manual" });
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || location === null) {
      return { res, url: current };
    }
    await res.body?.cancel();
    const next = new URL(location, current).href;
    if (hop >= MAX_REDIRECTS) {
      throw new RedirectRefused(
        `more than ${MAX_REDIRECTS} redirects from ${url}`,
        next,
      );
    }
    if (allowed && !allowed(next)) {
      throw new RedirectRefused(
        `redirect to ${next} is not allowed by allow-hosts`,
        next,
      );
    }
    current = next;
  }
}
