/**
 * Wheel extraction on several cores: jobs ({@link buildFromWheel} into a
 * private work folder) run on the main thread, one at a time, and on Web
 * Workers (`wheel_worker.ts`) started only once enough jobs are waiting.
 *
 * Why these numbers (measured on the shared 2-core machine of issue 12, Deno
 * 2.9, the 201 wheels of `deno task bench`): one small wheel costs 2.5-3 ms
 * of CPU on the main thread and about the same in a worker; a worker costs
 * 60-70 ms of CPU in its own thread (a new V8 isolate loading and compiling the
 * install modules and, then, zip.js), 140-250 ms before it is ready, and 15-25 MiB.
 * A worker only pays when a few dozen wheels wait, so a run installing one
 * wheel, a handful, or nothing (a no-op rerun) never starts one
 * ({@link SPAWN_BACKLOG}). The main thread mostly waits for the wheel it needs
 * next, so it is a lane itself and workers fill the other cores. On 2 cores,
 * though, one worker did not shorten the install (alternated runs, medians of 8:
 * 2.20 s and 1.60 s CPU with it, 1.45 s and 1.27 s CPU without, 1.73 s and 1.19
 * s CPU before this change; max RSS +25 MiB): the main thread keeps one core
 * busy already (resolution, renames, metadata), and the worker's start and its
 * second JIT warm-up eat what it saves. So workers start only from
 * {@link MIN_CORES} cores up (see {@link defaultWorkers}).
 *
 * What does pay on 2 cores is handing the main thread's writes to a writer
 * thread (`extract/write_thread.ts`, started once {@link WRITER_BACKLOG}
 * wheels wait): Deno's permission check makes each folder and file cost the
 * thread that asks 60-70 µs. The main thread goes on with the next wheel as
 * soon as one's writes are asked for; a job ends when its writes are done.
 *
 * @module
 */

import type { ExtractLimits } from "../extract/limits.ts";
import type { TargetPython } from "./metadata.ts";
import type { Built } from "./wheel.ts";
import type { WireError } from "./worker_errors.ts";
import type { WriteThread } from "../extract/write_thread.ts";

/** One wheel to unpack: plain data, sent to a worker as it is. */
export interface WheelJob {
  file: string;
  /** A new, empty folder private to this job. */
  work: string;
  interp: Pick<TargetPython, "pyVersion" | "platform">;
  limits?: ExtractLimits;
}

/** Options of {@link WheelPool}. */
export interface WheelPoolOptions {
  /** At most this many workers (default {@link defaultWorkers}). */
  workers?: number;
  /** Jobs waiting (beyond the main thread's) before a worker starts (default {@link SPAWN_BACKLOG}). */
  backlog?: number;
  /** Jobs waiting before the writer thread starts (default {@link WRITER_BACKLOG}; 0: never). */
  writerBacklog?: number;
}

/**
 * Waiting jobs that start a worker: at ~3 ms a wheel, 24 wheels are about the
 * CPU and the wait a worker costs before its first job.
 */
export const SPAWN_BACKLOG = 24;

/**
 * Jobs sent to a worker ahead: its next job is already there when it
 * answers, instead of waiting for the main thread to read the answer.
 */
const DEPTH = 2;

/**
 * Wheels waiting (beyond the main thread's) when the main thread starts one
 * that start the writer thread (`extract/write_thread.ts`): at ~0.7 ms of
 * writes a wheel handed over, a dozen wheels pay for the ~25 ms it blocks
 * this thread to start. 0 never starts it.
 */
export const WRITER_BACKLOG = 12;

/** The fewest cores on which workers are started by default. */
export const MIN_CORES = 4;

/**
 * Workers a pool may start by default: cores - 1 (the main thread is a lane
 * too) from {@link MIN_CORES} cores up, else none.
 *
 * @example
 * ```ts
 * defaultWorkers(8); // 7
 * defaultWorkers(2); // 0
 * ```
 */
export function defaultWorkers(
  cores: number = navigator.hardwareConcurrency || 1,
): number {
  return cores >= MIN_CORES ? cores - 1 : 0;
}

/** Raised for jobs still queued when the pool closes. */
export class PoolClosed extends Error {
  constructor() {
    super("the wheel pool was closed");
    this.name = "PoolClosed";
  }
}

interface Pending {
  job: WheelJob;
  resolve: (b: Built) => void;
  reject: (e: unknown) => void;
}

/** What a worker posts: `ready` once, then one answer per job. */
interface Answer {
  ready?: boolean;
  id?: number;
  built?: Built;
  error?: WireError;
}

interface Lane {
  worker: Worker;
  /** The worker has loaded its modules and said so. */
  ready: boolean;
  /** Jobs sent and not answered, by id (at most {@link DEPTH}). */
  sent: Map<number, { pending: Pending; done: () => void }>;
}

/**
 * A pool of wheel jobs for one resolution; {@link WheelPool.close} ends it.
 *
 * @example
 * ```ts
 * const pool = new WheelPool();
 * try {
 *   const built = await pool.run({ file, work, interp });
 * } finally {
 *   await pool.close(); // waits for running jobs, then stops the workers
 * }
 * ```
 */
export class WheelPool {
  #queue: Pending[] = [];
  #mainBusy = false;
  #lanes: Lane[] = [];
  #running = new Set<Promise<void>>();
  #closed = false;
  #broken = false;
  #nextId = 1;
  #tick?: ReturnType<typeof setTimeout>;
  readonly #max: number;
  readonly #backlog: number;
  readonly #writerBacklog: number;
  /** The main thread's writer thread, once started. */
  #writes?: Promise<WriteThread | undefined>;

  constructor(o: WheelPoolOptions = {}) {
    this.#max = o.workers ?? defaultWorkers();
    this.#backlog = o.backlog ?? SPAWN_BACKLOG;
    this.#writerBacklog = o.writerBacklog ?? WRITER_BACKLOG;
  }

  /** How many workers were started (0 until the backlog called for one). */
  get workersStarted(): number {
    return this.#lanes.length;
  }

  /** Unpack `job.file` into `job.work` (see {@link buildFromWheel}). */
  run(job: WheelJob): Promise<Built> {
    if (this.#closed) return Promise.reject(new PoolClosed());
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#dispatch();
    });
  }

  /** Move the queued job for `file`, if any, to the front (it is needed now). */
  first(file: string): void {
    const i = this.#queue.findIndex((p) => p.job.file === file);
    if (i > 0) this.#queue.unshift(...this.#queue.splice(i, 1));
  }

  /**
   * Refuse new jobs, drop the queued ones (they reject with
   * {@link PoolClosed}), wait for the running ones to finish writing, then
   * stop the workers.
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new PoolClosed());
    while (this.#running.size) await Promise.allSettled([...this.#running]);
    clearTimeout(this.#tick);
    for (const lane of this.#lanes) lane.worker.terminate();
    this.#lanes = [];
    (await this.#writes)?.close();
    this.#writes = undefined;
  }

  /** Whether the main thread's writes went to the writer thread. */
  get writerStarted(): boolean {
    return this.#writes !== undefined;
  }

  #dispatch(): void {
    while (this.#queue.length && !this.#closed) {
      if (!this.#mainBusy) {
        this.#onMain(this.#queue.shift()!);
        continue;
      }
      const lane = this.#lanes.find((l) => l.ready && l.sent.size < DEPTH);
      if (!lane) break;
      this.#onWorker(lane, this.#queue.shift()!);
    }
    // A worker starts for each full backlog still waiting; it takes jobs
    // once it has loaded (until then the main thread keeps working).
    const starting = this.#lanes.filter((l) => !l.ready).length;
    let wanted = Math.floor(this.#queue.length / this.#backlog) - starting;
    while (wanted-- > 0 && this.#spawn());
  }

  #track(): () => void {
    let done!: () => void;
    const p = new Promise<void>((r) => done = r);
    this.#running.add(p);
    return () => {
      this.#running.delete(p);
      done();
    };
  }

  #onMain(p: Pending): void {
    this.#mainBusy = true;
    const done = this.#track();
    const { file, work, interp, limits } = p.job;
    if (
      !this.#writes && this.#writerBacklog > 0 &&
      this.#queue.length >= this.#writerBacklog
    ) {
      // Without it (it could not start), the writes stay on this thread.
      this.#writes = import("../extract/write_thread.ts")
        .then((m) => new m.WriteThread())
        .catch(() => undefined);
    }
    let released = false;
    const release = () => {
      if (!released) this.#release();
      released = true;
    };
    // The unpacking code is loaded with the first wheel (a no-op loads none).
    Promise.all([import("./wheel.ts"), this.#writes]).then(
      async ([m, writes]) => {
        let built: Built;
        try {
          built = await m.buildFromWheel(file, work, interp, limits, writes);
        } catch (err) {
          // The folder is removed by the caller: only once its writes are done.
          const written = writes?.settled().catch(() => {});
          release();
          await written;
          throw err;
        }
        // The next job starts while this one's files are being written.
        const written = writes?.settled();
        release();
        await written;
        return built;
      },
    ).then(p.resolve, p.reject).finally(() => {
      release();
      done();
    });
  }

  /** The main thread is free for the next job. */
  #release(): void {
    this.#mainBusy = false;
    // A job on this thread may never yield to the event loop (its reads
    // and writes can all be synchronous), so with workers about, let
    // their messages (ready, answers) in before the next one.
    if (!this.#lanes.length) this.#dispatch();
    else {
      this.#tick ??= setTimeout(() => {
        this.#tick = undefined;
        this.#dispatch();
      }, 0);
    }
  }

  #spawn(): Lane | undefined {
    if (this.#broken || this.#lanes.length >= this.#max || this.#closed) {
      return undefined;
    }
    const worker = new Worker(
      new URL("./wheel_worker.ts", import.meta.url).href,
      { type: "module" },
    );
    const lane: Lane = { worker, ready: false, sent: new Map() };
    worker.onmessage = (e: MessageEvent<Answer>) => {
      if (e.data.ready) {
        lane.ready = true;
        this.#dispatch();
        return;
      }
      const cur = lane.sent.get(e.data.id!);
      if (!cur) return;
      lane.sent.delete(e.data.id!);
      const settle = e.data.error
        ? import("./worker_errors.ts").then(({ wireError }) =>
          cur.pending.reject(wireError.decode(e.data.error!))
        )
        : Promise.resolve(cur.pending.resolve(e.data.built!));
      settle.finally(() => {
        cur.done();
        this.#dispatch();
      });
    };
    // The worker itself failed (it could not load, or crashed): its job fails
    // as an internal error and no further worker is started.
    const failed = (message: string) => {
      this.#broken = true;
      worker.terminate();
      this.#lanes = this.#lanes.filter((l) => l !== lane);
      for (const cur of lane.sent.values()) {
        cur.pending.reject(new Error(`The wheel worker failed: ${message}`));
        cur.done();
      }
      lane.sent.clear();
      this.#dispatch();
    };
    worker.onerror = (e) => {
      e.preventDefault();
      failed(e.message);
    };
    worker.onmessageerror = () => failed("a message could not be read");
    this.#lanes.push(lane);
    return lane;
  }

  #onWorker(lane: Lane, pending: Pending): void {
    const id = this.#nextId++;
    lane.sent.set(id, { pending, done: this.#track() });
    lane.worker.postMessage({ id, job: pending.job });
  }
}
