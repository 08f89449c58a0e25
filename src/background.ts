/**
 * Work a run starts in the background (sdist builds started ahead of the
 * installer) registers here how to stop it; the `install` command settles it
 * all before it ends, failed or not, so nothing keeps running or writing
 * after the run: queued work is dropped, running work is stopped and its
 * temporary files removed.
 *
 * @module
 */

type Settle = () => Promise<void>;
const pending = new Set<Settle>();

/**
 * Register how to stop a piece of background work.
 *
 * @example
 * ```ts
 * onSettle(() => builds.close());
 * ```
 */
export function onSettle(settle: Settle): void {
  pending.add(settle);
}

/**
 * Stop all registered background work and wait until it has stopped.
 *
 * @example
 * ```ts
 * try { await runInstall(open, args); } finally { await settleBackground(); }
 * ```
 */
export async function settleBackground(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.allSettled(all.map((settle) => settle()));
}
