/**
 * Installing a wheel natively (no pip) as an egg-style folder:
 *
 * `<Name>-<version>-py<X.Y>[-<platform>].egg/` holds the wheel's root (package
 * files, `purelib`/`platlib` merged in) and its `.dist-info` unchanged, which
 * both `importlib.metadata` and `pkg_resources` read from a `sys.path` entry
 * (so no `EGG-INFO/` copy is written). The other `.data/` schemes (`scripts`, `headers`,
 * `data`) stay in `<name>-<version>.data/` inside the folder: nothing is copied
 * to bin/ or to a prefix (the egg recipe writes console scripts from entry
 * points and `.data/scripts/` as distutils scripts). The platform
 * suffix is added only for wheels whose tags are not all platform `any`.
 *
 * @module
 */

import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { extractArchive } from "../extract/archive.ts";
import { eggFolderName, normalizeName } from "../pypa/name.ts";
import { filesView, topLevelNamesIn } from "../pypa/toplevel.ts";
import { parseDistFilename } from "../pypa/filename.ts";
import { parseMetadata } from "../pypa/metadata.ts";
import { parseRecord } from "../pypa/record.ts";
import { existsSync, moveInto, removeTree } from "../fsutil.ts";
import { type Seen, verifyRecord } from "./record.ts";
import type { ContentSink } from "../extract/archive.ts";
import type { Writes } from "../extract/writes.ts";
import type { ExtractLimits } from "../extract/limits.ts";
import { createHash, type Hash } from "node:crypto";
import {
  type DistInfoTexts,
  readDistInfoFile,
  type TargetPython,
} from "./metadata.ts";

/** What a builder leaves in its work folder: the egg folder and its final name. */
export interface Built {
  /** The finished folder, inside the work folder. */
  dir: string;
  /** Its name in the eggs directory. */
  folderName: string;
  name: string;
  version: string;
  /** A wheel's `.dist-info` texts, as unpacked (so they are not read back). */
  distInfo?: DistInfoTexts;
}

/**
 * Unpack and check `file` (a `.whl`) into the existing, empty folder `work`,
 * returning the egg folder.
 * Damaged wheels (bad zip, RECORD mismatch, missing metadata) and members
 * past `limits` raise `UserError`. With `writes` (a writer thread), files may
 * still be being written when this returns: the caller awaits
 * `writes.settled()` before using the folder, failed or not.
 *
 * @example
 * ```ts
 * const built = await buildFromWheel("/cache/dist/demo-1.0-py3-none-any.whl", work, interp);
 * built.folderName; // "demo-1.0-py3.11.egg"
 * ```
 */
export async function buildFromWheel(
  file: string,
  work: string,
  interp: Pick<TargetPython, "pyVersion" | "platform">,
  limits?: ExtractLimits,
  writes?: Writes,
): Promise<Built> {
  const wheel = basename(file);
  const parsed = parseDistFilename(wheel);
  if (parsed?.kind !== "wheel") {
    throw new UserError(`${wheel} is not a wheel file name.`);
  }
  // `work` is private and renamed into place by the caller: extract into it.
  const root = work;
  const seen = new Map<string, Seen>();
  const texts = new Map<string, string>();
  const tops = new Set(
    (await extractArchive(file, root, {
      direct: true,
      onFile: (name) => new Seeing(name, seen, texts),
      limits,
      writes,
    })).map((t) => basename(t)),
  );
  // What is read from the folder is read once it is all written.
  const onDisk = async () => {
    await writes?.settled();
  };
  const distInfo = findDistInfo(wheel, tops, seen);
  const dip = join(root, distInfo);
  const text = (name: string) => texts.get(`${distInfo}/${name}`);
  const required = async (name: string) =>
    text(name) ?? (await onDisk(), readRequired(dip, name, wheel));
  const wheelInfo = parseMetadata(await required("WHEEL"));
  const wv = wheelInfo.headers["wheel-version"]?.[0] ?? "";
  if (!/^1(\.|$)/.test(wv)) {
    throw new UserError(
      `${wheel} has Wheel-Version '${wv}'; only version 1 wheels are supported.`,
    );
  }
  const record = parseRecord(await required("RECORD"));
  if (record.some((r) => r.hash && !hashedAs(seen, r.path, r.hash))) {
    await onDisk();
  }
  verifyRecord(root, record, wheel, seen);
  const base = distInfo.slice(0, -".dist-info".length);
  if (tops.has(base + ".data")) await onDisk();
  await mergeDataSchemes(root, base, tops);
  if (text("METADATA") === undefined) await onDisk();
  const meta = readDistInfoFile(dip, wheel, text("METADATA"));
  // The top-level names from the files just written, not from listings of
  // them (the scripts of the part ask for them).
  const data = `${distInfo.slice(0, -".dist-info".length)}.data/`;
  const files = [...seen.keys()].map((f) =>
    f.startsWith(data) ? f.replace(/^[^/]+\/(purelib|platlib)\//, "") : f
  );
  const key = normalizeName(meta.name);
  const topLevel = [...topLevelNamesIn(key, false, filesView(files, texts))];
  const pure = (parsed.tags ?? []).every((t) => t.endsWith("-any"));
  return {
    dir: root,
    folderName: eggFolderName(
      meta.name,
      meta.version,
      interp.pyVersion,
      pure ? undefined : interp.platform,
    ),
    name: meta.name,
    version: meta.version,
    distInfo: {
      dir: distInfo,
      metadata: meta.metadataText,
      entryPoints: text("entry_points.txt"),
      topLevel,
    },
  };
}

/** The `.dist-info` files read again after unpacking, kept as text while written. */
const KEPT =
  /^[^/]+\.dist-info\/(WHEEL|RECORD|METADATA|entry_points\.txt|top_level\.txt)$/;
/** Larger ones are read back from disk instead. */
const KEPT_MAX = 4 * 1024 * 1024;

/**
 * Hashes a file's content (sha256, what RECORDs use) as it is written, so no
 * member's bytes outlive its extraction; the few `.dist-info` files read
 * afterwards ({@link KEPT}) are also kept as text.
 */
class Seeing implements ContentSink {
  private readonly hash: Hash = createHash("sha256");
  private size = 0;
  private kept?: Uint8Array[];

  constructor(
    readonly name: string,
    readonly seen: Map<string, Seen>,
    readonly texts: Map<string, string>,
  ) {
    if (KEPT.test(name)) this.kept = [];
  }

  update(chunk: Uint8Array): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (!this.kept) return;
    if (this.size > KEPT_MAX) this.kept = undefined;
    else this.kept.push(chunk.slice());
  }

  end(): void {
    const sha256 = "sha256=" + this.hash.digest("base64url");
    this.seen.set(this.name, { size: this.size, sha256 });
    if (!this.kept) return;
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.kept) {
      bytes.set(c, at);
      at += c.length;
    }
    this.texts.set(this.name, new TextDecoder().decode(bytes));
  }
}

/** Whether `path` was hashed while unpacked, with an algorithm `hash` uses. */
function hashedAs(seen: Map<string, Seen>, path: string, hash: string) {
  return hash.startsWith("sha256=") && seen.has(path);
}

/**
 * The one `.dist-info` folder among the unpacked top-level entries: one
 * with files in it (a link of that name has none of its own).
 */
function findDistInfo(
  wheel: string,
  tops: Set<string>,
  seen: Map<string, Seen>,
): string {
  const holders = new Set<string>();
  for (const path of seen.keys()) {
    const slash = path.indexOf("/");
    if (slash > 0) holders.add(path.slice(0, slash));
  }
  const found = [...tops].filter((name) =>
    name.endsWith(".dist-info") && holders.has(name)
  );
  if (found.length !== 1) {
    throw new UserError(
      `${wheel} is damaged: expected one .dist-info folder, found ${found.length}.`,
    );
  }
  return found[0];
}

function readRequired(
  dir: string,
  name: string,
  wheel: string,
): string {
  try {
    return Deno.readTextFileSync(join(dir, name));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(`${wheel} is damaged: it has no ${name} file.`);
    }
    throw e;
  }
}

/**
 * Merge `<base>.data/purelib` and `platlib` into the root; drop an empty
 * `.data`. Nothing is asked of the disk when the wheel has no `.data`.
 */
async function mergeDataSchemes(
  root: string,
  base: string,
  tops: Set<string>,
): Promise<void> {
  if (!tops.has(base + ".data")) return;
  const data = join(root, base + ".data");
  for (const scheme of ["purelib", "platlib"]) {
    const dir = join(data, scheme);
    if (existsSync(dir)) await moveInto(dir, root);
  }
  let empty = true;
  for await (const _ of Deno.readDir(data)) empty = false;
  if (empty) await removeTree(data);
}
