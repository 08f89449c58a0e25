/**
 * The writer thread's worker (see `write_thread.ts`): it receives batches of
 * writes and does them in order, with exactly the permissions of the main
 * thread (Deno's default for workers). It imports nothing, so it starts in a
 * few milliseconds. Each batch is answered `{ id }`; a batch marked `settle`
 * is answered with the first failure since the previous one, if any
 * (`{ id, error: { name, message } }`), and writes after a failure are skipped
 * until then.
 *
 * @example
 * ```ts
 * const w = new Worker(new URL("./write_worker.ts", import.meta.url).href, { type: "module" });
 * w.postMessage({ id: 1, ops: [["d", "/tmp/x/pkg"]], settle: true });
 * ```
 *
 * @module
 */

/**
 * One write, as posted: its kind, then its arguments (`f`: path, mode, and
 * where its content starts and ends in the batch's data).
 */
export type Op =
  | ["d", string]
  | ["f", string, number, number, number]
  | ["m", string, number]
  | ["l", string, string]
  | ["c", string, string]
  | ["r", string];

interface Batch {
  id: number;
  ops: Op[];
  /** The contents of the batch's files, one after the other. */
  data?: ArrayBuffer;
  settle?: boolean;
}

const scope = self as unknown as {
  onmessage: (e: MessageEvent<Batch>) => void;
  postMessage(message: unknown): void;
};

/** The first failure since the last settle. */
let failed: { name: string; message: string } | undefined;

/**
 * Contents received are freed only when their (young) wrappers are
 * collected, and this thread allocates almost nothing else: so it collects
 * its young generation every {@link COLLECT_EVERY} bytes received, as the main
 * thread does (`src/memory.ts`; `--expose-gc` applies to workers too).
 */
const COLLECT_EVERY = 4 * 1024 * 1024;
let received = 0;
const gc = (globalThis as { gc?: (o: { type: string }) => void }).gc;

scope.onmessage = ({ data: batch }) => {
  if (!failed) {
    const bytes = batch.data ? new Uint8Array(batch.data) : undefined;
    try {
      for (const op of batch.ops) run(op, bytes);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      failed = { name: err.name, message: err.message };
    }
  }
  received += batch.data?.byteLength ?? 0;
  if (received >= COLLECT_EVERY && gc) {
    received = 0;
    // The batch's bytes are still referenced here: they go with the next one.
    gc({ type: "minor" });
  }
  if (batch.settle) {
    scope.postMessage({ id: batch.id, error: failed });
    failed = undefined;
  } else scope.postMessage({ id: batch.id });
};

function run(op: Op, bytes: Uint8Array | undefined): void {
  switch (op[0]) {
    case "d":
      return Deno.mkdirSync(op[1]);
    case "f":
      return Deno.writeFileSync(op[1], bytes!.subarray(op[3], op[4]), {
        mode: op[2],
      });
    case "m":
      return Deno.chmodSync(op[1], op[2]);
    case "l":
      return Deno.symlinkSync(op[1], op[2]);
    case "c":
      return Deno.copyFileSync(op[1], op[2]);
    case "r":
      return Deno.removeSync(op[1]);
  }
}
