/**
 * The `input-encoding` / `output-encoding` of the template recipe.
 *
 * @module
 */
import { UserError } from "../../errors.ts";

/**
 * Decode template bytes; an unknown encoding or undecodable bytes are a UserError.
 *
 * @example
 * ```ts
 * decodeText(new Uint8Array([0x68, 0xe9]), "latin-1"); // "hé"
 * ```
 */
export function decodeText(bytes: Uint8Array, encoding: string): string {
  const l = label(encoding);
  if (l === "latin1" || l === "ascii") {
    // WHATWG decoders read these labels as windows-1252: decode byte by byte
    if (l === "ascii" && bytes.some((b) => b > 0x7f)) {
      throw new UserError(`The template is not valid ${encoding} text.`);
    }
    let out = "";
    for (const b of bytes) out += String.fromCharCode(b);
    return out;
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(l, { fatal: true });
  } catch {
    throw new UserError(`Unknown encoding: ${encoding}`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new UserError(`The template is not valid ${encoding} text.`);
  }
}

/**
 * Encode output text: UTF-8, Latin-1 or ASCII; characters the encoding lacks
 * are a UserError.
 *
 * @example
 * ```ts
 * encodeText("hé", "latin-1"); // Uint8Array [0x68, 0xe9]
 * ```
 */
export function encodeText(text: string, encoding: string): Uint8Array {
  const l = label(encoding);
  if (l === "utf-8") return new TextEncoder().encode(text);
  const max = l === "ascii" ? 0x7f : l === "latin1" ? 0xff : -1;
  if (max < 0) {
    throw new UserError(
      `Unsupported output-encoding: ${encoding} (utf-8, latin-1 or ascii)`,
    );
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > max) {
      throw new UserError(
        `The output contains a character ${encoding} cannot encode: ${
          JSON.stringify(text[i])
        }`,
      );
    }
    out[i] = c;
  }
  return out;
}

function label(encoding: string): string {
  const e = encoding.trim().toLowerCase().replace(/_/g, "-");
  if (["utf-8", "utf8", "u8"].includes(e)) return "utf-8";
  if (["latin-1", "latin1", "iso-8859-1", "iso8859-1", "l1"].includes(e)) {
    return "latin1";
  }
  if (["ascii", "us-ascii"].includes(e)) return "ascii";
  return e;
}
