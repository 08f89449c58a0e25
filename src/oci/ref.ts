/**
 * Parsing the OCI targets of the bundle commands: `oci://HOST[:PORT]/REPO[:TAG|@DIGEST]` (a
 * registry) and `oci-layout:DIR` (an OCI image layout folder).
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** A repository in a registry and a tag or digest in it. */
export interface RegistryRef {
  kind: "registry";
  /** `host` or `host:port`. */
  host: string;
  repo: string;
  /** A tag, or a `sha256:...` digest. */
  reference: string;
}

/** An OCI image layout folder (relative paths are resolved by the caller). */
export interface LayoutRef {
  kind: "layout";
  dir: string;
}

/** Either OCI target. */
export type OciRef = RegistryRef | LayoutRef;

const REPO =
  /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * True when `s` names an OCI target rather than a file.
 *
 * @example
 * ```ts
 * isOciTarget("oci://localhost:5000/app:1"); // true
 * isOciTarget("app.tar.gz"); // false
 * ```
 */
export function isOciTarget(s: string): boolean {
  return s.startsWith("oci://") || s.startsWith("oci-layout:");
}

/**
 * Parse an OCI target; a malformed one is a one-line UserError. The tag defaults to `latest`.
 *
 * @example
 * ```ts
 * parseOciRef("oci://localhost:5000/team/app:1.0");
 * // { kind: "registry", host: "localhost:5000", repo: "team/app", reference: "1.0" }
 * parseOciRef("oci-layout:/media/usb/app"); // { kind: "layout", dir: "/media/usb/app" }
 * ```
 */
export function parseOciRef(s: string): OciRef {
  if (s.startsWith("oci-layout:")) {
    const dir = s.slice("oci-layout:".length);
    if (!dir) throw new UserError(`${s}: oci-layout: needs a folder`);
    return { kind: "layout", dir };
  }
  const bad = (why: string) =>
    new UserError(
      `${s}: not a registry reference (oci://HOST[:PORT]/REPO[:TAG|@sha256:DIGEST]): ${why}`,
    );
  const rest = s.slice("oci://".length);
  const slash = rest.indexOf("/");
  if (slash <= 0) throw bad("no repository");
  const host = rest.slice(0, slash);
  let path = rest.slice(slash + 1);
  let reference = "latest";
  const at = path.indexOf("@");
  if (at >= 0) {
    reference = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(reference)) throw bad(`bad digest ${reference}`);
  } else {
    const colon = path.lastIndexOf(":");
    if (colon > path.lastIndexOf("/")) {
      reference = path.slice(colon + 1);
      path = path.slice(0, colon);
      if (!TAG.test(reference)) throw bad(`bad tag ${reference}`);
    }
  }
  if (!/^[A-Za-z0-9.-]+(:[0-9]+)?$|^\[[0-9a-fA-F:]+\](:[0-9]+)?$/.test(host)) {
    throw bad(`bad host ${host}`);
  }
  if (!REPO.test(path)) throw bad(`bad repository name ${path}`);
  return { kind: "registry", host, repo: path, reference };
}

/**
 * The display form of a target.
 *
 * @example
 * ```ts
 * formatOciRef({ kind: "registry", host: "h:1", repo: "a", reference: "t" }); // "oci://h:1/a:t"
 * ```
 */
export function formatOciRef(r: OciRef): string {
  if (r.kind === "layout") return `oci-layout:${r.dir}`;
  const sep = r.reference.startsWith("sha256:") ? "@" : ":";
  return `oci://${r.host}/${r.repo}${sep}${r.reference}`;
}
