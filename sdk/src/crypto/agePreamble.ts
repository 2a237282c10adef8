import { randomBytes } from "node:crypto";
import type { EncryptParameters } from "./ageEncrypt";
import { encodeHeader } from "./ageHeader";
import { cryptoError } from "./errors";
import { AGE } from "./formats";
import { toRecipient } from "./keys";
import { payloadKey } from "./payload";
import { wrapX25519 } from "./x25519Stanza";

/**
 * The start of a new age file and the key of its payload: a fresh file key wrapped for every recipient,
 * the header with its MAC, and a fresh payload nonce. Validates the recipients. (The payload key is a
 * secret: zero it after use.)
 *
 * @example
 * const { preamble, payloadKey } = encryptionPreamble({ recipients }); // preamble: header ‖ nonce
 */
export function encryptionPreamble(params: EncryptParameters): { preamble: Buffer; payloadKey: Buffer } {
  if (!params || !Array.isArray(params.recipients) || params.recipients.length === 0) {
    throw cryptoError("CRYPTO_INVALID_ARGUMENT", "age encryption needs at least one recipient");
  }
  const recipients = params.recipients.map(toRecipient);
  const fileKey = randomBytes(AGE.fileKeySize);
  const nonce = randomBytes(AGE.payloadNonceSize);
  try {
    const header = encodeHeader(
      fileKey,
      recipients.map((r) => wrapX25519(fileKey, r)),
    );
    return { preamble: Buffer.concat([header, nonce]), payloadKey: payloadKey(fileKey, nonce) };
  } finally {
    fileKey.fill(0);
  }
}
