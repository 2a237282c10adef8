import { createHash, type Hash } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { AgeEncryptor } from "./ageEncrypt";
import { contentCommitment, randomSalt } from "./commitment";
import { CONTENT_COMMITMENT } from "./formats";
import { bytesOfSize, toHex, type Hex } from "./hex";
import type { AgeRecipient } from "./keys";
import { pipeCore, type StreamCore } from "./streamCore";

/**
 * Parameters of {@link sealPayload}.
 *
 * @example
 * const params: SealPayloadParameters = { recipients: [custodianKey, requestingStateKey] };
 */
export interface SealPayloadParameters {
  /** Who can decrypt (see `EncryptParameters.recipients`). */
  readonly recipients: readonly (AgeRecipient | string | Uint8Array)[];
  /** The content-commitment salt (32 bytes or hex); default: fresh random bytes. */
  readonly salt?: Uint8Array | string;
}

/**
 * Everything registering a piece of evidence needs, from one pass over the plaintext.
 *
 * @example
 * const { payloadDigest, contentCommitment }: SealPayloadReturnType = await sealPayload(i, o, p);
 */
export interface SealPayloadReturnType {
  /** SHA-256 of the plaintext, lower-case hex (as `sha256sum` prints it and the manifest stores it). */
  readonly plaintextSha256: string;
  /** Bytes of plaintext. */
  readonly plaintextSize: number;
  /** The salt, lower-case hex (as the manifest stores it). */
  readonly salt: string;
  /** SHA-256("mlat-ledger/content/v1" ‖ salt ‖ SHA-256(plaintext)), `bytes32`. */
  readonly contentCommitment: Hex;
  /** SHA-256 of the binary age file written to the output, `bytes32`. */
  readonly payloadDigest: Hex;
  /** Bytes of the binary age file. */
  readonly ciphertextSize: number;
}

/**
 * The one-pass sealing core: hashes the plaintext, encrypts it, and hashes the ciphertext it emits.
 * Results are available after `final`.
 *
 * @example
 * const sealer = new PayloadSealer({ recipients }, (b) => out.push(b));
 * sealer.update(data);
 * sealer.final();
 * sealer.result().payloadDigest;
 */
export class PayloadSealer implements StreamCore {
  readonly #plaintextHash: Hash = createHash("sha256");
  readonly #ciphertextHash: Hash = createHash("sha256");
  readonly #encryptor: AgeEncryptor;
  readonly #salt: Buffer;
  #result: SealPayloadReturnType | undefined;

  constructor(params: SealPayloadParameters, emit: (chunk: Buffer) => void) {
    this.#salt =
      params.salt === undefined ? randomSalt() : bytesOfSize(params.salt, CONTENT_COMMITMENT.saltSize, "the salt");
    this.#encryptor = new AgeEncryptor({ recipients: params.recipients }, (chunk) => {
      this.#ciphertextHash.update(chunk);
      emit(chunk);
    });
  }

  /** Consumes plaintext. */
  update(data: Uint8Array): void {
    this.#plaintextHash.update(data);
    this.#encryptor.update(data);
  }

  /** Ends the payload and computes the digests. */
  final(): void {
    if (this.#result) return;
    this.#encryptor.final();
    const plaintextSha256 = this.#plaintextHash.digest();
    this.#result = {
      plaintextSha256: plaintextSha256.toString("hex"),
      plaintextSize: this.#encryptor.plaintextSize,
      salt: this.#salt.toString("hex"),
      contentCommitment: contentCommitment(plaintextSha256, this.#salt),
      payloadDigest: toHex(this.#ciphertextHash.digest()),
      ciphertextSize: this.#encryptor.ciphertextSize,
    };
  }

  /** The digests; only after `final`. */
  result(): SealPayloadReturnType {
    if (!this.#result) throw new Error("PayloadSealer: result before final");
    return this.#result;
  }
}

/**
 * Seals a piece of evidence in one pass over its plaintext: streams the age file (binary) to `output`
 * and returns the plaintext's SHA-256 and size, the salt and content commitment, and the age file's
 * SHA-256 (the payload digest) and size. Memory does not grow with the payload.
 *
 * @example
 * const sealed = await sealPayload(req, createWriteStream(tempBlobPath), { recipients: [custodian, requester] });
 * await registerEvidence({ payloadDigest: sealed.payloadDigest, contentCommitment: sealed.contentCommitment, … });
 */
export async function sealPayload(
  input: Readable | AsyncIterable<Uint8Array>,
  output: Writable,
  params: SealPayloadParameters,
): Promise<SealPayloadReturnType> {
  let sealer: PayloadSealer | undefined;
  await pipeCore(input, output, (emit) => (sealer = new PayloadSealer(params, emit)));
  return (sealer as unknown as PayloadSealer).result();
}
