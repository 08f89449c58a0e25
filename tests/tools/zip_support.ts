// Test helpers: read a zip's text entries, run python3.
import { BlobReader, TextWriter, ZipReader } from "@zip.js/zip.js";

/** Every file entry of a zip, name -> text. */
export async function zipTexts(path: string): Promise<Map<string, string>> {
  const reader = new ZipReader(
    new BlobReader(new Blob([await Deno.readFile(path)])),
  );
  const out = new Map<string, string>();
  for (const e of await reader.getEntries()) {
    if (!e.directory && e.getData) {
      out.set(e.filename, await e.getData(new TextWriter()));
    }
  }
  await reader.close();
  return out;
}

/** Runs python3; returns exit code and decoded output. */
export async function python(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command("python3", {
    args,
    env: { PYTHONDONTWRITEBYTECODE: "1", ...env },
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}
