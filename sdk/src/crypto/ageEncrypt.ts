import type { Readable, Transform, Writable } from "node:stream";
import { encryptionPreamble } from "./agePreamble";
import { ArmorEncoder } from "./armor";
import type { CryptoError } from "./errors";
import { betweenFileStreams } from "./fileStreams";
import type { AgeRecipient } from "./keys";
import { encryptBetweenFiles } from "./parallelFiles";
import { PayloadEncryptor } from "./payload";
import { coreTransform, pipeCore, runCore, type StreamCore } from "./streamCore";

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
 * Encrypts a stream into a stream, in constant memory. Resolves once `output` has finished. From a file
 * stream nobody has read yet into a file stream nothing was written to (`createReadStream` into
 * `createWriteStream`, both on regular files), binary output of `PARALLEL_FILE_FROM` bytes or more is
 * sealed on worker threads straight between the two files (see `sealFileInParallel`), and both streams are
 * closed as `pipeline` would; the output stream's `bytesWritten` then stays 0.
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
  const sizes = await betweenFileStreams(input, output, (ends) => encryptBetweenFiles(ends, params));
  if (sizes) return sizes;
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
