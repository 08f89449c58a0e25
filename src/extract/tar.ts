/**
 * Reading tar streams (plain, gzip'd, or decompressed by `bzip2`/`xz`):
 * small members are read whole, larger ones handed on as streams. The
 * decompressed stream is counted as it flows, so a bomb is refused before it
 * fills the disk: past `max-extract-size` bytes, or past `max-compression-ratio`
 * times the archive's size.
 *
 * @module
 */

import { createTarDecoder } from "modern-tar";
import { UserError } from "../errors.ts";
import { BadArchive, type RawEntry, reason } from "./entry.ts";
import { checkLimits, type ExtractLimits, LimitExceeded } from "./limits.ts";

/** Members up to this size are read whole. */
const SMALL = 1024 * 1024;

/**
 * Room allowed in the decompressed stream beyond the members' own bytes: tar's
 * headers and padding (per member), pax records, and what the decoder has
 * read ahead. Past it, the stream is refused (e.g. endless zero blocks).
 */
const OVERHEAD = 64 * 1024 * 1024;
const PER_MEMBER = 1536;

/** What the counting step and the entry loop share. */
interface Count {
  /** The member being read, for messages. */
  member: string;
  /** Decompressed stream bytes so far. */
  total: number;
  /** Bytes of the members seen so far, as their headers declare. */
  content: number;
  entries: number;
  refusal?: LimitExceeded;
}

/**
 * The entries of a tar stream. `compressedSize` is the archive file's size
 * (the ratio's denominator). A member is refused by its header when the
 * members' sizes would pass `maxExtractSize`, or the stream would pass the
 * ratio; the stream itself is counted as it flows, as a backstop.
 *
 * @example
 * ```ts
 * const f = await Deno.open("x.tar");
 * for await (const e of tarEntries(f.readable, DEFAULT_LIMITS, size)) console.log(e.name);
 * ```
 */
export async function* tarEntries(
  stream: ReadableStream<Uint8Array>,
  limits: ExtractLimits,
  compressedSize: number,
): AsyncGenerator<RawEntry> {
  const count: Count = { member: "", total: 0, content: 0, entries: 0 };
  const refuse = (f: () => void) => {
    try {
      f();
    } catch (e) {
      count.refusal ??= e as LimitExceeded;
      throw e;
    }
  };
  const counted = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, c) {
        count.total += chunk.length;
        const slack = OVERHEAD + PER_MEMBER * count.entries;
        refuse(() =>
          checkLimits(
            limits,
            count.member,
            Math.max(0, count.total - slack),
            count.total,
            compressedSize,
          )
        );
        c.enqueue(chunk);
      },
    }),
  );
  const bad = (e: unknown, member?: string) =>
    count.refusal ??
      new BadArchive(member ? `${member}: ${reason(e)}` : reason(e));
  const entries = counted.pipeThrough(createTarDecoder({ strict: true }));
  const it = entries[Symbol.asyncIterator]();
  let n = 0;
  while (true) {
    let step;
    try {
      step = await it.next();
    } catch (e) {
      throw bad(e);
    }
    if (step.done) break;
    n++;
    const { header, body } = step.value;
    const name = header.name;
    count.member = name;
    count.entries++;
    let consumed = false;
    const t = header.type ?? "file";
    const mode = header.mode !== undefined ? header.mode & 0o777 : undefined;
    if (t === "file") {
      // The header tells the size: refuse before reading a byte of it.
      const size = header.size ?? 0;
      count.content += size;
      refuse(() =>
        checkLimits(
          limits,
          name,
          count.content,
          count.total + size,
          compressedSize,
        )
      );
      const entry: RawEntry = { name, type: "file", mode };
      if ((header.size ?? 0) <= SMALL) {
        entry.data = async () => {
          consumed = true;
          try {
            return await new Response(body).bytes();
          } catch (e) {
            throw bad(e, name);
          }
        };
      } else {
        entry.stream = () => {
          consumed = true;
          return chunks(body, (e) => bad(e, name));
        };
      }
      yield entry;
    } else if (t === "directory") yield { name, type: "directory", mode };
    else if (t === "symlink" || t === "link") {
      yield { name, type: t, linkname: header.linkname ?? "" };
    } else yield { name, type: "other" };
    if (!consumed) {
      try {
        await body.cancel();
      } catch (e) {
        throw bad(e);
      }
    }
  }
  if (n === 0) throw new BadArchive("no entries");
}

async function* chunks(
  body: ReadableStream<Uint8Array>,
  bad: (e: unknown) => Error,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    while (true) {
      let step;
      try {
        step = await reader.read();
      } catch (e) {
        throw bad(e);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The entries of a `.tar.bz2`/`.tar.xz`, decompressed by the `bzip2`/`xz`
 * command. A missing command is a `UserError`.
 *
 * @example
 * ```ts
 * for await (const e of commandTarEntries("x.tar.xz", "xz", DEFAULT_LIMITS)) console.log(e.name);
 * ```
 */
export async function* commandTarEntries(
  file: string,
  command: "bzip2" | "xz",
  limits: ExtractLimits,
): AsyncGenerator<RawEntry> {
  const size = Deno.statSync(file).size;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args: ["-dc", file],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(
        `Cannot extract ${file}: the '${command}' command is needed for this archive and was not found on PATH.`,
      );
    }
    throw e;
  }
  const stderr = new Response(child.stderr).text();
  let ok = false;
  try {
    yield* tarEntries(child.stdout, limits, size);
    ok = true;
  } catch (e) {
    if (!(e instanceof BadArchive)) throw e;
    try {
      child.kill();
    } catch { /* already gone */ }
    const status = await child.status;
    const msg = (await stderr).trim().split("\n")[0];
    throw new BadArchive(!status.success && msg ? msg : e.message);
  } finally {
    if (!ok) {
      try {
        child.kill();
      } catch { /* already gone */ }
      await child.status;
      await stderr.catch(() => "");
    }
  }
  const status = await child.status;
  if (!status.success) {
    const msg = (await stderr).trim().split("\n")[0];
    throw new BadArchive(msg || `${command} exited with ${status.code}`);
  }
}
