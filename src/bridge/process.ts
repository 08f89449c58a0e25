/**
 * The one Python process of a run that runs every bridged recipe, spoken to
 * over stdin/stdout in line-delimited JSON. Python's own stdout is sent to
 * stderr and `print` output travels as messages, so nothing a recipe writes
 * corrupts the channel.
 *
 * @module
 */
import { join } from "node:path";
import { contextOf, isUserCaused } from "../errors.ts";

/** A message the Python side sends while a request runs. */
export type BridgeEvent =
  | { ev: "log"; level: number; levelname?: string; name: string; msg: string }
  | { ev: "out"; text: string }
  | { ev: "set"; section: string; key: string; value: string }
  | { ev: "delete"; section: string; key: string }
  | { ev: "read"; section: string; key: string }
  | { ev: "created"; paths: string[] };

/** A Python-side error: a `UserError` (`user`) or any other exception. */
export interface BridgeFailure {
  user?: boolean;
  type?: string;
  message: string;
  traceback?: string;
  /** `While:` lines of an error from a callback, outermost first. */
  context?: string[];
}

/** What a request does with the messages that arrive while it runs. */
export interface RequestHandlers {
  event(e: BridgeEvent): void;
  /** A callback (`easy_install.install`, `Download`, a section read). */
  call(fn: string, args: Record<string, unknown>): Promise<unknown>;
}

/** How to start the process. */
export interface StartOptions {
  python: string;
  /** The folder of the compatibility layer (first on `sys.path`). */
  folder: string;
  /** Command words before Python (`unshare -rn`). */
  prefix: string[];
  env: Record<string, string>;
  logLevel: number;
}

/**
 * The running bridge.
 *
 * @example
 * ```ts
 * const p = BridgeProcess.start({ python: "python3", folder, prefix: [], env: {}, logLevel: 20 });
 * await p.request({ op: "install", part: "data" }, handlers);
 * await p.close();
 * ```
 */
export class BridgeProcess {
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #lines: AsyncIterator<string>;
  #busy = false;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#writer = child.stdin.getWriter();
    this.#lines = readLines(child.stdout)[Symbol.asyncIterator]();
  }

  /** Start Python on the server script of `folder`. */
  static start(o: StartOptions): BridgeProcess {
    const [cmd, ...args] = [
      ...o.prefix,
      o.python,
      join(o.folder, "_buildout_bridge.py"),
    ];
    const child = new Deno.Command(cmd, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
      env: {
        ...o.env,
        PYTHONUNBUFFERED: "1",
        PYTHONDONTWRITEBYTECODE: "1",
        BUILDOUT_BRIDGE_LOG_LEVEL: String(o.logLevel),
      },
    }).spawn();
    return new BridgeProcess(child);
  }

  async #send(msg: unknown): Promise<void> {
    await this.#writer.write(
      new TextEncoder().encode(JSON.stringify(msg) + "\n"),
    );
  }

  /**
   * Send one request and serve its events and callbacks until it is done;
   * resolves with its result, rejects with a {@link BridgeFailure}-carrying
   * {@link BridgeError}.
   */
  async request(
    msg: Record<string, unknown>,
    h: RequestHandlers,
  ): Promise<unknown> {
    if (this.#busy) throw new Error("The recipe bridge is busy");
    this.#busy = true;
    try {
      await this.#send(msg);
      while (true) {
        const next = await this.#lines.next();
        if (next.done) {
          throw new Error("The Python recipe bridge ended unexpectedly");
        }
        const m = JSON.parse(next.value);
        if (m.done) {
          if (m.error) throw new BridgeError(m.error);
          return m.result;
        }
        if (m.ev === "call") {
          let reply: Record<string, unknown>;
          try {
            reply = { result: (await h.call(m.fn, m.args)) ?? null };
          } catch (err) {
            // The `While:` context travels with the error, back to Python
            // and out again.
            reply = {
              error: {
                user: isUserCaused(err),
                message: err instanceof Error ? err.message : String(err),
                context: contextOf(err),
              },
            };
          }
          await this.#send(reply);
        } else h.event(m);
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Ask the process to end and wait for it. */
  async close(): Promise<void> {
    try {
      await this.#send({ op: "exit" });
      await this.#writer.close();
    } catch {
      // already gone
    }
    while (!(await this.#lines.next()).done) {
      // drain
    }
    await this.#child.status;
  }
}

/** A failure reported by the Python side. */
export class BridgeError extends Error {
  constructor(readonly failure: BridgeFailure) {
    super(failure.message);
    this.name = failure.type ?? "UserError";
  }
}

async function* readLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buf = "";
  for await (const chunk of stream) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
  if (buf) yield buf;
}
