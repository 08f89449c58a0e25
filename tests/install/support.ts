/**
 * Test helpers: build tiny zips, tars, wheels and eggs on the fly.
 *
 * @module
 */

import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from "@zip.js/zip.js";
import { packTar, type TarEntry } from "modern-tar";
import type { TargetPython } from "../../src/install/metadata.ts";

/** One member of a test archive. */
export interface Member {
  name: string;
  content?: string | Uint8Array;
  mode?: number;
  type?: "file" | "directory" | "symlink" | "link";
  linkname?: string;
}

const enc = new TextEncoder();
const bytesOf = (c: string | Uint8Array | undefined) =>
  typeof c === "string" ? enc.encode(c) : c ?? new Uint8Array();

/**
 * Write a zip archive.
 *
 * @example
 * ```ts
 * await makeZip("/tmp/x.zip", [{ name: "a.txt", content: "hi" }]);
 * ```
 */
export async function makeZip(path: string, members: Member[]): Promise<void> {
  const out = new Uint8ArrayWriter();
  const zw = new ZipWriter(out, { useWebWorkers: false });
  for (const m of members) {
    const type = m.type ?? "file";
    if (type === "directory") {
      await zw.add(m.name, undefined, {
        directory: true,
        unixMode: m.mode ?? 0o755,
      });
    } else if (type === "symlink") {
      await zw.add(m.name, new Uint8ArrayReader(enc.encode(m.linkname!)), {
        unixMode: 0o120777,
      });
    } else {
      await zw.add(m.name, new Uint8ArrayReader(bytesOf(m.content)), {
        unixMode: m.mode ?? 0o644,
      });
    }
  }
  await Deno.writeFile(path, await zw.close());
}

/**
 * Write a tar archive, optionally compressed (gz natively, bz2/xz through the
 * system commands).
 *
 * @example
 * ```ts
 * await makeTar("/tmp/x.tar.gz", [{ name: "a.txt", content: "hi" }], "gz");
 * ```
 */
export async function makeTar(
  path: string,
  members: Member[],
  compression?: "gz" | "bz2" | "xz",
): Promise<void> {
  const entries: TarEntry[] = members.map((m) => {
    const type = m.type ?? "file";
    const body = type === "file" ? bytesOf(m.content) : undefined;
    return {
      header: {
        name: m.name,
        size: body?.length ?? 0,
        type,
        mode: m.mode ?? (type === "directory" ? 0o755 : 0o644),
        linkname: m.linkname,
      },
      body,
    };
  });
  let data: Uint8Array = await packTar(entries);
  if (compression === "gz") {
    const s = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      new CompressionStream("gzip"),
    );
    data = await new Response(s).bytes();
  } else if (compression) {
    const cmd = compression === "bz2" ? "bzip2" : "xz";
    const child = new Deno.Command(cmd, {
      args: ["-c"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(data);
    await w.close();
    data = (await child.output()).stdout;
  }
  await Deno.writeFile(path, data);
}

/** Description of a test wheel. */
export interface WheelSpec {
  name: string;
  version: string;
  tag?: string;
  files: Record<string, string>;
  metadata?: string[];
  entryPoints?: string;
  /** Extra members written as-is (not in RECORD unless `record` says so). */
  extra?: Member[];
  /** Replace RECORD lines: path -> raw line. */
  recordOverride?: Record<string, string>;
}

function encodeBase64Url(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function sha256(data: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest(
    "SHA-256",
    data as Uint8Array<ArrayBuffer>,
  );
  return "sha256=" + encodeBase64Url(new Uint8Array(d));
}

/**
 * Write a wheel with a correct RECORD into `dir`; returns its path.
 *
 * @example
 * ```ts
 * await makeWheel(dir, { name: "demo", version: "1.0", files: { "demo.py": "" } });
 * ```
 */
export async function makeWheel(dir: string, w: WheelSpec): Promise<string> {
  const tag = w.tag ?? "py3-none-any";
  const base = `${w.name.replace(/[-_.]+/g, "_")}-${w.version}`;
  const di = `${base}.dist-info`;
  const files: Record<string, string> = { ...w.files };
  files[`${di}/METADATA`] = [
    "Metadata-Version: 2.1",
    `Name: ${w.name}`,
    `Version: ${w.version}`,
    ...(w.metadata ?? []),
    "",
    "A test distribution.",
    "",
  ].join("\n");
  files[`${di}/WHEEL`] =
    `Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: ${
      tag.endsWith("any") ? "true" : "false"
    }\nTag: ${tag}\n`;
  if (w.entryPoints) files[`${di}/entry_points.txt`] = w.entryPoints;
  const record: string[] = [];
  const members: Member[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = enc.encode(content);
    record.push(
      w.recordOverride?.[name] ??
        `${name},${await sha256(data)},${data.length}`,
    );
    members.push({ name, content: data });
  }
  record.push(`${di}/RECORD,,`);
  members.push({ name: `${di}/RECORD`, content: record.join("\n") + "\n" });
  members.push(...(w.extra ?? []));
  const path = `${dir}/${base}-${tag}.whl`;
  await makeZip(path, members);
  return path;
}

/**
 * Write an `.egg` zip with EGG-INFO into `dir`; returns its path.
 *
 * @example
 * ```ts
 * await makeEgg(dir, "demo", "0.2", { "demo.py": "" }, { "requires.txt": "x\n" });
 * ```
 */
export async function makeEgg(
  dir: string,
  name: string,
  version: string,
  files: Record<string, string>,
  eggInfo: Record<string, string> = {},
  py = "3.11",
): Promise<string> {
  const members: Member[] = Object.entries(files).map(([n, c]) => ({
    name: n,
    content: c,
  }));
  members.push({
    name: "EGG-INFO/PKG-INFO",
    content: `Metadata-Version: 1.0\nName: ${name}\nVersion: ${version}\n`,
  });
  for (const [n, c] of Object.entries(eggInfo)) {
    members.push({ name: `EGG-INFO/${n}`, content: c });
  }
  const path = `${dir}/${name}-${version}-py${py}.egg`;
  await makeZip(path, members);
  return path;
}

/** Recursively list a folder: relative paths, folders with a trailing `/`. */
export async function tree(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  const names: Deno.DirEntry[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e);
  names.sort((a, b) => a.name < b.name ? -1 : 1);
  for (const e of names) {
    const rel = prefix + e.name;
    if (e.isDirectory) {
      out.push(rel + "/");
      out.push(...await tree(`${dir}/${e.name}`, rel + "/"));
    } else out.push(rel);
  }
  return out;
}

/** A fixed stand-in for python3.11 on linux-x86_64 (no process needed). */
export const INTERP: TargetPython = {
  executable: "python3",
  pyVersion: "3.11",
  platform: "linux-x86_64",
  markerEnv: {
    python_version: "3.11",
    python_full_version: "3.11.7",
    os_name: "posix",
    sys_platform: "linux",
    platform_system: "Linux",
    platform_machine: "x86_64",
    platform_release: "6.1",
    platform_version: "#1",
    platform_python_implementation: "CPython",
    implementation_name: "cpython",
    implementation_version: "3.11.7",
  },
};
