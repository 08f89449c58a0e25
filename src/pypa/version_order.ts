/**
 * PEP 440 ordering of parsed versions, on the parts the parser already split
 * out, so that ordering two remembered versions parses nothing again: epoch,
 * then the release (trailing zeros do not count), then the pre-release (a
 * development release of a final sorts before its pre-releases, a final after
 * them), the post-release (none first), the development release (none last)
 * and the local label (none first; numeric parts after alphanumeric ones,
 * shorter first when one is a prefix of the other).
 *
 * @module
 */

import type { Pep440Version } from "@renovatebot/pep440";

const sign = (n: number) => n < 0 ? -1 : n > 0 ? 1 : 0;

function release(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return sign(d);
  }
  return 0;
}

const absent = (x: unknown) => x === null || x === undefined;

/** -1 (a development release with no pre or post part), 0 (has a pre part), 1 (else). */
function preTier(v: Pep440Version): number {
  if (!absent(v.pre)) return 0;
  return absent(v.post) && !absent(v.dev) ? -1 : 1;
}

function pre(a: Pep440Version, b: Pep440Version): number {
  const ta = preTier(a), tb = preTier(b);
  if (ta !== tb) return sign(ta - tb);
  if (ta !== 0) return 0;
  const [la, na] = a.pre, [lb, nb] = b.pre;
  if (la !== lb) return la < lb ? -1 : 1;
  return sign(Number(na) - Number(nb));
}

/** Compare optional numbers; `absentFirst`: a missing one sorts first, else last. */
function optional(
  a: string | number | null | undefined | (string | number)[],
  b: typeof a,
  absentFirst: boolean,
): number {
  const xa = absent(a), xb = absent(b);
  if (xa || xb) return xa === xb ? 0 : (xa === absentFirst ? -1 : 1);
  return sign(Number(a) - Number(b));
}

function local(a: string | null, b: string | null): number {
  if (!a || !b) return !a && !b ? 0 : !a ? -1 : 1;
  const pa = a.split("."), pb = b.split(".");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const na = Number(pa[i]), nb = Number(pb[i]);
    const numA = !Number.isNaN(na), numB = !Number.isNaN(nb);
    if (numA !== numB) return numA ? 1 : -1;
    if (numA) {
      if (na !== nb) return sign(na - nb);
    } else if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return sign(pa.length - pb.length);
}

/**
 * Order two parsed versions (negative, zero, positive); `publicOnly` leaves
 * the local labels out.
 *
 * @example
 * ```ts
 * import { explain } from "@renovatebot/pep440";
 * compareParsed(explain("1.0.dev1")!, explain("1.0a1")!); // -1
 * compareParsed(explain("1.0")!, explain("1.0.0")!); // 0
 * ```
 */
export function compareParsed(
  a: Pep440Version,
  b: Pep440Version,
  publicOnly = false,
): number {
  return sign(a.epoch - b.epoch) || release(a.release, b.release) ||
    pre(a, b) || optional(a.post, b.post, true) ||
    optional(a.dev, b.dev, false) ||
    (publicOnly ? 0 : local(a.local, b.local));
}

/**
 * True when two parsed versions have the same epoch and release (trailing
 * zeros aside): `1.0rc1`, `1.0` and `1.0.post2` do.
 *
 * @example
 * ```ts
 * sameRelease(explain("1.0rc1")!, explain("1.0.post2")!); // true
 * ```
 */
export function sameRelease(a: Pep440Version, b: Pep440Version): boolean {
  return a.epoch === b.epoch && release(a.release, b.release) === 0;
}
