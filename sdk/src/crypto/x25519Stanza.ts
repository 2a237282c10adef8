import { createCipheriv, createDecipheriv } from "node:crypto";
import type { AgeStanza } from "./ageHeader";
import { decodeBase64Unpadded, encodeBase64Unpadded } from "./base64";
import { cryptoError } from "./errors";
import { AGE } from "./formats";
import { hkdfSha256 } from "./kdf";
import type { AgeIdentity, AgeRecipient } from "./keys";
import { x25519Generate, x25519SharedSecret } from "./x25519";

/**
 * The X25519 recipient stanza (age v1 §X25519):
 *
 *     -> X25519 base64(ephemeral share)
 *     base64(ChaCha20-Poly1305(HKDF(shared, share ‖ recipient, "age-encryption.org/v1/X25519"), 0, file key))
 */

const ZERO_NONCE = Buffer.alloc(12);
const WRAPPED_KEY_SIZE = AGE.fileKeySize + AGE.tagSize;

/**
 * A structurally valid X25519 stanza: its 32-byte share and 32-byte body.
 *
 * @example
 * const { share, body }: X25519Stanza = parseX25519Stanza(stanza);
 */
export interface X25519Stanza {
  readonly share: Buffer;
  readonly body: Buffer;
}

function wrapKey(shared: Uint8Array, share: Uint8Array, recipientKey: Uint8Array): Buffer {
  return hkdfSha256(shared, Buffer.concat([share, recipientKey]), AGE.x25519Label, 32);
}

/**
 * Wraps a file key for one recipient with a fresh ephemeral key.
 *
 * @example
 * const stanzas = recipients.map((r) => wrapX25519(fileKey, r));
 */
export function wrapX25519(fileKey: Uint8Array, recipient: AgeRecipient): AgeStanza {
  const ephemeral = x25519Generate();
  const shared = x25519SharedSecret(ephemeral.privateKey, recipient.publicKey);
  if (!shared) {
    throw cryptoError("AGE_INVALID_RECIPIENT", "invalid age recipient: the public key is a low-order point");
  }
  const cipher = createCipheriv("chacha20-poly1305", wrapKey(shared, ephemeral.publicKey, recipient.publicKey), ZERO_NONCE, {
    authTagLength: AGE.tagSize,
  });
  const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
  return { type: AGE.x25519StanzaType, args: [encodeBase64Unpadded(ephemeral.publicKey)], body };
}

/**
 * Checks the shape of an X25519 stanza (one argument, a canonical 32-byte share, a 32-byte body);
 * throws `AGE_HEADER_INVALID` otherwise. Only stanzas of type exactly `X25519` are X25519 stanzas.
 *
 * @example
 * const parsed = header.stanzas.filter((s) => s.type === "X25519").map(parseX25519Stanza);
 */
export function parseX25519Stanza(stanza: AgeStanza): X25519Stanza {
  const fail = (reason: string): never => {
    throw cryptoError("AGE_HEADER_INVALID", `invalid age header: malformed X25519 stanza: ${reason}`);
  };
  if (stanza.type !== AGE.x25519StanzaType) fail(`type is ${stanza.type}`);
  if (stanza.args.length !== 1) fail(`${stanza.args.length} arguments after the type, expected 1`);
  const share = decodeBase64Unpadded(stanza.args[0] as string);
  if (!share || share.length !== AGE.x25519KeySize) fail("the share is not 32 bytes of canonical base64");
  if (stanza.body.length !== WRAPPED_KEY_SIZE) fail(`the body is ${stanza.body.length} bytes, expected ${WRAPPED_KEY_SIZE}`);
  return { share: share as Buffer, body: stanza.body };
}

/**
 * Unwraps the file key of a parsed X25519 stanza with an identity: the 16-byte file key, or `null` when
 * the stanza is not for this identity. Throws `AGE_HEADER_INVALID` for a low-order share.
 *
 * @example
 * const fileKey = unwrapX25519(parseX25519Stanza(stanza), identity);
 */
export function unwrapX25519(stanza: X25519Stanza, identity: AgeIdentity): Buffer | null {
  const shared = x25519SharedSecret(identity.privateKey, stanza.share);
  if (!shared) {
    throw cryptoError("AGE_HEADER_INVALID", "invalid age header: X25519 share is a low-order point");
  }
  const decipher = createDecipheriv(
    "chacha20-poly1305",
    wrapKey(shared, stanza.share, identity.recipient.publicKey),
    ZERO_NONCE,
    { authTagLength: AGE.tagSize },
  );
  decipher.setAuthTag(stanza.body.subarray(AGE.fileKeySize));
  const fileKey = decipher.update(stanza.body.subarray(0, AGE.fileKeySize));
  try {
    decipher.final();
  } catch {
    fileKey.fill(0);
    return null;
  }
  return fileKey;
}
