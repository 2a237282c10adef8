import { z } from "zod";
import { AgeDecryptor, type DecryptParameters } from "./ageDecrypt";
import { encryptBytes, type EncryptParameters } from "./ageEncrypt";
import { canonicalJson } from "./canonicalJson";
import { payloadDigest } from "./digests";
import { cryptoError } from "./errors";
import { MANIFEST } from "./formats";
import type { Hex } from "./hex";
import type { SealPayloadReturnType } from "./sealPayload";

/**
 * The evidence manifest (ARCHITECTURE.md, "Off-chain formats"): a small JSON document, encrypted as its
 * own age file whose SHA-256 is the on-chain `manifestDigest`. Serialized as canonical JSON (sorted keys,
 * no whitespace, UTF-8), validated on the way in and on the way out.
 */

const LOWER_HEX_32 = /^[0-9a-f]{64}$/;
// RFC 6838 type/subtype with optional RFC 9110 parameters (`text/plain; charset=utf-8`).
const TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:; ?${TOKEN}=(?:${TOKEN}|"[^"\\\\\\x00-\\x1f\\x7f]*"))*$`);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * The manifest's zod schema. Unknown keys are refused.
 *
 * @example
 * const result = manifestSchema.safeParse(JSON.parse(text));
 */
export const manifestSchema = z.strictObject({
  /** Format version, {@link MANIFEST}.version. */
  version: z.literal(MANIFEST.version),
  /** Name of the evidence file, without any directory. */
  fileName: z
    .string()
    .min(1)
    .max(255)
    .refine((s) => !/[/\\]/.test(s) && !CONTROL.test(s) && s !== "." && s !== "..", {
      message: "a bare file name: no path separators, no control characters, not . or ..",
    }),
  /** Media type of the evidence file (RFC 6838), e.g. `application/pdf`. */
  mediaType: z.string().max(255).regex(MEDIA_TYPE, { message: "a media type such as application/pdf" }),
  /** Size of the plaintext in bytes. */
  size: z.int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** SHA-256 of the plaintext, 64 lower-case hex digits (as `sha256sum` prints it). */
  sha256: z.string().regex(LOWER_HEX_32, { message: "64 lower-case hex digits" }),
  /** The content-commitment salt, 64 lower-case hex digits. */
  salt: z.string().regex(LOWER_HEX_32, { message: "64 lower-case hex digits" }),
  /** What the evidence is. */
  description: z.string().max(4096),
  /** Who collected it (agency, officer …). */
  collectedBy: z
    .string()
    .min(1)
    .max(256)
    .refine((s) => !CONTROL.test(s), { message: "no control characters" }),
  /** When it was collected: ISO 8601 in UTC (`2025-03-01T10:00:00Z`). */
  collectedAt: z.iso.datetime({ message: "an ISO 8601 UTC date-time such as 2025-03-01T10:00:00Z" }),
  /** The request the evidence answers: the ledger's `bytes32` request id, lower-case `0x` hex. */
  requestId: z.string().regex(/^0x[0-9a-f]{64}$/, { message: "a bytes32: 0x and 64 lower-case hex digits" }),
});

/**
 * A validated manifest.
 *
 * @example
 * const manifest: Manifest = parseManifest(JSON.parse(text));
 */
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * Validates a manifest; throws `MANIFEST_INVALID` listing every problem.
 *
 * @example
 * const manifest = parseManifest(req.body.manifest);
 */
export function parseManifest(value: unknown): Manifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    throw cryptoError("MANIFEST_INVALID", "invalid evidence manifest", {
      details: z.prettifyError(result.error),
      cause: result.error,
    });
  }
  return result.data;
}

/**
 * The manifest of a sealed payload: its digest fields come from {@link sealPayload}'s result, the rest
 * from the caller.
 *
 * @example
 * const manifest = manifestFor(sealed, {
 *   fileName: "statement.pdf", mediaType: "application/pdf", description: "witness statement",
 *   collectedBy: "ES / Policía Nacional", collectedAt: new Date().toISOString(), requestId,
 * });
 */
export function manifestFor(
  sealed: Pick<SealPayloadReturnType, "plaintextSha256" | "plaintextSize" | "salt">,
  fields: Omit<Manifest, "version" | "size" | "sha256" | "salt">,
): Manifest {
  return parseManifest({
    ...fields,
    version: MANIFEST.version,
    size: sealed.plaintextSize,
    sha256: sealed.plaintextSha256,
    salt: sealed.salt,
  });
}

/**
 * The canonical bytes of a manifest (validated first): sorted keys, no whitespace, UTF-8.
 *
 * @example
 * serializeManifest(manifest).toString("utf8"); // '{"collectedAt":"…","collectedBy":"…",…}'
 */
export function serializeManifest(manifest: Manifest): Buffer {
  return Buffer.from(canonicalJson(parseManifest(manifest)), "utf8");
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Parses manifest bytes strictly: UTF-8, JSON, the schema, and the canonical form (so a manifest has
 * exactly one encoding). Throws `MANIFEST_INVALID`.
 *
 * @example
 * const manifest = deserializeManifest(plaintext);
 */
export function deserializeManifest(bytes: Uint8Array): Manifest {
  if (bytes.length > MANIFEST.maxSize) {
    throw cryptoError("MANIFEST_INVALID", `invalid evidence manifest: larger than ${MANIFEST.maxSize} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytes));
  } catch (cause) {
    throw cryptoError("MANIFEST_INVALID", "invalid evidence manifest: not UTF-8 JSON", { cause });
  }
  const manifest = parseManifest(value);
  if (!serializeManifest(manifest).equals(bytes)) {
    throw cryptoError("MANIFEST_INVALID", "invalid evidence manifest: not in canonical form", {
      details: "keys must be sorted, without whitespace, as serializeManifest writes them",
    });
  }
  return manifest;
}

/**
 * Encrypts a manifest as its own age file; returns the file and its digest, the on-chain
 * `manifestDigest`.
 *
 * @example
 * const { file, manifestDigest } = encryptManifest(manifest, { recipients: [custodian, requester] });
 */
export function encryptManifest(manifest: Manifest, params: EncryptParameters): { file: Buffer; manifestDigest: Hex } {
  const file = encryptBytes(serializeManifest(manifest), params);
  return { file, manifestDigest: payloadDigest(file) };
}

/**
 * Decrypts and validates a manifest file (binary or armored). Stops reading plaintext beyond the
 * manifest size limit. Throws the typed errors of decryption, or `MANIFEST_INVALID`.
 *
 * @example
 * const manifest = decryptManifest(await readFile("manifest.age"), { identities });
 */
export function decryptManifest(file: Uint8Array, params: DecryptParameters): Manifest {
  const parts: Buffer[] = [];
  let size = 0;
  const decryptor = new AgeDecryptor(params, (chunk) => {
    size += chunk.length;
    if (size > MANIFEST.maxSize) {
      throw cryptoError("MANIFEST_INVALID", `invalid evidence manifest: larger than ${MANIFEST.maxSize} bytes`);
    }
    parts.push(chunk);
  });
  decryptor.update(file);
  decryptor.final();
  return deserializeManifest(Buffer.concat(parts));
}
