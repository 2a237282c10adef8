/**
 * Canonical base64 as age requires it: the standard alphabet, and a string accepted only if encoding
 * its decoded bytes gives the very same string back (no stray characters, no non-zero trailing bits,
 * no missing or extra padding).
 */

function stripPadding(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 61 /* = */) end--;
  return s.slice(0, end);
}

/**
 * Encodes without padding (age header arguments and stanza bodies).
 *
 * @example
 * encodeBase64Unpadded(Buffer.from([0xff])); // "/w"
 */
export function encodeBase64Unpadded(bytes: Uint8Array): string {
  return stripPadding(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"));
}

/**
 * Decodes canonical unpadded base64; returns `undefined` for anything else (padding, other alphabets,
 * whitespace, non-zero trailing bits).
 *
 * @example
 * decodeBase64Unpadded("/w");  // <Buffer ff>
 * decodeBase64Unpadded("/x");  // undefined: trailing bits not zero
 * decodeBase64Unpadded("/w=="); // undefined: padded
 */
export function decodeBase64Unpadded(s: string): Buffer | undefined {
  const bytes = Buffer.from(s, "base64");
  return encodeBase64Unpadded(bytes) === s ? bytes : undefined;
}

/**
 * Decodes canonical padded base64 (armor lines); returns `undefined` for anything else.
 *
 * @example
 * decodeBase64Padded("/w==");  // <Buffer ff>
 * decodeBase64Padded("/w");    // undefined: padding missing
 */
export function decodeBase64Padded(s: string): Buffer | undefined {
  const bytes = Buffer.from(s, "base64");
  return bytes.toString("base64") === s ? bytes : undefined;
}
