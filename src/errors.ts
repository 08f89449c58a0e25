/**
 * Errors a user can cause, and the `While:` context buildout prints with them.
 *
 * @module
 */

/**
 * An error caused by the user's configuration, input or environment. Printed as
 * `Error: <message>` (after any `While:` context), exit code 1, never with a stack.
 *
 * @example
 * ```ts
 * throw new UserError("Couldn't find a distribution for 'demo'.");
 * ```
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** A usage error on the command line (exit code 2). */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The `Deno.errors` class of that name (`NotFound`, `PermissionDenied`...),
 * to rebuild an error that crossed a worker boundary as plain data.
 *
 * @example
 * ```ts
 * const Cls = denoErrorClass("NotFound");
 * if (Cls) throw new Cls("no such file");
 * ```
 */
export function denoErrorClass(
  name: string,
): (new (message: string) => Error) | undefined {
  const table = Deno.errors as unknown as Record<
    string,
    new (message: string) => Error
  >;
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

const CONTEXT = Symbol("buildout.while");

/**
 * The `While:` context lines recorded on an error, outermost first.
 *
 * @example
 * ```ts
 * contextOf(err); // ["Installing eggs.", "Getting distribution for 'demo'."]
 * ```
 */
export function contextOf(err: unknown): string[] {
  if (err && typeof err === "object" && CONTEXT in err) {
    return (err as Record<symbol, string[]>)[CONTEXT];
  }
  return [];
}

/**
 * Run `fn`; if it throws, record `label` as an outer `While:` context line on the error.
 *
 * @example
 * ```ts
 * await doing("Installing eggs.", () => recipe.install());
 * ```
 */
export async function doing<T>(
  label: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    addContext(err, label);
    throw err;
  }
}

/**
 * Synchronous form of {@link doing}.
 *
 * @example
 * ```ts
 * doingSync("Initializing section x.", () => construct(x));
 * ```
 */
export function doingSync<T>(label: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    addContext(err, label);
    throw err;
  }
}

/**
 * Prepend a `While:` line to an error (no-op for non-objects).
 *
 * @example
 * ```ts
 * addContext(err, "Getting distribution for 'demo'.");
 * ```
 */
export function addContext(err: unknown, label: string): void {
  if (err && typeof err === "object") {
    const e = err as Record<symbol, string[]>;
    e[CONTEXT] = [label, ...(e[CONTEXT] ?? [])];
  }
}

/**
 * True for errors the user's environment causes rather than a bug: the
 * operating system refused a file or process operation (permission denied, no
 * such file, disk full, ...). They are reported like user errors.
 *
 * @example
 * ```ts
 * isUserCaused(new Deno.errors.PermissionDenied("open '/etc/x'")); // true
 * isUserCaused(new TypeError("x is undefined")); // false
 * ```
 */
export function isUserCaused(err: unknown): boolean {
  if (err instanceof UserError) return true;
  if (!(err instanceof Error)) return false;
  const fs = [
    Deno.errors.PermissionDenied,
    Deno.errors.NotFound,
    Deno.errors.AlreadyExists,
    Deno.errors.NotADirectory,
    Deno.errors.IsADirectory,
    Deno.errors.FilesystemLoop,
    Deno.errors.NotCapable,
  ];
  return fs.some((cls) => err instanceof cls) ||
    /\(os error \d+\)/.test(err.message) ||
    // a path with a NUL byte, refused by the runtime before any system call
    (err instanceof TypeError && /unexpected NUL byte/.test(err.message));
}

/**
 * Format an error the way buildout prints it on stderr.
 *
 * @example
 * ```ts
 * formatError(err, false); // "While:\n  Installing.\nError: ..."
 * ```
 */
export function formatError(err: unknown, verbose: boolean): string {
  const ctx = contextOf(err);
  const lines: string[] = [];
  if (ctx.length) lines.push("While:", ...ctx.map((c) => "  " + c));
  if (isUserCaused(err)) {
    lines.push("Error: " + (err as Error).message.replaceAll("\0", "\\0"));
  } else {
    const e = err instanceof Error ? err : new Error(String(err));
    lines.push(
      "",
      "An internal error occurred due to a bug in buildout for Deno or in a recipe being used:",
      verbose
        ? (e.stack ?? String(e))
        : `${e.name}: ${e.message} (run with -v for the stack)`,
    );
  }
  return lines.join("\n");
}
