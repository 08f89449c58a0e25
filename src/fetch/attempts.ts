/**
 * One HTTP request's plumbing: what can go wrong (`DownloadError` and its
 * faults), the idle timeout, and retries with backoff for transient faults.
 *
 * @module
 */

import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { RedirectRefused } from "./redirects.ts";

/** Options shared by {@link getText} and {@link downloadTo}. */
export interface HttpOptions {
  /** Connect timeout and longest pause between received chunks (default 30). */
  timeoutSeconds?: number;
  /** Further attempts after a transient fault (5xx, reset, truncated body); default 2. */
  retries?: number;
  /** Debug lines about retries go here; a level above INFO (`-q`) hides the progress bar. */
  log?: Logger;
  /** Allow a progress bar on a terminal for files over 1 MiB (default true). */
  progress?: boolean;
  /** Delay before the first retry in milliseconds, doubled for each further one (default 500). */
  backoffMs?: number;
  /** Every redirect hop must pass this (`allow-hosts`); default: any. */
  allowUrl?: (url: string) => boolean;
}

/** What went wrong in a {@link DownloadError}. */
export type DownloadFault =
  | "status"
  | "network"
  | "timeout"
  | "hash"
  | "html"
  | "no-network"
  | "refused"
  | "too-large";

/**
 * A failed HTTP request or download. `reason` is the short cause
 * (`404 Not Found`, `connection refused`, ...), `message` the full line.
 *
 * @example
 * ```ts
 * try { await downloadTo(url, target); } catch (e) {
 *   if (e instanceof DownloadError && e.fault === "hash") console.log(e.message);
 * }
 * ```
 */
export class DownloadError extends UserError {
  constructor(
    message: string,
    readonly url: string,
    readonly fault: DownloadFault,
    readonly reason: string,
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message);
    this.name = "DownloadError";
    if (cause !== undefined) this.cause = cause;
  }
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * `<status> <reason>` for an HTTP response.
 *
 * @example
 * ```ts
 * statusLine(404, ""); // "404 Not Found"
 * ```
 */
export function statusLine(status: number, statusText: string): string {
  const reason = statusText || REASONS[status] || "";
  return reason ? `${status} ${reason}` : `${status}`;
}

/**
 * Whether a failed attempt is worth repeating: 5xx and 429 answers, resets
 * and truncated bodies. Refused connections, DNS failures, 4xx, timeouts and
 * hash mismatches are not.
 *
 * @example
 * ```ts
 * isTransient(new DownloadError("x", "u", "status", "503", 503)); // true
 * ```
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof DownloadError)) return false;
  if (err.fault === "status") {
    return err.status !== undefined &&
      (err.status >= 500 || err.status === 429);
  }
  if (err.fault !== "network") return false;
  return !/refused|dns|lookup|resolve|certificate|invalid url/i.test(
    err.reason,
  );
}

/** A short reason for a network error thrown by `fetch` or a body read. */
function networkReason(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    parts.push(e.message);
  }
  let text = parts.reverse().find((m) => m && m !== "fetch failed") ??
    String(err);
  text = text.replace(/^error sending request for url \([^)]*\): /, "");
  if (/connection refused/i.test(text)) return "connection refused";
  if (/reset/i.test(text)) return "connection reset";
  return text;
}

/** One attempt's plumbing: an abort signal that fires after `seconds` of silence. */
export class IdleTimer {
  readonly controller = new AbortController();
  timedOut = false;
  #timer?: ReturnType<typeof setTimeout>;
  constructor(readonly seconds: number) {
    this.touch();
  }
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("timed out"));
    }, this.seconds * 1000);
  }
  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * Run `attempt` with retries for transient faults and turn runtime errors
 * into {@link DownloadError}s.
 */
export async function withRetries<T>(
  url: string,
  o: HttpOptions,
  attempt: (timer: IdleTimer) => Promise<T>,
): Promise<T> {
  const retries = o.retries ?? 2;
  const seconds = o.timeoutSeconds ?? 30;
  for (let n = 0;; n++) {
    const timer = new IdleTimer(seconds);
    try {
      return await attempt(timer);
    } catch (raw) {
      const err = classify(url, raw, timer);
      if (n >= retries || !isTransient(err)) throw err;
      const delay = (o.backoffMs ?? 500) * 2 ** n;
      o.log?.debug(`${err.message}; retrying in ${delay} ms`);
      await new Promise((r) => setTimeout(r, delay));
    } finally {
      timer.stop();
    }
  }
}

function classify(url: string, err: unknown, timer: IdleTimer): UserError {
  if (err instanceof DownloadError) return err;
  if (err instanceof RedirectRefused) {
    return new DownloadError(
      `Can't download ${url}: ${err.message}`,
      url,
      "refused",
      err.message,
      undefined,
      err,
    );
  }
  if (err instanceof Deno.errors.NotCapable) {
    return new DownloadError(
      `Network access is disabled (install-from-cache): ${url}`,
      url,
      "no-network",
      "network access is disabled",
      undefined,
      err,
    );
  }
  if (timer.timedOut) {
    return new DownloadError(
      `Timed out downloading ${url} after ${timer.seconds} seconds`,
      url,
      "timeout",
      `timed out after ${timer.seconds} seconds`,
      undefined,
      err,
    );
  }
  if (err instanceof TypeError || err instanceof Deno.errors.Http) {
    const reason = networkReason(err);
    return new DownloadError(
      `Can't download ${url}: ${reason}`,
      url,
      "network",
      reason,
      undefined,
      err,
    );
  }
  if (err instanceof UserError) return err;
  throw err;
}

export function statusError(url: string, res: Response): DownloadError {
  const reason = statusLine(res.status, res.statusText);
  return new DownloadError(
    `Can't download ${url}: ${reason}`,
    url,
    "status",
    reason,
    res.status,
  );
}
