/**
 * Deterministic zip archives and PEP 427 wheels, written with `@zip.js/zip.js`.
 *
 * Used by the fixture builder (`tools/build_fixtures.ts`) and the benchmark's
 * wheelhouse generator (`tools/bench/wheelhouse.ts`). The same input always
 * gives the same bytes: entries in the given order, a fixed timestamp, no
 * extended-timestamp extra fields, Unix modes, and zip.js' own deflate (not the
 * platform's `CompressionStream`).
 *
 * @module
 */

import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from "@zip.js/zip.js";

/** One file of an archive. Directories are implied by the paths. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading slash. */
  name: string;
  data: string | Uint8Array;
  /** Unix permission bits; default 0o644. */
  mode?: number;
}

/** 1980-01-01 00:00:00 UTC, the earliest date a zip can hold (wheel's own default). */
export const ZIP_EPOCH = 315532800;

const encoder = new TextEncoder();

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? encoder.encode(data) : data;
}

/** The raw MS-DOS date/time (date in the high 16 bits) of a UTC epoch second. */
function dosDateTime(epochSeconds: number): number {
  const d = new Date(Math.max(epochSeconds, ZIP_EPOCH) * 1000);
  const date = ((d.getUTCFullYear() - 1980) << 9) |
    ((d.getUTCMonth() + 1) << 5) |
    d.getUTCDate();
  const time = (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) |
    Math.floor(d.getUTCSeconds() / 2);
  return ((date << 16) | time) >>> 0;
}

/**
 * Builds a zip archive in memory, byte for byte reproducible.
 *
 * @example
 * ```ts
 * const bytes = await writeZip([{ name: "a/b.py", data: "x = 1\n" }]);
 * await Deno.writeFile("a.zip", bytes);
 * ```
 */
export async function writeZip(
  entries: ZipEntry[],
  o: { mtime?: number; level?: number } = {},
): Promise<Uint8Array> {
  const seconds = o.mtime ?? ZIP_EPOCH;
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    useWebWorkers: false,
    useCompressionStream: false,
    extendedTimestamp: false,
    dataDescriptor: false,
    keepOrder: true,
    level: o.level ?? 6,
  });
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw new Error(`duplicate zip entry ${e.name}`);
    seen.add(e.name);
    await writer.add(e.name, new Uint8ArrayReader(bytesOf(e.data)), {
      lastModDate: new Date(Math.max(seconds, ZIP_EPOCH) * 1000),
      rawLastModDate: dosDateTime(seconds),
      unixMode: 0o100000 | (e.mode ?? 0o644),
    });
  }
  return await writer.close();
}

/** What a wheel holds. */
export interface WheelSpec {
  /** Project name as written in METADATA (`Name:`). */
  name: string;
  version: string;
  /** Package files, path -> content (e.g. `greet/cli.py`). */
  files: Record<string, string | Uint8Array>;
  /** `Requires-Dist` lines (PEP 508), e.g. `colorword>=1.0`. */
  requires?: string[];
  /** Entry points by group, e.g. `{ console_scripts: { greet: "greet.cli:main" } }`. */
  entryPoints?: Record<string, Record<string, string>>;
  summary?: string;
  /** Compatibility tag triple; default `py3-none-any`. */
  tag?: string;
  requiresPython?: string;
  /** Write `top_level.txt` (default true; older wheel tools did not). */
  topLevelTxt?: boolean;
}

/**
 * PEP 427 escaping of the name or version components of a wheel file name.
 *
 * @example
 * ```ts
 * wheelEscape("my-pkg name"); // "my_pkg_name"
 * ```
 */
export function wheelEscape(part: string): string {
  return part.replace(/[^\w\d.]+/g, "_");
}

/**
 * The file name of a wheel (name normalised with `_`, as wheel tools write it).
 *
 * @example
 * ```ts
 * wheelFilename({ name: "zope.interface", version: "5.0", files: {} });
 * // "zope_interface-5.0-py3-none-any.whl"
 * ```
 */
export function wheelFilename(spec: WheelSpec): string {
  const name = wheelEscape(spec.name).replace(/[-_.]+/g, "_");
  return `${name}-${wheelEscape(spec.version)}-${
    spec.tag ?? "py3-none-any"
  }.whl`;
}

async function recordHash(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>),
  );
  let bin = "";
  for (const b of digest) bin += String.fromCharCode(b);
  return "sha256=" +
    btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function metadataText(spec: WheelSpec): string {
  const lines = [
    "Metadata-Version: 2.1",
    `Name: ${spec.name}`,
    `Version: ${spec.version}`,
    `Summary: ${spec.summary ?? `The ${spec.name} package`}`,
  ];
  if (spec.requiresPython) {
    lines.push(`Requires-Python: ${spec.requiresPython}`);
  }
  for (const r of spec.requires ?? []) lines.push(`Requires-Dist: ${r}`);
  return lines.join("\n") + "\n\n";
}

function entryPointsText(
  groups: Record<string, Record<string, string>>,
): string {
  return Object.entries(groups).map(([group, eps]) =>
    `[${group}]\n` +
    Object.entries(eps).map(([k, v]) => `${k} = ${v}\n`).join("")
  ).join("\n");
}

/**
 * Builds a wheel following PEP 427: package files first, then the
 * `.dist-info` folder with METADATA, WHEEL, entry_points.txt, top_level.txt and
 * RECORD (sha256 and size of every file, RECORD itself last).
 *
 * @example
 * ```ts
 * const { filename, bytes } = await buildWheel({
 *   name: "greet", version: "1.0",
 *   files: { "greet/__init__.py": "", "greet/cli.py": "def main():\n    print('hi')\n" },
 *   entryPoints: { console_scripts: { greet: "greet.cli:main" } },
 * });
 * ```
 */
export async function buildWheel(
  spec: WheelSpec,
  o: { mtime?: number } = {},
): Promise<{ filename: string; bytes: Uint8Array }> {
  const filename = wheelFilename(spec);
  const distInfo = filename.split("-").slice(0, 2).join("-") + ".dist-info";
  const tag = spec.tag ?? "py3-none-any";
  const pure = tag.endsWith("-none-any");
  const files: [string, Uint8Array][] = Object.keys(spec.files).sort().map((
    k,
  ) => [k, bytesOf(spec.files[k])]);
  const topLevel = [
    ...new Set(
      files.map(([k]) => k.split("/")[0].replace(/\.py$/, "")).filter((k) =>
        !k.endsWith(".data")
      ),
    ),
  ].sort();
  files.push([`${distInfo}/METADATA`, encoder.encode(metadataText(spec))]);
  files.push([
    `${distInfo}/WHEEL`,
    encoder.encode(
      `Wheel-Version: 1.0\nGenerator: buildout-deno wheel_writer\n` +
        `Root-Is-Purelib: ${pure}\nTag: ${tag}\n\n`,
    ),
  ]);
  if (spec.entryPoints && Object.keys(spec.entryPoints).length) {
    files.push([
      `${distInfo}/entry_points.txt`,
      encoder.encode(entryPointsText(spec.entryPoints)),
    ]);
  }
  if (spec.topLevelTxt !== false) {
    files.push([
      `${distInfo}/top_level.txt`,
      encoder.encode(topLevel.map((t) => t + "\n").join("")),
    ]);
  }
  const record: string[] = [];
  for (const [path, data] of files) {
    record.push(`${path},${await recordHash(data)},${data.length}`);
  }
  record.push(`${distInfo}/RECORD,,`);
  files.push([`${distInfo}/RECORD`, encoder.encode(record.join("\n") + "\n")]);
  const bytes = await writeZip(
    files.map(([name, data]) => ({ name, data })),
    o,
  );
  return { filename, bytes };
}

/**
 * Builds a wheel and writes it into `dir`; returns the file's path.
 *
 * @example
 * ```ts
 * const path = await writeWheel("fixtures/wheels", {
 *   name: "colorword", version: "1.1", files: { "colorword.py": "RED = 'red'\n" },
 * });
 * ```
 */
export async function writeWheel(
  dir: string,
  spec: WheelSpec,
  o: { mtime?: number } = {},
): Promise<string> {
  const { filename, bytes } = await buildWheel(spec, o);
  const path = `${dir}/${filename}`;
  await Deno.writeFile(path, bytes);
  return path;
}
