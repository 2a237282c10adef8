import { createHmac, hkdfSync } from "node:crypto";

/**
 * HKDF-SHA256 (RFC 5869) of `length` bytes.
 *
 * @example
 * const payloadKey = hkdfSha256(fileKey, nonce, "payload", 32);
 */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, length));
}

/**
 * HMAC-SHA256 of `data` under `key`.
 *
 * @example
 * const mac = hmacSha256(hkdfSha256(fileKey, new Uint8Array(0), "header", 32), headerWithoutMac);
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac("sha256", key).update(data).digest();
}
