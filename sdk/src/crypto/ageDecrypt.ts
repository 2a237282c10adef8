import type { Readable, Transform, Writable } from "node:stream";
import { parseHeader } from "./ageHeader";
import { ArmorDecoder, looksArmored } from "./armor";
import { cryptoError, type CryptoError } from "./errors";
import { AGE, AGE_ARMOR } from "./formats";
import { betweenFileStreams } from "./fileStreams";
import { toIdentity, type AgeIdentity } from "./keys";
import { decryptBetweenFiles } from "./parallelFiles";
import { PayloadDecryptor, payloadKey } from "./payload";
import { coreTransform, pipeCore, runCore, type StreamCore } from "./streamCore";
import { unwrapFileKey } from "./unwrapFileKey";

export { unwrapFileKey } from "./unwrapFileKey";

/**
 * Parameters of age decryption.
 *
 * @example
 * const params: DecryptParameters = { identities: parseIdentityFile(keyFileText) };
 */
export interface DecryptParameters {
  /** The identities to try, as `AGE-SECRET-KEY-1…` strings or {@link AgeIdentity}s. At least one. */
  readonly identities: readonly (AgeIdentity | string)[];
  /** `"auto"` (default) detects ASCII armor; `true` requires it; `false` requires the binary format. */
  readonly armor?: boolean | "auto";
  /** Largest accepted header in bytes (default 1 MiB). */
  readonly maxHeaderSize?: number;
}

/**
 * What {@link decrypt} reports.
 *
 * @example
 * const { plaintextSize }: DecryptReturnType = await decrypt(input, output, params);
 */
export interface DecryptReturnType {
  /** Bytes of authenticated plaintext written. */
  readonly plaintextSize: number;
  /** Bytes of the binary age file read (after armor decoding, when armored). */
  readonly ciphertextSize: number;
}

/**
 * Errors {@link decrypt} throws: `AGE_ARMOR_INVALID`, `AGE_HEADER_INVALID`, `AGE_HEADER_MAC_MISMATCH`,
 * `AGE_NO_IDENTITY_MATCHED`, `AGE_UNSUPPORTED_RECIPIENT`, `AGE_PAYLOAD_INVALID`, `AGE_INVALID_IDENTITY`,
 * `AGE_UNSUPPORTED_IDENTITY`, `CRYPTO_INVALID_ARGUMENT`, or the streams' own errors.
 *
 * @example
 * try { await decrypt(i, o, p) } catch (e) { const err = e as DecryptErrorType }
 */
export type DecryptErrorType = CryptoError | Error;

const enum Phase {
  Detect,
  Header,
  Nonce,
  Payload,
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function headerError(reason: string, details?: string): never {
  throw cryptoError("AGE_HEADER_INVALID", `invalid age header: ${reason}`, { details });
}

/**
 * The age decryption core: armor detection, header parsing (nothing is emitted before the header MAC
 * verified), file key unwrapping, then the STREAM payload, whose chunks are emitted only once
 * authenticated. A failure is final: the instance then throws the same error.
 *
 * @example
 * const parts: Buffer[] = [];
 * const dec = new AgeDecryptor({ identities: [identity] }, (b) => parts.push(b));
 * dec.update(file);
 * dec.final();
 */
export class AgeDecryptor implements StreamCore {
  readonly #identities: readonly AgeIdentity[];
  readonly #emit: (chunk: Buffer) => void;
  readonly #maxHeaderSize: number;
  #armorMode: boolean | "auto";
  #armor: ArmorDecoder | undefined;
  #phase = Phase.Detect;
  #pending: Buffer[] = [];
  #pendingLen = 0;
  #payload: PayloadDecryptor | undefined;
  #fileKey: Buffer | undefined;
  #headerSize = 0;
  #failed: unknown;

  constructor(params: DecryptParameters, emit: (chunk: Buffer) => void) {
    if (!params || !Array.isArray(params.identities) || params.identities.length === 0) {
      throw cryptoError("CRYPTO_INVALID_ARGUMENT", "age decryption needs at least one identity");
    }
    this.#identities = params.identities.map(toIdentity);
    this.#emit = emit;
    this.#armorMode = params.armor ?? "auto";
    this.#maxHeaderSize = params.maxHeaderSize ?? AGE.maxHeaderSize;
  }

  /** Authenticated plaintext bytes emitted so far. */
  get plaintextSize(): number {
    return this.#payload?.bytesOut ?? 0;
  }

  /** Binary age bytes consumed so far. */
  get ciphertextSize(): number {
    return this.#headerSize + (this.#payload ? AGE.payloadNonceSize + this.#payload.bytesIn : this.#pendingLen);
  }

  /** Consumes (binary or armored) age bytes. */
  update(data: Uint8Array): void {
    if (this.#failed) throw this.#failed;
    try {
      if (data.length === 0) return;
      if (this.#phase === Phase.Detect && !this.#detect(data)) return;
      if (this.#armor) this.#armor.update(data);
      else this.#binary(asBuffer(data));
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Ends the input: throws unless the file was complete and authentic. */
  final(): void {
    if (this.#failed) throw this.#failed;
    try {
      if (this.#phase === Phase.Detect) {
        // Nothing but whitespace (or nothing) arrived.
        if (this.#armorMode === true) this.#armor = new ArmorDecoder((b) => this.#binary(b));
        this.#phase = Phase.Header;
        const pending = Buffer.concat(this.#pending);
        this.#pending = [];
        this.#pendingLen = 0;
        if (this.#armor) this.#armor.update(pending);
        else if (pending.length) this.#binary(pending);
      }
      this.#armor?.final();
      if (this.#phase === Phase.Header) {
        headerError(this.#pendingLen === 0 ? "the file is empty" : "the header is truncated");
      }
      if (this.#phase === Phase.Nonce) headerError("the payload nonce is truncated");
      this.#payload?.final();
    } catch (e) {
      this.#fail(e);
    }
  }

  /**
   * Decides between armor and binary. Returns whether the caller still has to process `data` (false
   * while only whitespace has arrived, which is kept until the decision).
   */
  #detect(data: Uint8Array): boolean {
    let consumed = false;
    if (this.#armorMode === "auto") {
      const armored = looksArmored(data);
      if (armored === undefined) {
        this.#pending.push(Buffer.from(data));
        this.#pendingLen += data.length;
        if (this.#pendingLen <= 2 * AGE_ARMOR.maxWhitespace) return false;
        this.#armorMode = false;
        consumed = true;
      } else {
        this.#armorMode = armored;
      }
    }
    if (this.#armorMode) this.#armor = new ArmorDecoder((b) => this.#binary(b));
    this.#phase = Phase.Header;
    if (this.#pending.length) {
      const pending = Buffer.concat(this.#pending);
      this.#pending = [];
      this.#pendingLen = 0;
      if (this.#armor) this.#armor.update(pending);
      else this.#binary(pending);
    }
    return !consumed;
  }

  /** Binary age bytes. */
  #binary(data: Buffer): void {
    if (this.#phase === Phase.Payload) return (this.#payload as PayloadDecryptor).update(data);
    if (data.length === 0) return;
    this.#pending.push(data);
    this.#pendingLen += data.length;
    if (this.#pending.length > 1) this.#pending = [Buffer.concat(this.#pending)];
    let buffered = this.#pending[0] as Buffer;
    if (this.#phase === Phase.Header) {
      const parsed = parseHeader(buffered, this.#maxHeaderSize);
      if (!parsed) {
        if (buffered.buffer === data.buffer) this.#pending = [Buffer.from(buffered)]; // own what we keep
        return;
      }
      this.#fileKey = unwrapFileKey(parsed.header, this.#identities);
      this.#headerSize = parsed.size;
      buffered = buffered.subarray(parsed.size);
      this.#pending = [buffered];
      this.#pendingLen = buffered.length;
      this.#phase = Phase.Nonce;
    }
    if (buffered.length < AGE.payloadNonceSize) {
      this.#pending = [Buffer.from(buffered)];
      return;
    }
    const fileKey = this.#fileKey as Buffer;
    const key = payloadKey(fileKey, buffered.subarray(0, AGE.payloadNonceSize));
    fileKey.fill(0);
    this.#fileKey = undefined;
    this.#payload = new PayloadDecryptor(key, this.#emit);
    key.fill(0);
    this.#pending = [];
    this.#pendingLen = 0;
    this.#phase = Phase.Payload;
    this.#payload.update(buffered.subarray(AGE.payloadNonceSize));
  }

  #fail(e: unknown): never {
    this.#failed = e;
    this.#fileKey?.fill(0);
    this.#pending = [];
    throw e;
  }
}

/**
 * A Transform that decrypts what is written to it. It emits plaintext chunk by chunk as each is
 * authenticated (as `age` does), so on a failure the output holds a prefix of authentic plaintext: use
 * {@link decryptFile} when a file must appear only whole.
 *
 * @example
 * await pipeline(createReadStream("evidence.age"), createDecryptStream({ identities }), res);
 */
export function createDecryptStream(params: DecryptParameters): Transform {
  return coreTransform((emit) => new AgeDecryptor(params, emit));
}

/**
 * Decrypts a stream into a stream, in constant memory. Resolves once `output` has finished; rejects
 * with a typed error (see {@link DecryptErrorType}), after which `output` holds at most a prefix of
 * authentic plaintext. From a file stream nobody has read yet into a new file stream (`createReadStream`
 * into `createWriteStream` with flag `w`), a binary file of `PARALLEL_FILE_FROM` bytes or more is
 * opened on worker threads straight between the two files (see `decryptBetweenFiles`; on a failure the
 * output is cut back and the stream path names the fault), and both streams are closed as `pipeline`
 * would; the output stream's `bytesWritten` then stays 0.
 *
 * @example
 * await decrypt(createReadStream("evidence.age"), createWriteStream("evidence.pdf"), {
 *   identities: parseIdentityFile(await readFile("key.txt", "utf8")),
 * });
 */
export async function decrypt(
  input: Readable | AsyncIterable<Uint8Array>,
  output: Writable,
  params: DecryptParameters,
): Promise<DecryptReturnType> {
  const sizes = await betweenFileStreams(input, output, (ends) => decryptBetweenFiles(ends, params));
  if (sizes) return sizes;
  let core: AgeDecryptor | undefined;
  await pipeCore(input, output, (emit) => (core = new AgeDecryptor(params, emit)));
  const c = core as unknown as AgeDecryptor;
  return { plaintextSize: c.plaintextSize, ciphertextSize: c.ciphertextSize };
}

/**
 * Decrypts a whole (binary or armored) file held in memory; returns the plaintext only if the whole
 * file authenticated.
 *
 * @example
 * const manifestJson = decryptBytes(file, { identities: [identity] }).toString("utf8");
 */
export function decryptBytes(file: Uint8Array, params: DecryptParameters): Buffer {
  return runCore((emit) => new AgeDecryptor(params, emit), file);
}
