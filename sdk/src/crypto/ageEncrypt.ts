import { randomBytes } from "node:crypto";
import type { Readable, Transform, Writable } from "node:stream";
import { encodeHeader } from "./ageHeader";
import { ArmorEncoder } from "./armor";
import { cryptoError, type CryptoError } from "./errors";
import { AGE } from "./formats";
import { toRecipient, type AgeRecipient } from "./keys";
import { PayloadEncryptor, payloadKey } from "./payload";
import { coreTransform, pipeCore, runCore, type StreamCore } from "./streamCore";
import { wrapX25519 } from "./x25519Stanza";

/**
 * Parameters of age encryption.
 *
 * @example
 * const params: EncryptParameters = { recipients: ["age1…", stateKeyBytes32], armor: false };
 */
export interface EncryptParameters {
  /** Who can decrypt: `age1…` strings, raw 32-byte X25519 keys (bytes or 0x hex), or {@link AgeRecipient}s. */
  readonly recipients: readonly (AgeRecipient | string | Uint8Array)[];
  /** Wrap the output in ASCII armor (default false: the binary file whose SHA-256 is the payload digest). */
  readonly armor?: boolean;
}

/**
 * What {@link encrypt} reports.
 *
 * @example
 * const { plaintextSize, ciphertextSize }: EncryptReturnType = await encrypt(input, output, params);
 */
export interface EncryptReturnType {
  /** Bytes of plaintext read. */
  readonly plaintextSize: number;
  /** Bytes of the binary age file written (before armor, when armored). */
  readonly ciphertextSize: number;
}

/**
 * Errors {@link encrypt} throws: `AGE_INVALID_RECIPIENT`, `AGE_UNSUPPORTED_RECIPIENT`,
 * `CRYPTO_INVALID_ARGUMENT`, or the input's and output's own stream errors.
 *
 * @example
 * try { await encrypt(i, o, p) } catch (e) { const err = e as EncryptErrorType }
 */
export type EncryptErrorType = CryptoError | Error;

/**
 * The start of a new age file and the key of its payload: a fresh file key wrapped for every recipient,
 * the header with its MAC, and a fresh payload nonce. Validates the recipients. (The payload key is a
 * secret: zero it after use.)
 */
function encryptionPreamble(params: EncryptParameters): { preamble: Buffer; payloadKey: Buffer } {
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

/**
 * The age encryption core: a fresh file key wrapped for every recipient, the header and its MAC, a
 * fresh payload nonce, then the STREAM payload. Everything random is drawn in the constructor, which
 * also validates the recipients (so a bad recipient fails before any byte is read).
 *
 * @example
 * const parts: Buffer[] = [];
 * const enc = new AgeEncryptor({ recipients: [recipient] }, (b) => parts.push(b));
 * enc.update(plaintext);
 * enc.final();
 */
export class AgeEncryptor implements StreamCore {
  readonly #emit: (chunk: Buffer) => void;
  readonly #armor: ArmorEncoder | undefined;
  readonly #payload: PayloadEncryptor;
  #preamble: Buffer | undefined;
  #preambleSize = 0;

  constructor(params: EncryptParameters, emit: (chunk: Buffer) => void) {
    const { preamble, payloadKey: key } = encryptionPreamble(params);
    this.#preamble = preamble;
    this.#armor = params.armor ? new ArmorEncoder(emit) : undefined;
    const armor = this.#armor;
    this.#emit = armor ? (b) => armor.update(b) : emit;
    this.#payload = new PayloadEncryptor(key, this.#emit);
    key.fill(0);
  }

  /** Plaintext bytes consumed so far. */
  get plaintextSize(): number {
    return this.#payload.bytesIn;
  }

  /** Binary age bytes produced so far (header, nonce and payload). */
  get ciphertextSize(): number {
    return this.#payload.bytesOut + this.#preambleSize;
  }

  /** Consumes plaintext. */
  update(data: Uint8Array): void {
    this.#start();
    this.#payload.update(data);
  }

  /** Ends the payload (and the armor). */
  final(): void {
    this.#start();
    this.#payload.final();
    this.#armor?.final();
  }

  #start(): void {
    if (!this.#preamble) return;
    const preamble = this.#preamble;
    this.#preamble = undefined;
    this.#preambleSize = preamble.length;
    this.#emit(preamble);
  }
}

/**
 * A Transform that encrypts what is written to it.
 *
 * @example
 * await pipeline(createReadStream("evidence.pdf"), createEncryptStream({ recipients }), createWriteStream("evidence.age"));
 */
export function createEncryptStream(params: EncryptParameters): Transform {
  return coreTransform((emit) => new AgeEncryptor(params, emit));
}

/**
 * Encrypts a stream into a stream, in constant memory. Resolves once `output` has finished.
 *
 * @example
 * const { ciphertextSize } = await encrypt(createReadStream("in.pdf"), createWriteStream("in.pdf.age"), {
 *   recipients: ["age1…", "age1…"],
 * });
 */
export async function encrypt(
  input: Readable | AsyncIterable<Uint8Array>,
  output: Writable,
  params: EncryptParameters,
): Promise<EncryptReturnType> {
  let core: AgeEncryptor | undefined;
  await pipeCore(input, output, (emit) => (core = new AgeEncryptor(params, emit)));
  const c = core as unknown as AgeEncryptor;
  return { plaintextSize: c.plaintextSize, ciphertextSize: c.ciphertextSize };
}

/**
 * Encrypts a whole buffer (small payloads such as manifests).
 *
 * @example
 * const file = encryptBytes(Buffer.from("hello"), { recipients: [identity.recipient] });
 */
export function encryptBytes(plaintext: Uint8Array, params: EncryptParameters): Buffer {
  return runCore((emit) => new AgeEncryptor(params, emit), plaintext);
}
