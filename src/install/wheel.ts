/**
 * Installing a wheel natively (no pip) as an egg-style folder:
 *
 * `<Name>-<version>-py<X.Y>[-<platform>].egg/` holds the wheel's root (package
 * files, `purelib`/`platlib` merged in), its `.dist-info` unchanged, and an
 * `EGG-INFO/` written from it (`PKG-INFO` = `METADATA`, `requires.txt` from
 * `Requires-Dist`, `entry_points.txt`, `top_level.txt`,
 * `namespace_packages.txt`). The other `.data/` schemes (`scripts`, `headers`,
 * `data`) stay in `<name>-<version>.data/` inside the folder: nothing is copied
 * to bin/ or to a prefix (console scripts come from entry points). The platform
 * suffix is added only for wheels whose tags are not all platform `any`.
 *
 * @module
 */

import { basename, join } from "node:path";
import { UserError } from "../errors.ts";
import { extractArchive } from "../extract/archive.ts";
import { eggFolderName } from "../dist/name.ts";
import { parseDistFilename } from "../dist/filename.ts";
import { parseMetadata, parseRecord } from "../dist/metadata.ts";
import { exists, moveInto, removeTree } from "./fsutil.ts";
import { verifyRecord } from "./record.ts";
import { requiresTxt } from "./requires_txt.ts";
import { readDistInfoFile, type TargetPython } from "./metadata.ts";

/** What a builder leaves in its work folder: the egg folder and its final name. */
export interface Built {
  /** The finished folder, inside the work folder. */
  dir: string;
  /** Its name in the eggs directory. */
  folderName: string;
  name: string;
  version: string;
}

/**
 * Unpack and check `file` (a `.whl`) into `work`, returning the egg folder.
 * Damaged wheels (bad zip, RECORD mismatch, missing metadata) raise `UserError`.
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
): Promise<Built> {
  const wheel = basename(file);
  const parsed = parseDistFilename(wheel);
  if (parsed?.kind !== "wheel") {
    throw new UserError(`${wheel} is not a wheel file name.`);
  }
  const root = join(work, "wheel");
  await extractArchive(file, root);
  const distInfo = await findDistInfo(root, wheel);
  const dip = join(root, distInfo);
  const wheelInfo = parseMetadata(await readRequired(dip, "WHEEL", wheel));
  const wv = wheelInfo.headers["wheel-version"]?.[0] ?? "";
  if (!/^1(\.|$)/.test(wv)) {
    throw new UserError(
      `${wheel} has Wheel-Version '${wv}'; only version 1 wheels are supported.`,
    );
  }
  const record = parseRecord(await readRequired(dip, "RECORD", wheel));
  verifyRecord(root, record, wheel);
  await mergeDataSchemes(root, distInfo.slice(0, -".dist-info".length));
  const meta = await readDistInfoFile(dip, wheel);
  await writeEggInfo(root, distInfo, meta.metadataText, meta.requiresDist);
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
  };
}

async function findDistInfo(root: string, wheel: string): Promise<string> {
  const found: string[] = [];
  for await (const e of Deno.readDir(root)) {
    if (e.isDirectory && e.name.endsWith(".dist-info")) found.push(e.name);
  }
  if (found.length !== 1) {
    throw new UserError(
      `${wheel} is damaged: expected one .dist-info folder, found ${found.length}.`,
    );
  }
  return found[0];
}

async function readRequired(
  dir: string,
  name: string,
  wheel: string,
): Promise<string> {
  try {
    return await Deno.readTextFile(join(dir, name));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(`${wheel} is damaged: it has no ${name} file.`);
    }
    throw e;
  }
}

/** Merge `<base>.data/purelib` and `platlib` into the root; drop an empty `.data`. */
async function mergeDataSchemes(root: string, base: string): Promise<void> {
  const data = join(root, base + ".data");
  if (!await exists(data)) return;
  for (const scheme of ["purelib", "platlib"]) {
    const dir = join(data, scheme);
    if (await exists(dir)) await moveInto(dir, root);
  }
  let empty = true;
  for await (const _ of Deno.readDir(data)) empty = false;
  if (empty) await removeTree(data);
}

/** Write `EGG-INFO/` so the folder also reads as a classic egg. */
async function writeEggInfo(
  root: string,
  distInfo: string,
  metadataText: string,
  requiresDist: string[],
): Promise<void> {
  const eggInfo = join(root, "EGG-INFO");
  await Deno.mkdir(eggInfo, { recursive: true });
  await Deno.writeTextFile(join(eggInfo, "PKG-INFO"), metadataText);
  const req = requiresTxt(requiresDist);
  if (req) await Deno.writeTextFile(join(eggInfo, "requires.txt"), req);
  for (const name of ["entry_points.txt", "namespace_packages.txt"]) {
    const src = join(root, distInfo, name);
    if (await exists(src)) await Deno.copyFile(src, join(eggInfo, name));
  }
  const tops = join(root, distInfo, "top_level.txt");
  if (await exists(tops)) {
    await Deno.copyFile(tops, join(eggInfo, "top_level.txt"));
  } else {
    await Deno.writeTextFile(
      join(eggInfo, "top_level.txt"),
      (await topLevelNames(root)).map((n) => n + "\n").join(""),
    );
  }
}

/** Importable top-level names found in the root (packages and modules). */
async function topLevelNames(root: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(root)) {
    if (e.name === "EGG-INFO" || /\.(dist-info|data)$/.test(e.name)) continue;
    if (e.isDirectory && /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) {
      names.push(e.name);
    } else if (e.isFile) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(\.py|\..*\.so|\.so|\.pyd)$/.exec(
        e.name,
      );
      if (m) names.push(m[1]);
    }
  }
  return [...new Set(names)].sort();
}
