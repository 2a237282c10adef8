import { createHash, randomBytes } from "node:crypto";
import { CONTENT_COMMITMENT } from "./formats";
import { bytesOfSize, toHex, type Hex } from "./hex";

const DOMAIN = Buffer.from(CONTENT_COMMITMENT.domain, "utf8");

/**
 * A fresh 32-byte salt for a content commitment.
 *
 * @example
 * const salt = randomSalt(); // keep it in the manifest and the verification bundle
 */
export function randomSalt(): Buffer {
  return randomBytes(CONTENT_COMMITMENT.saltSize);
}

/**
 * The content commitment (ARCHITECTURE.md): SHA-256("mlat-ledger/content/v1" ‖ salt ‖ SHA-256(plaintext)),
 * from the plaintext's SHA-256 and the 32-byte salt (bytes or hex). It stays the same when the evidence
 * is re-encrypted for a new recipient.
 *
 * @example
 * const commitment = contentCommitment(manifest.sha256, manifest.salt); // "0x…"
 */
export function contentCommitment(plaintextSha256: Uint8Array | string, salt: Uint8Array | string): Hex {
  return toHex(
    createHash("sha256")
      .update(DOMAIN)
      .update(bytesOfSize(salt, CONTENT_COMMITMENT.saltSize, "the content commitment salt"))
      .update(bytesOfSize(plaintextSha256, 32, "the plaintext SHA-256"))
      .digest(),
  );
}
