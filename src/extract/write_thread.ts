/**
 * {@link Writes} done on a second thread: the calls are batched and posted
 * to a small worker (`write_worker.ts`) that makes the folders and files in
 * the order asked, while this thread reads, inflates and hashes the next
 * members and wheels.
 *
 * Why (measured on the 2-core machine of issue 12, Deno 2.9, tmpfs): with
 * any permission list short of `--allow-all`, and `--allow-all` is dropped
 * as soon as the network is revoked, Deno checks each path against special
 * files by reading every component's link (`readlink` per folder up from
 * `/`): a small file costs ~60-70 us to write instead of ~20. The 201 wheels
 * of `deno task bench` are ~2,000 such calls; two threads write them in ~0.6
 * of the time of one. Starting the worker blocks this thread ~20-30 ms (a
 * new V8 isolate) and costs ~11 MiB, so the caller starts one only for many
 * files, and only in runs that download nothing: install-from-cache, offline,
 * local sources only (see `resolve/working_set.ts`).
 *
 * @module
 */

import { denoErrorClass } from "../errors.ts";
import type { Writes } from "./writes.ts";
// Types only: nothing of the worker's module is loaded here.
import type { Op } from "./write_worker.ts";

/** A batch is posted once it holds this many writes ... */
const BATCH_OPS = 32;
/** ... or this many bytes of file contents. */
const BATCH_BYTES = 256 * 1024;
/** Bytes posted and not yet written past which `writeFile` asks to wait. */
const MAX_IN_FLIGHT = 2 * 1024 * 1024;

interface Answer {
  id: number;
  error?: { name: string; message: string };
}

/**
 * Writes on a worker thread; {@link WriteThread.close} stops it.
 *
 * @example
 * ```ts
 * const writes = new WriteThread();
 * try {
 *   writes.mkdir("/tmp/x/pkg");
 *   writes.writeFile("/tmp/x/pkg/__init__.py", new Uint8Array(), 0o644);
 *   await writes.settled(); // both are on disk, or this throws their error
 * } finally {
 *   writes.close();
 * }
 * ```
 */
export class WriteThread implements Writes {
  #worker: Worker;
  #ops: Op[] = [];
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #nextId = 1;
  /** Bytes of each batch posted and not answered. */
  #posted = new Map<number, number>();
  #inFlight = 0;
  #waiting: (() => void)[] = [];
  #settles = new Map<number, { resolve(): void; reject(e: Error): void }>();
  #broken?: Error;

  constructor() {
    this.#worker = new Worker(
      new URL("./write_worker.ts", import.meta.url).href,
      { type: "module" },
    );
    this.#worker.onmessage = (e: MessageEvent<Answer>) => this.#answer(e.data);
    this.#worker.onerror = (e) => {
      e.preventDefault();
      this.#fail(new Error(`The file writer failed: ${e.message}`));
    };
    this.#worker.onmessageerror = () =>
      this.#fail(new Error("The file writer failed: a message was lost"));
  }

  mkdir(path: string): void {
    this.#add(["d", path]);
  }

  writeFile(
    path: string,
    data: Uint8Array,
    mode: number,
  ): void | Promise<void> {
    this.#ops.push(["f", path, mode, this.#bytes, this.#bytes + data.length]);
    this.#chunks.push(data);
    this.#bytes += data.length;
    this.#full();
    if (this.#inFlight + this.#bytes > MAX_IN_FLIGHT && !this.#broken) {
      this.#post(false);
      return new Promise((r) => this.#waiting.push(r));
    }
  }

  chmod(path: string, mode: number): void {
    this.#add(["m", path, mode]);
  }

  symlink(target: string, path: string): void {
    this.#add(["l", target, path]);
  }

  copyFile(from: string, to: string): void {
    this.#add(["c", from, to]);
  }

  remove(path: string): void {
    this.#add(["r", path]);
  }

  settled(): Promise<void> {
    if (this.#broken) return Promise.reject(this.#broken);
    return new Promise((resolve, reject) => {
      this.#settles.set(this.#post(true), { resolve, reject });
    });
  }

  /** Stop the worker (writes not settled are dropped). */
  close(): void {
    this.#fail(new Error("The file writer was closed"));
  }

  #add(op: Op): void {
    this.#ops.push(op);
    this.#full();
  }

  #full(): void {
    if (this.#ops.length >= BATCH_OPS || this.#bytes >= BATCH_BYTES) {
      this.#post(false);
    }
  }

  /** Post the writes gathered so far (a settle even when there are none). */
  #post(settle: boolean): number {
    const id = this.#nextId++;
    if (this.#broken) return id;
    let data: ArrayBuffer | undefined;
    if (this.#bytes) {
      const all = new Uint8Array(this.#bytes);
      let at = 0;
      for (const c of this.#chunks) {
        all.set(c, at);
        at += c.length;
      }
      data = all.buffer;
    }
    const batch = { id, ops: this.#ops, data, settle };
    this.#worker.postMessage(batch, data ? [data] : []);
    this.#posted.set(id, this.#bytes);
    this.#inFlight += this.#bytes;
    this.#ops = [];
    this.#chunks = [];
    this.#bytes = 0;
    return id;
  }

  #answer(a: Answer): void {
    this.#inFlight -= this.#posted.get(a.id) ?? 0;
    this.#posted.delete(a.id);
    if (this.#inFlight <= MAX_IN_FLIGHT / 2) {
      for (const go of this.#waiting.splice(0)) go();
    }
    const s = this.#settles.get(a.id);
    if (!s) return;
    this.#settles.delete(a.id);
    if (!a.error) return s.resolve();
    const Cls = denoErrorClass(a.error.name);
    const err = Cls ? new Cls(a.error.message) : new Error(a.error.message);
    if (!Cls) err.name = a.error.name;
    s.reject(err);
  }

  #fail(err: Error): void {
    if (this.#broken) return;
    this.#broken = err;
    this.#worker.terminate();
    for (const s of this.#settles.values()) s.reject(err);
    this.#settles.clear();
    for (const go of this.#waiting.splice(0)) go();
    this.#ops = [];
    this.#chunks = [];
    this.#bytes = 0;
  }
}
