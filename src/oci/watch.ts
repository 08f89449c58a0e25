/**
 * A registry request that cannot hang: its answer must start within the
 * timeout, and its body may not pause longer than that while it is read.
 * Either way the request is aborted and the reader gets `fail(why)`. The
 * timer never keeps the program alive by itself.
 *
 * @module
 */

/** `1 second`, `30 seconds`. */
function seconds(n: number): string {
  return `${n} second${n === 1 ? "" : "s"}`;
}

/**
 * `fetch(url, init)`, given up after `timeoutSeconds` of silence.
 *
 * @example
 * ```ts
 * const res = await watchedFetch(url, { method: "GET" }, 30, (why) =>
 *   new UserError(`Registry reg.lan unreachable (https://reg.lan): ${why}`));
 * ```
 */
export async function watchedFetch(
  url: string,
  init: RequestInit,
  timeoutSeconds: number,
  fail: (why: string, cause?: unknown) => Error,
): Promise<Response> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const arm = () => {
    const t = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutSeconds * 1000);
    Deno.unrefTimer(t);
    timer = t;
  };
  const disarm = () => clearTimeout(timer);
  arm();
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: controller.signal });
  } catch (e) {
    throw timedOut ? fail(`no answer within ${seconds(timeoutSeconds)}`) : e;
  } finally {
    disarm();
  }
  if (!res.body) return res;
  const reader = res.body.getReader();
  const source: UnderlyingByteSource = {
    type: "bytes",
    async pull(c) {
      arm();
      try {
        const { done, value } = await reader.read();
        if (done) {
          c.close();
          // A reader waiting with its own buffer is answered "no more".
          c.byobRequest?.respond(0);
        } else c.enqueue(value);
      } catch (e) {
        c.error(
          timedOut ? fail(`no data for ${seconds(timeoutSeconds)}`, e) : e,
        );
      } finally {
        disarm();
      }
    },
    cancel(reason) {
      disarm();
      return reader.cancel(reason);
    },
  };
  return new Response(new ReadableStream(source), {
    status: res.status,
    statusText: res.statusText,
    headers: res.headers,
  });
}
