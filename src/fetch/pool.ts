/**
 * Bounded parallelism for independent work such as downloads.
 *
 * @module
 */

/**
 * Map `items` through `fn` with at most `limit` calls running at once.
 * Results keep the order of `items`. On the first failure no further calls
 * start; the calls already running are awaited, then that failure is thrown.
 *
 * @example
 * ```ts
 * const paths = await mapLimit(urls, 4, (url) => cache.fetchInto(url, basename(url)));
 * ```
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let failure: unknown;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        if (!failed) failure = err;
        failed = true;
      }
    }
  };
  const n = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (failed) throw failure;
  return results;
}

/**
 * A concurrency limit: `run(fn)` starts `fn` when fewer than `limit` runs are
 * under way, else when one ends.
 *
 * @example
 * ```ts
 * const run = limiter(4);
 * const files = await Promise.all(urls.map((u) => run(() => download(u))));
 * ```
 */
export function limiter(
  limit: number,
): <R>(fn: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (active >= limit) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
