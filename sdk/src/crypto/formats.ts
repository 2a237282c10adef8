/**
 * Every format constant of the off-chain envelope (ARCHITECTURE.md, "Off-chain formats"): the age v1
 * strings and sizes (age-encryption.org/v1), its ASCII armor, the Bech32 prefixes of keys, and the MLAT
 * domain-separation strings. The one place these are written; everything else imports them.
 */

/**
 * The age v1 binary format (https://age-encryption.org/v1).
 *
 * @example
 * import { AGE } from "./formats";
 * header.startsWith(AGE.versionLine + "\n");
 */
export const AGE = {
  /** First line of every binary age v1 file (without its LF). */
  versionLine: "age-encryption.org/v1",
  /** Prefix of a recipient stanza line (followed by a space and the arguments). */
  stanzaPrefix: "->",
  /** Prefix of the header's closing line (followed by a space and the base64 MAC). */
  footerPrefix: "---",
  /** Stanza type of native X25519 recipients. */
  x25519StanzaType: "X25519",
  /** HKDF `info` of the X25519 wrap key. */
  x25519Label: "age-encryption.org/v1/X25519",
  /** The passphrase stanza type; the spec requires it to be the only stanza of its file. */
  scryptStanzaType: "scrypt",
  /** HKDF `info` of the header MAC key. */
  headerMacLabel: "header",
  /** HKDF `info` of the payload key. */
  payloadLabel: "payload",
  /** Size of the random file key. */
  fileKeySize: 16,
  /** Size of the header MAC (HMAC-SHA256). */
  macSize: 32,
  /** Size of the random nonce that starts the payload and salts the payload key. */
  payloadNonceSize: 16,
  /** Plaintext bytes per STREAM chunk (64 KiB); only the last chunk may be shorter. */
  chunkSize: 64 * 1024,
  /** ChaCha20-Poly1305 tag size. */
  tagSize: 16,
  /** Ciphertext bytes of a full STREAM chunk. */
  encryptedChunkSize: 64 * 1024 + 16,
  /** Columns of a stanza body line (unpadded base64); the last line of a body is shorter, maybe empty. */
  stanzaColumns: 64,
  /** Size of X25519 keys and shares. */
  x25519KeySize: 32,
  /**
   * Largest header parsed (1 MiB, about 10,000 X25519 stanzas). The spec sets no limit; ours keeps a
   * hostile file from making the decryptor buffer without bound before anything is authenticated.
   */
  maxHeaderSize: 1024 * 1024,
} as const;

/**
 * The age ASCII armor, a strict subset of PEM: padded base64 in 64-column lines, LF or CRLF.
 *
 * @example
 * import { AGE_ARMOR } from "./formats";
 * text.trimStart().startsWith(AGE_ARMOR.begin);
 */
export const AGE_ARMOR = {
  begin: "-----BEGIN AGE ENCRYPTED FILE-----",
  end: "-----END AGE ENCRYPTED FILE-----",
  /** Columns of an armor line. */
  columns: 64,
  /** Whitespace tolerated before and after the armored file (as the Go implementation). */
  maxWhitespace: 1024,
} as const;

/**
 * Bech32 human-readable parts of age keys. Recipients are lower case (`age1…`), identities upper case
 * (`AGE-SECRET-KEY-1…`), as `age-keygen` writes them.
 *
 * @example
 * import { AGE_BECH32 } from "./formats";
 * bech32Encode(AGE_BECH32.recipientHrp, publicKey); // "age1…"
 */
export const AGE_BECH32 = {
  recipientHrp: "age",
  identityHrp: "AGE-SECRET-KEY-",
} as const;

/**
 * The content commitment: SHA-256(domain ‖ salt ‖ SHA-256(plaintext)), salt of `saltSize` random bytes.
 *
 * @example
 * import { CONTENT_COMMITMENT } from "./formats";
 * Buffer.from(CONTENT_COMMITMENT.domain, "utf8"); // the 22-byte prefix
 */
export const CONTENT_COMMITMENT = {
  domain: "mlat-ledger/content/v1",
  saltSize: 32,
} as const;

/**
 * The evidence manifest: canonical JSON (sorted keys, UTF-8, no whitespace), encrypted as its own age file.
 *
 * @example
 * import { MANIFEST } from "./formats";
 * if (plaintext.length > MANIFEST.maxSize) throw …;
 */
export const MANIFEST = {
  /** Value of the manifest's `version` field. */
  version: 1,
  /** Media type of a manifest's plaintext. */
  mediaType: "application/vnd.mlat-ledger.manifest.v1+json",
  /** Largest manifest plaintext accepted (64 KiB). */
  maxSize: 64 * 1024,
} as const;
