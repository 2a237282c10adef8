import type { KeyObject } from "node:crypto";
import { bech32Decode, bech32Encode } from "./bech32";
import { cryptoError, type CryptoErrorCode } from "./errors";
import { AGE, AGE_BECH32 } from "./formats";
import { x25519Generate, x25519PrivateKey, x25519RawPublicKey, x25519RawSecretKey } from "./x25519";
import { isMlatError } from "../errors/MlatError";

/**
 * An age X25519 recipient: the 32-byte public key a file is encrypted to (a state's on-chain encryption
 * key).
 *
 * @example
 * const recipient: AgeRecipient = parseRecipient("age1…");
 */
export interface AgeRecipient {
  readonly type: "X25519";
  readonly publicKey: Uint8Array;
}

/**
 * An age X25519 identity: the private key that opens files encrypted to its recipient. The secret stays
 * inside a Node `KeyObject`, so logging an identity does not print it.
 *
 * @example
 * const identity: AgeIdentity = generateIdentity();
 * identity.recipient; // what others encrypt to
 */
export interface AgeIdentity {
  readonly type: "X25519";
  readonly privateKey: KeyObject;
  readonly recipient: AgeRecipient;
}

function invalidRecipient(reason: string, cause?: unknown): never {
  throw cryptoError("AGE_INVALID_RECIPIENT", `invalid age recipient: ${reason}`, { cause });
}

function invalidIdentity(reason: string, cause?: unknown): never {
  throw cryptoError("AGE_INVALID_IDENTITY", `invalid age identity: ${reason}`, { cause });
}

function unsupportedRecipient(type: string, details: string): never {
  throw cryptoError("AGE_UNSUPPORTED_RECIPIENT", `unsupported recipient type ${type}`, { details });
}

function unsupportedIdentity(type: string, details: string): never {
  throw cryptoError("AGE_UNSUPPORTED_IDENTITY", `unsupported identity type ${type}`, { details });
}

const ONLY_X25519 = "MLAT envelopes use native age X25519 keys (age1… / AGE-SECRET-KEY-1…) only.";

/**
 * The identity of a raw 32-byte X25519 secret key.
 *
 * @example
 * const identity = identityFromSecretKey(randomBytes(32));
 */
export function identityFromSecretKey(secretKey: Uint8Array): AgeIdentity {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== AGE.x25519KeySize) {
    invalidIdentity(`an X25519 secret key is ${AGE.x25519KeySize} bytes`);
  }
  const privateKey = x25519PrivateKey(secretKey);
  return { type: "X25519", privateKey, recipient: recipientFromPublicKey(x25519RawPublicKey(privateKey)) };
}

/**
 * A fresh random identity (as `age-keygen`).
 *
 * @example
 * const identity = generateIdentity();
 * console.log(formatRecipient(identity.recipient)); // age1…
 */
export function generateIdentity(): AgeIdentity {
  const { privateKey, publicKey } = x25519Generate();
  return { type: "X25519", privateKey, recipient: recipientFromPublicKey(publicKey) };
}

/**
 * The recipient of a raw 32-byte X25519 public key, given as bytes or as `0x`-prefixed hex (as the
 * contracts store a state's key in a `bytes32`).
 *
 * @example
 * const recipient = recipientFromPublicKey(await consortium.encryptionKey(stateCode));
 */
export function recipientFromPublicKey(publicKey: Uint8Array | string): AgeRecipient {
  let bytes: Uint8Array;
  if (typeof publicKey === "string") {
    if (!/^0x[0-9a-fA-F]{64}$/.test(publicKey)) invalidRecipient("a hex public key is 0x and 64 hex digits");
    bytes = Buffer.from(publicKey.slice(2), "hex");
  } else {
    bytes = publicKey;
  }
  if (!(bytes instanceof Uint8Array) || bytes.length !== AGE.x25519KeySize) {
    invalidRecipient(`an X25519 public key is ${AGE.x25519KeySize} bytes`);
  }
  return Object.freeze({ type: "X25519", publicKey: Uint8Array.from(bytes) });
}

/**
 * Parses an `age1…` X25519 recipient. Other age recipient kinds (post-quantum `age1pq1…`, plugins
 * `age1<name>1…`, `ssh-…` keys) give `AGE_UNSUPPORTED_RECIPIENT`; anything else `AGE_INVALID_RECIPIENT`.
 *
 * @example
 * const r = parseRecipient("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p");
 */
export function parseRecipient(s: string): AgeRecipient {
  if (typeof s !== "string") invalidRecipient("not a string");
  if (/^ssh-(ed25519|rsa) /.test(s)) unsupportedRecipient(s.slice(0, s.indexOf(" ")), ONLY_X25519);
  let decoded;
  try {
    decoded = bech32Decode(s);
  } catch (e) {
    invalidRecipient("not a Bech32 age1… string", e);
  }
  const { hrp, data } = decoded;
  if (hrp === "age1pq") unsupportedRecipient("mlkem768x25519", ONLY_X25519);
  if (hrp.startsWith("age1") && hrp.length > 4) unsupportedRecipient(`plugin ${hrp.slice(4)}`, ONLY_X25519);
  if (hrp !== AGE_BECH32.recipientHrp) invalidRecipient(`prefix "${hrp}1" is not "age1" (lower case)`);
  if (data.length !== AGE.x25519KeySize) invalidRecipient(`key of ${data.length} bytes, not ${AGE.x25519KeySize}`);
  return recipientFromPublicKey(data);
}

/**
 * Parses an `AGE-SECRET-KEY-1…` X25519 identity (upper case, as `age-keygen` writes it). Post-quantum
 * (`AGE-SECRET-KEY-PQ-1…`), plugin and SSH identities give `AGE_UNSUPPORTED_IDENTITY`. Errors never
 * contain the secret.
 *
 * @example
 * const identity = parseIdentity(process.env.MLAT_AGE_IDENTITY!);
 */
export function parseIdentity(s: string): AgeIdentity {
  if (typeof s !== "string") invalidIdentity("not a string");
  if (s.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----") || s.startsWith("-----BEGIN RSA PRIVATE KEY-----")) {
    unsupportedIdentity("ssh", ONLY_X25519);
  }
  let decoded;
  try {
    decoded = bech32Decode(s);
  } catch (e) {
    invalidIdentity("not a Bech32 AGE-SECRET-KEY-1… string", e);
  }
  const { hrp, data } = decoded;
  if (hrp === "AGE-SECRET-KEY-PQ-") unsupportedIdentity("mlkem768x25519", ONLY_X25519);
  if (hrp.startsWith("AGE-PLUGIN-")) unsupportedIdentity(`plugin ${hrp.slice(11, -1).toLowerCase()}`, ONLY_X25519);
  if (hrp !== AGE_BECH32.identityHrp) invalidIdentity(`prefix "${hrp}1" is not "AGE-SECRET-KEY-1" (upper case)`);
  if (data.length !== AGE.x25519KeySize) invalidIdentity(`key of ${data.length} bytes, not ${AGE.x25519KeySize}`);
  try {
    return identityFromSecretKey(data);
  } finally {
    data.fill(0);
  }
}

/**
 * Parses an identity file as `age-keygen` writes it (and `age -i` reads it): one identity per line,
 * empty lines and `#` comments ignored, LF or CRLF. At least one identity is required. Errors name the
 * line, never its content.
 *
 * @example
 * const identities = parseIdentityFile(await readFile("key.txt", "utf8"));
 */
export function parseIdentityFile(text: string): AgeIdentity[] {
  const identities: AgeIdentity[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i] as string;
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line === "" || line.startsWith("#")) continue;
    try {
      identities.push(parseIdentity(line));
    } catch (e) {
      if (!isMlatError(e)) throw e;
      throw cryptoError(e.code as CryptoErrorCode, `identity file line ${i + 1}: ${e.shortMessage}`, {
        details: e.details,
        cause: e,
      });
    }
  }
  if (identities.length === 0) invalidIdentity("the identity file holds no secret key");
  return identities;
}

/**
 * The `age1…` string of a recipient.
 *
 * @example
 * formatRecipient(identity.recipient); // "age1…"
 */
export function formatRecipient(recipient: AgeRecipient): string {
  return bech32Encode(AGE_BECH32.recipientHrp, recipient.publicKey);
}

/**
 * The `AGE-SECRET-KEY-1…` string of an identity. It is the secret: store it like one.
 *
 * @example
 * await writeFile("key.txt", formatIdentity(identity) + "\n", { mode: 0o600 });
 */
export function formatIdentity(identity: AgeIdentity): string {
  const secret = x25519RawSecretKey(identity.privateKey);
  try {
    return bech32Encode(AGE_BECH32.identityHrp, secret);
  } finally {
    secret.fill(0);
  }
}

/**
 * An identity file in `age-keygen`'s layout (creation time and public key as comments).
 *
 * @example
 * await writeFile("key.txt", formatIdentityFile(generateIdentity()), { mode: 0o600 });
 */
export function formatIdentityFile(identity: AgeIdentity, created: Date = new Date()): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `# created: ${when}\n# public key: ${formatRecipient(identity.recipient)}\n${formatIdentity(identity)}\n`;
}

/**
 * Turns a recipient given as a string, raw key or {@link AgeRecipient} into an {@link AgeRecipient}.
 *
 * @example
 * const recipients = ["age1…", identity.recipient].map(toRecipient);
 */
export function toRecipient(r: AgeRecipient | string | Uint8Array): AgeRecipient {
  if (typeof r === "string") return r.startsWith("0x") ? recipientFromPublicKey(r) : parseRecipient(r);
  if (r instanceof Uint8Array) return recipientFromPublicKey(r);
  if (r && r.type === "X25519") return recipientFromPublicKey(r.publicKey);
  return invalidRecipient("expected an age1… string, 32 bytes, or an AgeRecipient");
}

/**
 * Turns an identity given as a string or {@link AgeIdentity} into an {@link AgeIdentity}.
 *
 * @example
 * const identities = [process.env.KEY!, generateIdentity()].map(toIdentity);
 */
export function toIdentity(i: AgeIdentity | string): AgeIdentity {
  if (typeof i === "string") return parseIdentity(i);
  if (i && i.type === "X25519" && i.privateKey?.type === "private" && i.privateKey.asymmetricKeyType === "x25519") {
    return i;
  }
  return invalidIdentity("expected an AGE-SECRET-KEY-1… string or an AgeIdentity");
}
