/**
 * Test helpers for the OCI bundle tests: a small buildout with a hand-filled download cache,
 * digests.
 *
 * @module
 */
import { join } from "node:path";

/** A buildout with no parts and a hand-filled download cache. */
export async function smallBuildout(
  root: string,
  files: Record<string, string | Uint8Array>,
): Promise<string> {
  const b = join(root, "b");
  await Deno.mkdir(join(b, "downloads", "dist"), { recursive: true });
  await Deno.writeTextFile(
    join(b, "buildout.cfg"),
    "[buildout]\nparts =\ndownload-cache = downloads\n",
  );
  for (const [name, data] of Object.entries(files)) {
    await Deno.writeFile(
      join(b, "downloads", "dist", name),
      typeof data === "string" ? new TextEncoder().encode(data) : data,
    );
  }
  return b;
}

/** The first `(sha256:...)` in a command's output. */
export const digestOf = (stdout: string) =>
  /\((sha256:[0-9a-f]{64})\)/.exec(stdout)![1];
/** `sha256:<hex>` of a text. */
export const sha = async (s: string) =>
  "sha256:" + Array.from(
    new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)),
    ),
  ).map((b) => b.toString(16).padStart(2, "0")).join("");
