import { cryptoError } from "./errors";
import { statOf } from "./fileStreams";
import { AGE } from "./formats";
import { payloadPool, type PayloadPool, type PayloadRange } from "./payloadPool";

/** Chunks per range handed to a worker: 4 MiB of plaintext, a few milliseconds of work. */
const RANGE_CHUNKS = 64;
/** Ranges queued per worker, so a worker never waits for its next one. */
const RANGES_PER_WORKER = 2;

/**
 * Size from which files (and file streams) are encrypted or decrypted on worker threads: below it,
 * starting the workers (some tens of milliseconds) costs more than it saves.
 */
export const PARALLEL_FILE_FROM = 16 * 1024 * 1024;

/**
 * Arguments of {@link sealFileInParallel} and {@link openFileInParallel}.
 *
 * @example
 * const args: ParallelPayload = { key, inFd, outFd, size, outputOffset: preamble.length };
 */
export interface ParallelPayload {
  /** The payload key (HKDF of the file key and the payload nonce). */
  readonly key: Uint8Array;
  /** The input: a regular file, read by position from `inputOffset`. */
  readonly inFd: number;
  /** Where the input starts in its file (default 0). */
  readonly inputOffset?: number;
  /** True when the input runs to the end of its file (then the file must not grow meanwhile either). */
  readonly toEnd?: boolean;
  /** Bytes of input (plaintext to seal, or the payload to open) when the work starts. */
  readonly size: number;
  /** The output file, written by position from `outputOffset` (what comes before is the caller's). */
  readonly outFd: number;
  readonly outputOffset: number;
  /** The worker pool (default: the process's). */
  readonly pool?: PayloadPool;
}

/**
 * Seals the age STREAM payload of a regular file into another, on worker threads: the chunks are cut
 * into ranges of {@link RANGE_CHUNKS}, handed out to the workers as they finish, and each range's chunks
 * are read, sealed and written at their places in the output (the layout of an age payload is fixed by
 * the plaintext size). The bytes are exactly those `PayloadEncryptor` produces. A file that shrinks while
 * it is read (or grows, with `toEnd`) fails with `CRYPTO_INPUT_CHANGED`; the output is then the caller's
 * to discard. Returns the payload's size in bytes.
 *
 * @example
 * const payloadBytes = await sealFileInParallel({ key, inFd, outFd, size, toEnd: true, outputOffset: preamble.length });
 */
export async function sealFileInParallel(args: ParallelPayload): Promise<number> {
  const total = args.size === 0 ? 1 : Math.ceil(args.size / AGE.chunkSize);
  await runRanges("seal", total, args);
  return args.size + total * AGE.tagSize;
}

/**
 * Opens a well-formed age STREAM payload of `size` bytes (see {@link payloadLayoutIsValid}) from a regular
 * file into another, on worker threads, as {@link sealFileInParallel} seals one: chunk `i` is opened as a
 * middle chunk, the last one as the final chunk. Plaintext lands in the output only chunk by authenticated
 * chunk, but chunks land out of order: write into a file that is discarded on failure. A chunk that fails
 * authentication fails the whole with `AGE_PAYLOAD_INVALID`. Returns the plaintext's size in bytes.
 *
 * @example
 * const plaintextBytes = await openFileInParallel({ key, inFd, inputOffset: payloadStart, size, toEnd: true, outFd, outputOffset: 0 });
 */
export async function openFileInParallel(args: ParallelPayload): Promise<number> {
  const total = Math.ceil(args.size / AGE.encryptedChunkSize);
  await runRanges("open", total, args);
  return args.size - total * AGE.tagSize;
}

/**
 * True when `size` bytes can be a whole age payload: at least one chunk, and a final chunk that holds at
 * least its tag and is empty only when it is the only chunk.
 *
 * @example
 * if (payloadLayoutIsValid(fileSize - payloadStart)) await openFileInParallel(…);
 */
export function payloadLayoutIsValid(size: number): boolean {
  if (size <= 0) return false;
  const total = Math.ceil(size / AGE.encryptedChunkSize);
  const last = size - (total - 1) * AGE.encryptedChunkSize;
  return last > AGE.tagSize || (last === AGE.tagSize && total === 1);
}

/** Hands the ranges out to the pool's workers, then checks that the input kept its size. */
async function runRanges(kind: PayloadRange["kind"], total: number, args: ParallelPayload): Promise<void> {
  const { key, inFd, outFd, size, outputOffset, inputOffset = 0 } = args;
  const pool = args.pool ?? payloadPool();
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < total && failure === undefined) {
      const first = next;
      const count = Math.min(RANGE_CHUNKS, total - first);
      next += count;
      try {
        await pool.run({ kind, key, inFd, inputOffset, outFd, outputOffset, first, count, total, size });
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: pool.size * RANGES_PER_WORKER }, lane));
  if (failure !== undefined) throw failure;
  const after = (await statOf(inFd)).size;
  const end = inputOffset + size;
  if (after < end || (args.toEnd && after !== end)) {
    throw cryptoError("CRYPTO_INPUT_CHANGED", "the input file changed size while it was being read", {
      details: `the input was to end at byte ${end}; the file now has ${after}`,
    });
  }
}
