/**
 * The wheel worker: runs {@link buildFromWheel} for the pool in
 * `wheel_pool.ts`, one job at a time, on its own thread. Once its modules are
 * loaded (the unpacking code with them) it posts `{ ready: true }`;
 * then it receives `{ id, job }` and answers `{ id, built }` or `{ id, error }`
 * (see `worker_errors.ts`). It has exactly the permissions of the main thread at
 * any moment (Deno's default for workers shares them: once the main thread
 * revokes its network access under install-from-cache, this worker has none
 * either) and uses only read and write.
 *
 * @example
 * ```ts
 * const w = new Worker(new URL("./wheel_worker.ts", import.meta.url).href, { type: "module" });
 * w.postMessage({ id: 1, job: { file, work, interp: { pyVersion: "3.11", platform: "linux-x86_64" } } });
 * ```
 *
 * @module
 */

import { buildFromWheel } from "./wheel.ts";
import { wireError } from "./worker_errors.ts";
import type { WheelJob } from "./wheel_pool.ts";

/** The worker's global scope, typed for what is used here. */
const scope = self as unknown as {
  onmessage: (e: MessageEvent<{ id: number; job: WheelJob }>) => void;
  postMessage(message: unknown): void;
};

/** Jobs run one after the other (the pool sends the next one ahead). */
let chain = Promise.resolve();

scope.onmessage = (e) => {
  chain = chain.then(() => runJob(e.data.id, e.data.job));
};

async function runJob(id: number, job: WheelJob): Promise<void> {
  try {
    const built = await buildFromWheel(
      job.file,
      job.work,
      job.interp,
      job.limits,
    );
    scope.postMessage({ id, built });
  } catch (err) {
    scope.postMessage({ id, error: wireError.encode(err) });
  }
}

scope.postMessage({ ready: true });
