/**
 * The OCI side of `bundle`, `verify` and `install-bundle`: targets `oci://HOST/REPO:TAG` (a
 * registry) and `oci-layout:DIR` (an OCI image layout folder). `bundle.ts` dispatches here.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { BundleContents } from "../bundle/bundle.ts";
import type { Verification } from "../bundle/bundle.ts";
import { describeProblem } from "../bundle/manifest.ts";
import { buildArtifact } from "../oci/build.ts";
import { RegistryClient } from "../oci/client.ts";
import { type ArtifactSource, openLayout, writeLayout } from "../oci/layout.ts";
import { fetchArtifact, type Fetched } from "../oci/pull.ts";
import { pushArtifact, registrySource } from "../oci/push.ts";
import { formatOciRef, type OciRef, parseOciRef } from "../oci/ref.ts";
import type { CliIO } from "./io.ts";

function target(s: string, cwd: string): OciRef {
  const r = parseOciRef(s);
  if (r.kind === "layout" && !isAbsolute(r.dir)) r.dir = resolve(cwd, r.dir);
  return r;
}

/**
 * Push bundle contents to a registry, or write them into a layout folder; returns the line
 * to print.
 *
 * @example
 * ```ts
 * await writeOciBundle("oci://localhost:5000/app:1", contents, undefined, io);
 * // "Pushed oci://localhost:5000/app:1 (sha256:...): 3 blob(s) sent, 0 in chunks, 9 already present."
 * ```
 */
export async function writeOciBundle(
  output: string,
  contents: BundleContents,
  created: string | undefined,
  io: CliIO,
): Promise<string> {
  const ref = target(output, io.cwd);
  const a = await buildArtifact(contents, created);
  if (ref.kind === "layout") {
    const n = await writeLayout(ref.dir, a);
    return `Wrote ${formatOciRef(ref)} (${a.digest}): ${n} blob(s) written, ` +
      `${a.blobs.length - n} already there.`;
  }
  if (ref.reference.startsWith("sha256:")) {
    throw new UserError(`${output}: push to a tag, not a digest`);
  }
  const r = await pushArtifact(new RegistryClient(ref, io.env, "pull,push"), a);
  return `Pushed ${formatOciRef(ref)} (${r.digest}): ${r.sent} blob(s) sent, ` +
    `${r.chunked} in chunks, ${r.present} already present.`;
}

async function source(s: string, io: CliIO): Promise<ArtifactSource> {
  const ref = target(s, io.cwd);
  return ref.kind === "layout"
    ? await openLayout(ref.dir)
    : registrySource(new RegistryClient(ref, io.env, "pull"));
}

function verification(src: ArtifactSource, f: Fetched): Verification {
  return {
    manifestPath: `${src.name} (${f.digest})`,
    checked: f.checked,
    problems: f.problems,
  };
}

/**
 * Fetch an OCI bundle into a temporary folder, check every digest and its `MANIFEST`, and
 * remove the folder again.
 *
 * @example
 * ```ts
 * (await verifyOciBundle("oci-layout:/media/usb/app", io)).problems; // []
 * ```
 */
export async function verifyOciBundle(
  s: string,
  io: CliIO,
): Promise<Verification> {
  const src = await source(s, io);
  const tmp = await Deno.makeTempDir({ prefix: "buildout-verify-" });
  try {
    return verification(src, await fetchArtifact(src, tmp));
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

/**
 * Fetch and check an OCI bundle, then move it into `dir` (nothing is moved when any check
 * fails); returns the main configuration file's path.
 *
 * @example
 * ```ts
 * await unpackOciBundle("oci://localhost:5000/app:1", "/srv/app", io); // "/srv/app/buildout.cfg"
 * ```
 */
export async function unpackOciBundle(
  s: string,
  dir: string,
  io: CliIO,
): Promise<{ config: string; line: string }> {
  const src = await source(s, io);
  await Deno.mkdir(dir, { recursive: true });
  const work = await Deno.makeTempDir({ dir, prefix: ".bundle-" });
  try {
    const f = await fetchArtifact(src, work);
    for (const p of f.problems) io.stdout(describeProblem(p));
    if (f.problems.length) {
      throw new UserError(
        `${src.name} does not match its MANIFEST; nothing installed.`,
      );
    }
    for await (const e of Deno.readDir(work)) {
      const to = join(dir, e.name);
      await Deno.remove(to, { recursive: true }).catch(() => {});
      await Deno.rename(join(work, e.name), to);
    }
    return {
      config: join(dir, f.main),
      line: `Pulled ${src.name} (${f.digest}) into ${dir}.`,
    };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}
