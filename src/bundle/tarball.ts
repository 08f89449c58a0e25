/**
 * Writing and reading the bundle's `.tar.gz` (modern-tar for tar, Compression/
 * DecompressionStream for gzip), streaming file contents.
 *
 * @module
 */
import { createTarDecoder, createTarPacker } from "modern-tar";
import { dirname, join } from "node:path";
import { UserError } from "../errors.ts";

/** One file to put in a bundle: either in-memory `data` or an on-disk `file`. */
export interface TarSource {
  /** Name inside the archive, `/`-separated, relative. */
  name: string;
  data?: Uint8Array;
  file?: string;
  mode?: number;
}

/**
 * Write `sources` (in order) as a gzip-compressed tar at `target`, atomically (temp + rename).
 *
 * @example
 * ```ts
 * await writeTarGz("/tmp/b.tar.gz", [{ name: "a.cfg", data: new TextEncoder().encode("[x]\n") }]);
 * ```
 */
export async function writeTarGz(
  target: string,
  sources: Iterable<TarSource> | AsyncIterable<TarSource>,
): Promise<void> {
  const tmp = join(dirname(target), `.${crypto.randomUUID()}.tmp`);
  const out = await Deno.open(tmp, { write: true, createNew: true });
  const { readable, controller } = createTarPacker();
  const written = readable.pipeThrough(new CompressionStream("gzip")).pipeTo(
    out.writable,
  );
  try {
    for await (const s of sources) {
      if (s.file !== undefined) {
        const f = await Deno.open(s.file);
        const st = await f.stat();
        const body = controller.add({
          name: s.name,
          size: st.size,
          mode: s.mode ?? (st.mode ?? 0o644) & 0o777,
          mtime: st.mtime ?? undefined,
          type: "file",
        });
        await f.readable.pipeTo(body);
      } else {
        const data = s.data ?? new Uint8Array();
        const body = controller.add({
          name: s.name,
          size: data.length,
          mode: s.mode ?? 0o644,
          type: "file",
        });
        const w = body.getWriter();
        await w.write(data);
        await w.close();
      }
    }
    controller.finalize();
    await written;
    await Deno.rename(tmp, target);
  } catch (err) {
    controller.error(err);
    await written.catch(() => {});
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}

/** A file entry read from a bundle; `body` must be consumed (or cancelled) before the next. */
export interface TarFile {
  name: string;
  mode: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * The file entries of a `.tar.gz`, in order (directories and links are skipped, names
 * lose a leading `./`). A damaged archive is a UserError naming the file.
 *
 * @example
 * ```ts
 * for await (const f of readTarGz("b.tar.gz")) console.log(f.name, await new Response(f.body).text());
 * ```
 */
export async function* readTarGz(file: string): AsyncGenerator<TarFile> {
  const f = await Deno.open(file);
  const entries = f.readable
    .pipeThrough(new DecompressionStream("gzip"))
    .pipeThrough(createTarDecoder({ strict: true }));
  try {
    for await (const e of entries) {
      const type = e.header.type ?? "file";
      if (type !== "file") {
        await e.body.cancel();
        continue;
      }
      yield {
        name: e.header.name.replace(/^(\.\/)+/, ""),
        mode: e.header.mode ?? 0o644,
        body: e.body,
      };
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `${file} is not a valid bundle (.tar.gz): ${
        err instanceof Error ? err.message : err
      }`,
    );
  }
}
