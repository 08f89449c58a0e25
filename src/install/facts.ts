/**
 * What the run learnt from an eggs directory's egg folders (parsed metadata,
 * top-level names), remembered in `<eggs>/.facts/` (a hidden folder, like the
 * eggs directory's other state) so that the next run does not read and parse
 * every folder's metadata again. One file per buildout (named by a hash of its
 * directory), holding the eggs that buildout used: an eggs directory shared by
 * many buildouts may hold thousands of eggs, of which a run reads only its
 * own; a file no run has written for 90 days is removed. An installed egg
 * folder does not change once in place; each entry still carries the folder's
 * identity (inode and modification time) and is used only while that matches,
 * so a folder removed and installed again is read afresh. The file is a cache:
 * unreadable, of another format or not writable, it is ignored.
 *
 * @module
 */

import { onSettle } from "../background.ts";
import { sweepStale } from "../fsutil.ts";
import { basename, join } from "../path.ts";
import { VERSION } from "../version.ts";
import { sha256Hex } from "../sha256.ts";
import { isObject } from "./fact_shapes.ts";

/**
 * Bump when what is remembered changes meaning (metadata or top-level-name
 * parsing), so that older files are not used.
 */
const FORMAT = `2:${VERSION}`;
const FOLDER = ".facts";
/** A buildout's facts file not written for this long belongs to none still used. */
const UNUSED_MS = 90 * 24 * 3600 * 1000;

interface Entry {
  id: string;
  facts: Record<string, unknown>;
}

function identity(folder: string): string | undefined {
  try {
    const st = Deno.statSync(folder);
    return `${st.ino}:${st.mtime?.getTime()}`;
  } catch {
    return undefined;
  }
}

/**
 * The remembered facts of one eggs directory's folders.
 *
 * @example
 * ```ts
 * const facts = eggFacts("/b/eggs");
 * facts.remember("/b/eggs/demo-0.2-py3.11.egg", "links", () => ["x"], isStrings);
 * ```
 */
export class EggFacts {
  #entries?: Map<string, Entry>;
  #ids = new Map<string, string | undefined>();
  #dirty = false;

  /**
   * The facts of eggs directory `dir` kept in `.facts/<file>`.
   */
  constructor(readonly dir: string, readonly file = "facts.json") {}

  #load(): Map<string, Entry> {
    if (this.#entries) return this.#entries;
    this.#entries = new Map();
    try {
      const data = JSON.parse(
        Deno.readTextFileSync(join(this.dir, FOLDER, this.file)),
      );
      if (data?.format === FORMAT && isObject(data.folders)) {
        for (const [name, e] of Object.entries(data.folders)) {
          if (isObject(e)) this.#entries.set(name, e as unknown as Entry);
        }
      }
    } catch {
      // Missing or unreadable: learnt again.
    }
    return this.#entries;
  }

  /**
   * The fact `field` of egg folder `folder` (in this directory): remembered,
   * or `compute()`d and remembered. The value must be plain JSON data and is
   * shared: callers do not change it. A remembered value `valid` refuses is
   * computed again.
   */
  remember<T>(
    folder: string,
    field: string,
    compute: () => T,
    valid: (v: unknown) => boolean,
  ): T {
    const name = basename(folder);
    if (!this.#ids.has(name)) this.#ids.set(name, identity(folder));
    const id = this.#ids.get(name);
    if (id === undefined) return compute();
    const entries = this.#load();
    let entry = entries.get(name);
    if (
      entry?.id === id && isObject(entry.facts) && valid(entry.facts[field])
    ) {
      return entry.facts[field] as T;
    }
    const value = compute();
    if (entry?.id !== id || !isObject(entry.facts)) {
      entries.set(name, entry = { id, facts: {} });
    }
    entry.facts[field] = value;
    this.#dirty = true;
    return value;
  }

  /**
   * Write what was learnt (atomically: a reader sees the old file or the new
   * one), keeping only the folders still there. Failures are ignored.
   */
  save(): void {
    if (!this.#dirty || !this.#entries) return;
    this.#dirty = false;
    const folder = join(this.dir, FOLDER);
    const tmp = join(folder, `.tmp-${crypto.randomUUID().slice(0, 8)}`);
    try {
      Deno.mkdirSync(folder, { recursive: true });
      const present = new Set(
        [...Deno.readDirSync(this.dir)].map((e) => e.name),
      );
      const folders: Record<string, Entry> = {};
      for (const [name, e] of this.#entries) {
        if (present.has(name)) folders[name] = e;
      }
      Deno.writeTextFileSync(tmp, JSON.stringify({ format: FORMAT, folders }));
      Deno.renameSync(tmp, join(folder, this.file));
      // A run killed while writing left its temporary file: gone after a day;
      // the files of buildouts that are gone, after 90 days.
      sweepStale(folder, (n) => n.startsWith(".tmp-"));
      sweepStale(folder, (n) => n.endsWith(".json"), UNUSED_MS);
    } catch {
      try {
        Deno.removeSync(tmp);
      } catch {
        // never written
      }
    }
  }
}

const stores = new Map<string, EggFacts>();

/**
 * The facts store of eggs directory `dir` for the buildout in directory
 * `owner` (given by the first call of a run, which scans the directory): one
 * per directory per run, saved and forgotten when the run settles its
 * background work (`settleBackground`).
 *
 * @example
 * ```ts
 * eggFacts("/b/eggs", "/b").remember("/b/eggs/demo-0.2-py3.11.egg", "x", () => 1, Number.isInteger);
 * ```
 */
export function eggFacts(dir: string, owner?: string): EggFacts {
  let s = stores.get(dir);
  if (!s) {
    const file = owner === undefined
      ? "facts.json"
      : `${sha256Hex(owner).slice(0, 16)}.json`;
    const made = s = new EggFacts(dir, file);
    stores.set(dir, made);
    onSettle(() => {
      if (stores.get(dir) === made) stores.delete(dir);
      made.save();
      return Promise.resolve();
    });
  }
  return s;
}
