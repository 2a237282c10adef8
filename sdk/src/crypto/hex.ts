import { cryptoError } from "./errors";

/**
 * A `0x`-prefixed hex string (on-chain `bytes32` values and the like).
 *
 * @example
 * const digest: Hex = "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
 */
export type Hex = `0x${string}`;

/**
 * Lower-case `0x` hex of bytes.
 *
 * @example
 * toHex(Buffer.from([1, 255])); // "0x01ff"
 */
export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/**
 * Bytes of exactly `size` bytes given as bytes, `0x` hex or bare hex (either case); throws
 * `CRYPTO_INVALID_ARGUMENT` naming `what` otherwise.
 *
 * @example
 * const salt = bytesOfSize("0x" + "00".repeat(32), 32, "salt");
 */
export function bytesOfSize(value: Uint8Array | string, size: number, what: string): Buffer {
  let bytes: Buffer | undefined;
  if (typeof value === "string") {
    const hex = value.startsWith("0x") ? value.slice(2) : value;
    if (hex.length === size * 2 && /^[0-9a-fA-F]*$/.test(hex)) bytes = Buffer.from(hex, "hex");
  } else if (value instanceof Uint8Array && value.length === size) {
    bytes = Buffer.from(value);
  }
  if (!bytes) throw cryptoError("CRYPTO_INVALID_ARGUMENT", `${what} must be ${size} bytes (bytes or hex)`);
  return bytes;
}
