import { createCipheriv, createDecipheriv } from "node:crypto";
import { cryptoError } from "./errors";
import { AGE } from "./formats";
import { hkdfSha256 } from "./kdf";

/**
 * The age payload: STREAM (Hoang, Reyhanitabar, Rogaway, Vizár) over ChaCha20-Poly1305 with 64 KiB
 * chunks. Chunk i is sealed under the nonce `i` (11 bytes, big-endian) ‖ `last` (1 byte: 1 for the final
 * chunk, else 0). Only the final chunk may be shorter than 64 KiB, and it is empty only when the whole
 * payload is.
 *
 * Both classes are push-style cores: feed bytes with `update`, end with `final`, and receive output
 * through the `emit` callback. They allocate one 64 KiB scratch buffer, seal or open chunks straight out
 * of the caller's buffers when a chunk does not straddle two of them. The encryptor holds back one chunk
 * (it may be the final one); the decryptor holds back an incomplete chunk and emits a chunk only once it
 * is authenticated.
 */

/**
 * The payload key: HKDF-SHA256(file key, payload nonce, "payload").
 *
 * @example
 * const key = payloadKey(fileKey, nonce); // 32 bytes
 */
export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return hkdfSha256(fileKey, nonce, AGE.payloadLabel, 32);
}

const CHUNK = AGE.chunkSize;
const TAG = AGE.tagSize;
const ENCRYPTED_CHUNK = AGE.encryptedChunkSize;
const CIPHER_OPTIONS = { authTagLength: TAG } as const;

/** The 12-byte STREAM nonce of chunk `counter`. */
class ChunkNonce {
  readonly bytes = Buffer.alloc(12);
  counter = 0;

  set(last: boolean): Buffer {
    this.bytes.writeUInt32BE(Math.floor(this.counter / 0x1_0000_0000), 3);
    this.bytes.writeUInt32BE(this.counter >>> 0, 7);
    this.bytes[11] = last ? 1 : 0;
    return this.bytes;
  }
}

/**
 * Encrypts a payload chunk by chunk.
 *
 * @example
 * const out: Buffer[] = [];
 * const enc = new PayloadEncryptor(payloadKey(fileKey, nonce), (b) => out.push(b));
 * enc.update(plaintext);
 * enc.final();
 */
export class PayloadEncryptor {
  /** Plaintext bytes consumed so far. */
  bytesIn = 0;
  /** Ciphertext bytes emitted so far. */
  bytesOut = 0;
  readonly #key: Buffer;
  readonly #emit: (chunk: Buffer) => void;
  readonly #nonce = new ChunkNonce();
  readonly #scratch = Buffer.allocUnsafe(CHUNK);
  #held = 0;
  #finished = false;

  constructor(key: Uint8Array, emit: (chunk: Buffer) => void) {
    this.#key = Buffer.from(key);
    this.#emit = emit;
  }

  /** Consumes plaintext; emits every chunk known not to be the last (its ciphertext, then its tag). */
  update(data: Uint8Array): void {
    if (this.#finished) throw new Error("PayloadEncryptor: update after final");
    const len = data.length;
    if (len === 0) return;
    this.bytesIn += len;
    let off = 0;
    if (this.#held > 0) {
      const need = CHUNK - this.#held;
      if (len <= need) {
        this.#scratch.set(data, this.#held);
        this.#held += len;
        return;
      }
      this.#scratch.set(data.subarray(0, need), this.#held);
      off = need;
      this.#seal(this.#scratch, false);
    }
    while (len - off > CHUNK) {
      this.#seal(data.subarray(off, off + CHUNK), false);
      off += CHUNK;
    }
    this.#scratch.set(data.subarray(off), 0);
    this.#held = len - off;
  }

  /** Seals the held-back data as the final chunk (an empty one for an empty payload). */
  final(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#seal(this.#scratch.subarray(0, this.#held), true);
    this.#held = 0;
    this.#key.fill(0);
  }

  /** Seals one chunk and emits its ciphertext and tag as they come out of the cipher (no copy). */
  #seal(plaintext: Uint8Array, last: boolean): void {
    const cipher = createCipheriv("chacha20-poly1305", this.#key, this.#nonce.set(last), CIPHER_OPTIONS);
    const sealed = cipher.update(plaintext);
    cipher.final();
    const tag = cipher.getAuthTag();
    this.#nonce.counter++;
    this.bytesOut += sealed.length + tag.length;
    if (sealed.length > 0) this.#emit(sealed);
    this.#emit(tag);
  }
}

/**
 * Decrypts a payload chunk by chunk; emits each chunk's plaintext only after its tag verified. A full
 * chunk is opened as soon as it is complete, first as a middle chunk, then as the final one (as the Go
 * implementation does): either way it is authenticated before it is emitted. Throws `AGE_PAYLOAD_INVALID`
 * on a chunk that fails authentication, a missing, truncated or empty final chunk, a payload without any
 * chunk, or data after the final chunk. After a throw the instance is unusable.
 *
 * @example
 * const dec = new PayloadDecryptor(payloadKey(fileKey, nonce), (plain) => output.write(plain));
 * dec.update(ciphertext);
 * dec.final(); // throws if truncated
 */
export class PayloadDecryptor {
  /** Ciphertext bytes consumed so far. */
  bytesIn = 0;
  /** Authenticated plaintext bytes emitted so far. */
  bytesOut = 0;
  readonly #key: Buffer;
  readonly #emit: (chunk: Buffer) => void;
  readonly #nonce = new ChunkNonce();
  readonly #scratch = Buffer.allocUnsafe(ENCRYPTED_CHUNK);
  #held = 0;
  #sawLast = false;
  #failed: unknown;
  #finished = false;

  constructor(key: Uint8Array, emit: (chunk: Buffer) => void) {
    this.#key = Buffer.from(key);
    this.#emit = emit;
  }

  /** Consumes ciphertext; emits the plaintext of every complete, authenticated chunk. */
  update(data: Uint8Array): void {
    if (this.#failed) throw this.#failed;
    if (this.#finished) throw new Error("PayloadDecryptor: update after final");
    const len = data.length;
    if (len === 0) return;
    this.bytesIn += len;
    try {
      let off = 0;
      if (this.#held > 0) {
        const take = Math.min(ENCRYPTED_CHUNK - this.#held, len);
        this.#scratch.set(data.subarray(0, take), this.#held);
        this.#held += take;
        off = take;
        if (this.#held < ENCRYPTED_CHUNK) return;
        this.#held = 0;
        this.#openFull(this.#scratch);
      }
      while (len - off >= ENCRYPTED_CHUNK) {
        if (this.#sawLast) break;
        this.#openFull(data.subarray(off, off + ENCRYPTED_CHUNK));
        off += ENCRYPTED_CHUNK;
      }
      if (off < len && this.#sawLast) {
        throw invalid("data after the final chunk", `the final chunk is chunk ${this.#nonce.counter - 1}`);
      }
      this.#scratch.set(data.subarray(off), 0);
      this.#held = len - off;
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Checks the end of the payload, opening a short final chunk if one is held. */
  final(): void {
    if (this.#failed) throw this.#failed;
    if (this.#finished) return;
    this.#finished = true;
    const held = this.#held;
    this.#held = 0;
    const index = this.#nonce.counter;
    if (!this.#sawLast) {
      if (held === 0) this.#fail(invalid(index === 0 ? "the payload has no chunk" : `the payload ends without a final chunk after chunk ${index - 1}`));
      if (held < TAG) this.#fail(invalid(`chunk ${index} is truncated (${held} bytes, shorter than its tag)`));
      if (held === TAG && index > 0) {
        this.#fail(invalid(`final chunk ${index} is empty`, "only the payload of an empty file ends in an empty chunk"));
      }
      const plain = this.#open(this.#scratch.subarray(0, held), true);
      if (!plain) this.#fail(invalid(`final chunk ${index} failed authentication`, "the file is truncated or corrupted"));
      this.#deliver(plain);
    }
    this.#key.fill(0);
  }

  /** A complete full-size chunk: a middle chunk, or a full final chunk. */
  #openFull(chunk: Uint8Array): void {
    const index = this.#nonce.counter;
    const plain = this.#open(chunk, false) ?? this.#open(chunk, true);
    if (!plain) throw invalid(`chunk ${index} failed authentication`, "the file is corrupted, reordered or spliced");
    if (this.#nonce.bytes[11] === 1) this.#sawLast = true;
    this.#deliver(plain);
  }

  #open(chunk: Uint8Array, last: boolean): Buffer | undefined {
    const decipher = createDecipheriv("chacha20-poly1305", this.#key, this.#nonce.set(last), CIPHER_OPTIONS);
    const end = chunk.length - TAG;
    decipher.setAuthTag(chunk.subarray(end));
    const plain = decipher.update(chunk.subarray(0, end));
    try {
      decipher.final();
    } catch {
      plain.fill(0);
      return undefined;
    }
    return plain;
  }

  #deliver(plain: Buffer): void {
    this.#nonce.counter++;
    this.bytesOut += plain.length;
    if (plain.length > 0) this.#emit(plain);
  }

  #fail(e: unknown): never {
    this.#failed = e;
    this.#key.fill(0);
    throw e;
  }
}

function invalid(reason: string, details?: string) {
  return cryptoError("AGE_PAYLOAD_INVALID", `invalid age payload: ${reason}`, { details });
}
