/**
 * One run at a time in a buildout folder: an exclusive lock on
 * `<directory>/.buildout.lock`, held by the operating system (released when
 * the process ends, however it ends); the file is removed on release. A second run waits, saying so once, or
 * gives up after `[buildout] lock-timeout` seconds.
 *
 * @module
 */
import { join } from "../path.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** The lock file's name inside the buildout directory. */
export const LOCK_FILE = ".buildout.lock";

/** How often a waiting run tries again. */
const POLL_MS = 100;

/**
 * Parse `lock-timeout`: empty waits as long as it takes, else seconds >= 0.
 *
 * @example
 * ```ts
 * parseLockTimeout(""); // undefined
 * parseLockTimeout("2.5"); // 2.5
 * ```
 */
export function parseLockTimeout(value: string): number | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) {
    throw new UserError(`Invalid value for 'lock-timeout' option: '${value}'`);
  }
  return n;
}

/**
 * Take the folder's run lock; resolves to a function that releases it.
 *
 * @example
 * ```ts
 * const release = await acquireRunLock("/b", undefined, log);
 * try { await runInstall(open, []); } finally { release(); }
 * ```
 */
export async function acquireRunLock(
  directory: string,
  timeoutSeconds: number | undefined,
  log: Logger,
): Promise<() => void> {
  const path = join(directory, LOCK_FILE);
  const started = Date.now();
  let said = false;
  for (;;) {
    const file = await Deno.open(path, {
      read: true,
      write: true,
      create: true,
    });
    try {
      if (await file.tryLock(true)) {
        // The holder before us removes the file as it releases: a lock on a
        // file no longer at `path` guards nothing, so start again.
        if (sameFile(await file.stat(), path)) {
          // Who holds it, for the message of a waiting run; best effort (a
          // full disk must not stop a run that has nothing to write).
          await file.truncate(0).catch(() => {});
          await file.write(new TextEncoder().encode(`${Deno.pid}\n`))
            .catch(() => {});
          return () => {
            try {
              Deno.removeSync(path);
            } catch {
              // already gone: the lock goes with the descriptor anyway
            }
            file.close();
          };
        }
        file.close();
        continue;
      }
      const holder = await holderOf(path);
      const waited = (Date.now() - started) / 1000;
      if (timeoutSeconds !== undefined && waited >= timeoutSeconds) {
        throw new UserError(
          `Another buildout run${holder} is still working in '${directory}' ` +
            `after ${timeoutSeconds} seconds (lock-timeout); try again later.`,
        );
      }
      if (!said) {
        log.warn(
          `Another buildout run${holder} is working in '${directory}'; waiting for it to finish.`,
        );
        said = true;
      }
    } catch (err) {
      file.close();
      throw err;
    }
    file.close();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function sameFile(info: Deno.FileInfo, path: string): boolean {
  try {
    const now = Deno.statSync(path);
    return now.ino === info.ino && now.dev === info.dev;
  } catch {
    return false;
  }
}

async function holderOf(path: string): Promise<string> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const pid = text.trim();
  return /^\d+$/.test(pid) ? ` (pid ${pid})` : "";
}
