/**
 * The install journal: before a part's `install()` runs, what `bin/` and
 * `parts/` held and which paths the recipe is about to create are written to
 * `<directory>/.buildout.journal`; once the part is recorded in
 * `.installed.cfg` the journal is removed. A run killed in between leaves the
 * journal behind, and the next run removes what the interrupted install left
 * (so it installs afresh instead of stopping at `Target ... already exists`).
 *
 * @module
 */
import { basename, dirname, join, resolve } from "../path.ts";
import { writeFileAtomic } from "../fsutil.ts";

/** The journal's file name inside the buildout directory. */
export const JOURNAL_FILE = ".buildout.journal";

/** What an install in progress may leave behind. */
export interface JournalEntry {
  part: string;
  /** Folder -> the names it held before the install began. */
  before: Record<string, string[]>;
  /** Paths the recipe was about to create (they did not exist). */
  pending: string[];
}

/**
 * The journal of one buildout directory.
 *
 * @example
 * ```ts
 * const j = new Journal("/b");
 * const left = await j.interrupted(); // an entry a killed run left, or undefined
 * await j.begin({ part: "app", before: { "/b/bin": ["a"] }, pending: [] });
 * await j.end();
 * ```
 */
export class Journal {
  readonly path: string;
  constructor(directory: string) {
    this.path = join(directory, JOURNAL_FILE);
  }

  /** Record an install about to run (atomically). */
  async begin(entry: JournalEntry): Promise<void> {
    // `<journal>.<pid>.tmp`: what a killed run leaves is swept below.
    await writeFileAtomic(this.path, JSON.stringify(entry), {
      temp: `${this.path}.${Deno.pid}.tmp`,
    });
  }

  /** The install finished and is recorded (or cleaned up): forget it. */
  async end(): Promise<void> {
    await Deno.remove(this.path).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }

  /** The entry a killed run left behind, if any (an unreadable one counts as none). */
  async interrupted(): Promise<JournalEntry | undefined> {
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
    try {
      const e = JSON.parse(text) as JournalEntry;
      if (typeof e.part === "string" && e.before && Array.isArray(e.pending)) {
        return e;
      }
    } catch {
      // a journal cut short: nothing reliable to act on
    }
    return undefined;
  }
}

/**
 * What an interrupted install left: entries of the watched folders that were
 * not there before it, and its pending paths.
 *
 * @example
 * ```ts
 * await leftovers({ part: "x", before: { "/b/parts": [] }, pending: [] }); // ["/b/parts/x"]
 * ```
 */
export async function leftovers(entry: JournalEntry): Promise<string[]> {
  const found = new Set<string>();
  for (const [dir, names] of Object.entries(entry.before)) {
    const had = new Set(names);
    try {
      for await (const e of Deno.readDir(dir)) {
        if (!had.has(e.name)) found.add(join(dir, e.name));
      }
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
  }
  for (const p of entry.pending) {
    if (await Deno.lstat(p).then(() => true, () => false)) found.add(p);
  }
  return [...found].sort();
}

/**
 * Temporary `.installed.cfg` files of killed runs (`.<name>.<pid>.tmp` beside
 * it); with the folder's run lock held, any of them is stale.
 *
 * @example
 * ```ts
 * await sweepInstalledTemps("/b/.installed.cfg"); // removes /b/..installed.cfg.123.tmp
 * ```
 */
export async function sweepInstalledTemps(installed: string): Promise<void> {
  const dir = dirname(resolve(installed));
  const prefix = `.${basename(installed)}.`;
  const journalTemp = `${JOURNAL_FILE}.`;
  try {
    for await (const e of Deno.readDir(dir)) {
      const stale =
        (e.name.startsWith(prefix) || e.name.startsWith(journalTemp)) &&
        e.name.endsWith(".tmp");
      if (e.isFile && stale) {
        await Deno.remove(join(dir, e.name)).catch(() => {});
      }
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}
