import { createHash } from "node:crypto";
import { toHex, type Hex } from "./hex";

/**
 * SHA-256 of bytes.
 *
 * @example
 * sha256(Buffer.from("abc")).toString("hex"); // "ba7816bf…"
 */
export function sha256(data: Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

/**
 * SHA-256 of a stream, read in constant memory, and its size.
 *
 * @example
 * const { sha256: digest, size } = await sha256Stream(createReadStream("evidence.pdf"));
 */
export async function sha256Stream(input: AsyncIterable<Uint8Array>): Promise<{ sha256: Buffer; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of input) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest(), size };
}

/**
 * The payload digest (ARCHITECTURE.md): SHA-256 of the exact binary age file, as the `bytes32` the
 * ledger stores and the blob store is addressed by. `sha256sum file.age` prints the same digits.
 *
 * @example
 * const digest = payloadDigest(encryptBytes(data, { recipients })); // "0x…"
 */
export function payloadDigest(ageFile: Uint8Array): Hex {
  return toHex(sha256(ageFile));
}

/**
 * The payload digest of an age file read as a stream, and the file's size.
 *
 * @example
 * const { payloadDigest: digest } = await payloadDigestOfStream(createReadStream(blobPath));
 */
export async function payloadDigestOfStream(input: AsyncIterable<Uint8Array>): Promise<{ payloadDigest: Hex; size: number }> {
  const { sha256: digest, size } = await sha256Stream(input);
  return { payloadDigest: toHex(digest), size };
}
