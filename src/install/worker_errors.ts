/**
 * Errors crossing a worker boundary. Structured cloning keeps only an
 * error's name, message and stack, so a `UserError` thrown in a wheel worker
 * would arrive as a plain `Error` (an internal error for the user). Here an
 * error is turned into plain data in the worker and back into the same kind
 * of error in the main thread: a `UserError` (and an `InvalidArchiveError`,
 * which the installer reacts to) with the same message, a `Deno.errors.*`
 * error as the same class, anything else as an internal error keeping its
 * name, message and the worker's stack. `While:` context lines carry over.
 *
 * @module
 */

import { addContext, contextOf, denoErrorClass, UserError } from "../errors.ts";
import { InvalidArchiveError } from "../extract/archive.ts";

/** An error as plain, cloneable data. */
export interface WireError {
  kind: "user" | "archive" | "deno" | "internal";
  name: string;
  message: string;
  stack?: string;
  /** The archive of an `InvalidArchiveError`. */
  file?: string;
  context: string[];
}

/**
 * Encode `err` (in the worker) and decode it (in the main thread).
 *
 * @example
 * ```ts
 * const back = wireError.decode(wireError.encode(new UserError("x.whl is damaged")));
 * back instanceof UserError; // true
 * back.message; // "x.whl is damaged"
 * ```
 */
export const wireError = {
  encode(err: unknown): WireError {
    const e = err instanceof Error ? err : new Error(String(err));
    const kind = err instanceof InvalidArchiveError
      ? "archive"
      : err instanceof UserError
      ? "user"
      : denoErrorClass(e.name) && err instanceof denoErrorClass(e.name)!
      ? "deno"
      : "internal";
    return {
      kind,
      name: e.name,
      message: e.message,
      stack: e.stack,
      file: err instanceof InvalidArchiveError ? err.file : undefined,
      context: contextOf(err),
    };
  },

  decode(w: WireError): Error {
    let e: Error;
    if (w.kind === "archive") {
      e = new InvalidArchiveError(w.file ?? "", "zip", "");
      e.message = w.message;
    } else if (w.kind === "user") {
      e = new UserError(w.message);
    } else if (w.kind === "deno" && denoErrorClass(w.name)) {
      e = new (denoErrorClass(w.name)!)(w.message);
    } else {
      e = new Error(w.message);
      e.name = w.name;
      if (w.stack) e.stack = w.stack;
    }
    for (const line of [...w.context].reverse()) addContext(e, line);
    return e;
  },
};
