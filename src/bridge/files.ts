/**
 * The compatibility layer on disk: the Python sources of `compat_py.ts`,
 * `easy_install_py.ts` and `recipe_egg_py.ts`, written once into `<eggs-directory>/.bridge/<hash>/`
 * (the hash of the sources, so a new version of the tool gets a new folder).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { COMPAT_PY } from "./compat_py.ts";
import { SERVER_PY } from "./easy_install_py.ts";
import { RECIPE_EGG_PY } from "./recipe_egg_py.ts";

/** Every file of the layer: relative path -> source. */
export const BRIDGE_FILES: Record<string, string> = {
  ...COMPAT_PY,
  ...SERVER_PY,
  ...RECIPE_EGG_PY,
};

async function sourcesHash(): Promise<string> {
  const text = JSON.stringify(Object.entries(BRIDGE_FILES).sort());
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return [...new Uint8Array(digest).slice(0, 8)].map((b) =>
    b.toString(16).padStart(2, "0")
  ).join("");
}

/**
 * The folder holding the layer (written when missing; a finished folder is
 * never changed, it is renamed into place whole).
 *
 * @example
 * ```ts
 * await bridgeFolder("/b/eggs"); // "/b/eggs/.bridge/3f2a9c0d11e4b7a2"
 * ```
 */
export async function bridgeFolder(eggsDirectory: string): Promise<string> {
  const dir = join(eggsDirectory, ".bridge", await sourcesHash());
  try {
    await Deno.stat(join(dir, "_buildout_bridge.py"));
    return dir;
  } catch {
    // written below
  }
  await Deno.mkdir(dirname(dir), { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: dirname(dir), prefix: ".tmp-" });
  for (const [rel, text] of Object.entries(BRIDGE_FILES)) {
    await Deno.mkdir(dirname(join(tmp, rel)), { recursive: true });
    await Deno.writeTextFile(join(tmp, rel), text);
  }
  try {
    await Deno.rename(tmp, dir);
  } catch {
    // another run got there first
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
  return dir;
}
