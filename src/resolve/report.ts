/**
 * The end of a run: the picked versions, shown (`show-picked-versions`) and
 * appended to the `update-versions-file`.
 *
 * @module
 */

import type { Settings } from "../config/settings.ts";
import {
  pickedVersionsWritten,
  showPickedVersions,
  versionsFileAppendText,
} from "../find/versions.ts";
import { session } from "./session.ts";

/**
 * Print and/or record the versions this run had to pick.
 *
 * @example
 * ```ts
 * await reportPickedVersions(settings); // "Versions had to be automatically picked." ...
 * ```
 */
export async function reportPickedVersions(settings: Settings): Promise<void> {
  const picked = session(settings).picked;
  if (!picked.size) return;
  const block = picked.block();
  if (settings.showPickedVersions) {
    for (const line of showPickedVersions(block)) settings.log.print(line);
  }
  const file = settings.updateVersionsFile;
  if (file) {
    const exists = await Deno.stat(file).then(() => true, () => false);
    await Deno.writeTextFile(file, versionsFileAppendText(block, exists), {
      append: true,
    });
    settings.log.print(
      pickedVersionsWritten(settings.updateVersionsFileName ?? file),
    );
  }
}
