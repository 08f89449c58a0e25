/**
 * Writing generated scripts: only when the content changed, atomically, executable.
 *
 * @module
 */

import { writeFileAtomic } from "../fsutil.ts";
import { UserError } from "../errors.ts";

const SCRIPT_MODE = 0o755;

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    if (e instanceof Deno.errors.IsADirectory) {
      throw new UserError(`Cannot write script '${path}': it is a directory.`);
    }
    throw e;
  }
}

/**
 * Writes a script unless the file already holds exactly `content`. A new
 * content goes to a temporary file beside the target, gets mode 0755, and is
 * renamed over the target, so a reader never sees a half-written script.
 * Returns true when the file was (re)written; the caller then logs
 * `Generated script '<path>'.`. An unchanged script that lost its execute bits
 * gets them back without counting as a change.
 *
 * @example
 * ```ts
 * if (await writeScript("/b/bin/demo", text)) log.info(`Generated script '/b/bin/demo'.`);
 * ```
 */
export async function writeScript(
  path: string,
  content: string,
): Promise<boolean> {
  const existing = await readExisting(path);
  if (existing === content) {
    const mode = (await Deno.stat(path)).mode ?? SCRIPT_MODE;
    if ((mode & 0o111) === 0) await Deno.chmod(path, SCRIPT_MODE);
    return false;
  }
  await writeFileAtomic(path, content, { mode: SCRIPT_MODE });
  return true;
}
