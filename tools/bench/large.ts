/**
 * Memory against file size: one wheel holding a large deflated member and a
 * large stored one, installed cold from a local index and again from the
 * cache. Peak memory should stay where it is for small wheels: downloads
 * stream to disk while hashing and members stream from disk while inflating.
 *
 * @module
 */
import { join } from "node:path";
import { serveIndex } from "./index_server.ts";
import { buildout, type Measure, PYTHON } from "./measure.ts";

/** Writes the wheel with Python's zipfile, streaming (the bench holds none of it). */
const MAKE_WHEEL = `
import base64, hashlib, os, sys, zipfile
out, mib = sys.argv[1], int(sys.argv[2])
rows = []
def member(z, name, chunks, method):
    info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
    info.compress_type = method
    h, n = hashlib.sha256(), 0
    with z.open(info, "w", force_zip64=True) as w:
        for c in chunks:
            w.write(c); h.update(c); n += len(c)
    d = base64.urlsafe_b64encode(h.digest()).rstrip(b"=").decode()
    rows.append("%s,sha256=%s,%d" % (name, d, n))
def text(total):
    line = 0
    while total > 0:
        block = "".join("line %d of a large data file, compressible\\n" % (line + i)
                        for i in range(20000)).encode()
        line += 20000
        yield block[:total]; total -= len(block)
def noise(total):
    while total > 0:
        yield os.urandom(min(total, 1 << 20)); total -= 1 << 20
info = "big-1.0.dist-info"
with zipfile.ZipFile(out, "w") as z:
    member(z, "big/__init__.py", [b"SIZE = %d\\n" % mib], zipfile.ZIP_DEFLATED)
    member(z, "big/text.txt", text(mib << 19), zipfile.ZIP_DEFLATED)
    member(z, "big/noise.bin", noise(mib << 19), zipfile.ZIP_STORED)
    member(z, info + "/METADATA", [b"Metadata-Version: 2.1\\nName: big\\nVersion: 1.0\\n"], zipfile.ZIP_DEFLATED)
    member(z, info + "/WHEEL", [b"Wheel-Version: 1.0\\nGenerator: bench\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"], zipfile.ZIP_DEFLATED)
    rows.append(info + "/RECORD,,")
    z.writestr(info + "/RECORD", "\\n".join(r for r in rows if r) + "\\n")
`;

/** The large wheel's figures. */
export interface LargeRun {
  mib: number;
  cold: Measure;
  fromCache: Measure;
}

/**
 * Install one `mib`-MiB wheel (half deflated text, half stored noise) cold
 * from a local index, then from the cache.
 *
 * @example
 * ```ts
 * const r = await benchLarge("/tmp/benchfs/x", 512);
 * console.log(r.cold.maxRssMiB);
 * ```
 */
export async function benchLarge(root: string, mib: number): Promise<LargeRun> {
  const house = join(root, "large-house");
  await Deno.mkdir(house, { recursive: true });
  const made = await new Deno.Command(PYTHON, {
    args: ["-c", MAKE_WHEEL, join(house, "big-1.0-py3-none-any.whl"), `${mib}`],
  }).output();
  if (!made.success) throw new Error(new TextDecoder().decode(made.stderr));
  const index = await serveIndex(house);
  try {
    const dir = join(root, "large");
    await Deno.mkdir(dir);
    const cfg = (extra: string) =>
      `[buildout]\nparts = big\ndownload-cache = ${root}/large-cache\n` +
      `index = ${index.url}\nexecutable = ${PYTHON}\n${extra}\n\n` +
      `[big]\nrecipe = zc.recipe.egg\neggs = big\n`;
    await Deno.writeTextFile(join(dir, "buildout.cfg"), cfg(""));
    const cold = await buildout(dir);
    await Deno.remove(join(dir, "eggs"), { recursive: true });
    await Deno.writeTextFile(
      join(dir, "buildout.cfg"),
      cfg("install-from-cache = true"),
    );
    const fromCache = await buildout(dir);
    return { mib, cold, fromCache };
  } finally {
    await index.close();
  }
}
