import { MlatError } from "../errors/MlatError";

/**
 * Machine-readable codes of the crypto layer's errors, all thrown as {@link MlatError}.
 *
 * | code | thrown when |
 * |---|---|
 * | `AGE_ARMOR_INVALID` | the ASCII armor is not strict canonical armor |
 * | `AGE_HEADER_INVALID` | the age header does not parse, is too large, or a stanza is malformed |
 * | `AGE_HEADER_MAC_MISMATCH` | a file key was unwrapped but the header MAC does not match |
 * | `AGE_NO_IDENTITY_MATCHED` | no identity opens any X25519 stanza of the file |
 * | `AGE_UNSUPPORTED_RECIPIENT` | the file (or a recipient string) uses a type we do not implement (scrypt, ssh, plugins, post-quantum) |
 * | `AGE_UNSUPPORTED_IDENTITY` | an identity string of a type we do not implement |
 * | `AGE_PAYLOAD_INVALID` | the STREAM payload fails authentication, is truncated, reordered, or has trailing data |
 * | `AGE_INVALID_RECIPIENT` | a recipient string or key is malformed |
 * | `AGE_INVALID_IDENTITY` | an identity string, key or identity file is malformed |
 * | `BECH32_INVALID` | a Bech32 string is malformed (checksum, case, characters, padding) |
 * | `MANIFEST_INVALID` | a manifest does not match its schema |
 * | `CRYPTO_INVALID_ARGUMENT` | a caller passed an unusable argument (no recipients, a salt of the wrong size …) |
 * | `CRYPTO_WORKER_FAILED` | a payload sealing worker thread died (out of memory …) while encrypting a file |
 * | `CRYPTO_INPUT_CHANGED` | a file changed size while it was being encrypted |
 *
 * @example
 * import { isMlatError } from "../errors/MlatError";
 * try { await decrypt(input, output, { identities }) }
 * catch (e) { if (isMlatError(e, "AGE_NO_IDENTITY_MATCHED")) console.error("not for us") }
 */
export type CryptoErrorCode =
  | "AGE_ARMOR_INVALID"
  | "AGE_HEADER_INVALID"
  | "AGE_HEADER_MAC_MISMATCH"
  | "AGE_NO_IDENTITY_MATCHED"
  | "AGE_UNSUPPORTED_RECIPIENT"
  | "AGE_UNSUPPORTED_IDENTITY"
  | "AGE_PAYLOAD_INVALID"
  | "AGE_INVALID_RECIPIENT"
  | "AGE_INVALID_IDENTITY"
  | "BECH32_INVALID"
  | "MANIFEST_INVALID"
  | "CRYPTO_INVALID_ARGUMENT"
  | "CRYPTO_WORKER_FAILED"
  | "CRYPTO_INPUT_CHANGED";

/**
 * An error of the crypto layer.
 *
 * @example
 * import type { CryptoError } from "./errors";
 * function explain(e: CryptoError) { return `${e.code}: ${e.shortMessage}` }
 */
export type CryptoError = MlatError<CryptoErrorCode>;

/**
 * Builds a crypto-layer error.
 *
 * @example
 * throw cryptoError("AGE_PAYLOAD_INVALID", "payload chunk 3 failed authentication");
 */
export function cryptoError(
  code: CryptoErrorCode,
  shortMessage: string,
  options: { details?: string; cause?: unknown } = {},
): CryptoError {
  return new MlatError(code, shortMessage, options);
}
