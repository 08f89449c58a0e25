/**
 * `.mr.developer.cfg` in the buildout folder: which sources are used as
 * develop eggs (`[develop]` with `name = true|false|auto`), written by the
 * tool, never by hand. Other sections of the file are kept as they are.
 *
 * @module
 */
import { join } from "node:path";
import { UserError } from "../errors.ts";

/** A source's develop state: activated, deactivated, or activated by auto-checkout. */
export type DevelopState = true | false | "auto";

/** The file's contents. */
export interface StateFile {
  path: string;
  develop: Map<string, DevelopState>;
  /** Text of the sections other than `[develop]`, kept on save. */
  others: string;
}

/** The state file's name. */
export const STATE_FILE = ".mr.developer.cfg";

/**
 * Read `.mr.developer.cfg` of a buildout folder (an empty state when missing).
 *
 * @example
 * ```ts
 * const st = await readState("/w");
 * st.develop.get("pkg"); // "auto"
 * ```
 */
export async function readState(directory: string): Promise<StateFile> {
  const path = join(directory, STATE_FILE);
  const develop = new Map<string, DevelopState>();
  let text = "";
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const others: string[] = [];
  let section = "";
  for (const line of text.split("\n")) {
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) section = header[1].trim();
    if (section !== "develop") {
      if (line.trim() || others.length) others.push(line);
      continue;
    }
    const m = /^([^\s=:][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (header || !m) continue;
    const value = m[2].trim().toLowerCase();
    if (value === "true") develop.set(m[1], true);
    else if (value === "false") develop.set(m[1], false);
    else if (value === "auto") develop.set(m[1], "auto");
    else {
      throw new UserError(
        `Invalid value in 'develop' section of '${path}'`,
      );
    }
  }
  return { path, develop, others: others.join("\n").trim() };
}

/**
 * Write the state back (names sorted), only when the text changes.
 *
 * @example
 * ```ts
 * st.develop.set("pkg", true);
 * await saveState(st);
 * ```
 */
export async function saveState(st: StateFile): Promise<void> {
  const lines = ["[develop]"];
  for (const name of [...st.develop.keys()].sort()) {
    lines.push(`${name} = ${String(st.develop.get(name))}`);
  }
  const text = lines.join("\n") + "\n" +
    (st.others ? "\n" + st.others + "\n" : "");
  const old = await Deno.readTextFile(st.path).catch(() => undefined);
  if (old !== text) await Deno.writeTextFile(st.path, text);
}
