/**
 * Reading a configuration file with a size limit: only regular files, at most
 * {@link MAX_CONFIG_BYTES}, so `extends = /dev/zero` or a FIFO is an error
 * rather than a hang or unbounded memory.
 *
 * @module
 */

/** The largest configuration file read: 16 MiB (real ones are a few KiB). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Why a configuration file was not read (the caller adds which file). */
export class ConfigFileRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigFileRefused";
  }
}

/**
 * The text of the configuration file at `path`. A missing file throws
 * `Deno.errors.NotFound`; a device, FIFO or folder, or a file over the limit,
 * throws {@link ConfigFileRefused}.
 *
 * @example
 * ```ts
 * const text = await readConfigFile("/w/buildout.cfg");
 * ```
 */
export async function readConfigFile(path: string): Promise<string> {
  const info = await Deno.stat(path);
  if (!info.isFile) {
    throw new ConfigFileRefused(
      info.isDirectory ? "it is a directory" : "it is not a regular file",
    );
  }
  const tooLarge = () =>
    new ConfigFileRefused(
      `it is larger than ${MAX_CONFIG_BYTES} bytes, the limit for configuration files`,
    );
  if (info.size > MAX_CONFIG_BYTES) throw tooLarge();
  const file = await Deno.open(path);
  try {
    // Sized for the file as it was; grown (to the limit) if it grows meanwhile.
    let buf = new Uint8Array(info.size + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > MAX_CONFIG_BYTES) throw tooLarge();
        const bigger = new Uint8Array(Math.min(n * 2, MAX_CONFIG_BYTES + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const got = await file.read(buf.subarray(n));
      if (got === null) break;
      n += got;
    }
    if (n > MAX_CONFIG_BYTES) throw tooLarge();
    return new TextDecoder().decode(buf.subarray(0, n));
  } finally {
    file.close();
  }
}
