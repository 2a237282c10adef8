import { cryptoError } from "./errors";
import { statOf } from "./fileStreams";
import { AGE } from "./formats";
import { sealPool, type SealPool } from "./sealPool";

/** Chunks per range handed to a worker: 4 MiB of plaintext, a few milliseconds of work. */
const RANGE_CHUNKS = 64;
/** Ranges queued per worker, so a worker never waits for its next one. */
const RANGES_PER_WORKER = 2;

/**
 * Plaintext size from which files (and file streams) are sealed on worker threads: below it, starting the
 * workers (some tens of milliseconds) costs more than it saves.
 */
export const PARALLEL_FILE_FROM = 16 * 1024 * 1024;

/**
 * Arguments of {@link sealFileInParallel}.
 *
 * @example
 * const args: ParallelFileSeal = { key, inFd, outFd, size, payloadOffset: preamble.length };
 */
export interface ParallelFileSeal {
  /** The payload key (HKDF of the file key and the payload nonce). */
  readonly key: Uint8Array;
  /** The plaintext: a regular file, read by position from `inputOffset`. */
  readonly inFd: number;
  /** Where the plaintext starts in its file (default 0). */
  readonly inputOffset?: number;
  /** True when the plaintext runs to the end of its file (then the file must not grow meanwhile either). */
  readonly toEnd?: boolean;
  /** The age file, written by position from `payloadOffset` (the header and nonce are the caller's). */
  readonly outFd: number;
  readonly payloadOffset: number;
  /** The plaintext's size when encryption starts. */
  readonly size: number;
  /** The worker pool (default: the process's). */
  readonly pool?: SealPool;
}

/**
 * Seals the age STREAM payload of a regular file into another, on worker threads: the chunks are cut into
 * ranges of {@link RANGE_CHUNKS}, handed out to the workers as they finish, and each range's chunks are read, sealed and written at their places
 * in the output (the layout of an age payload is fixed by the plaintext size). The bytes are exactly those `PayloadEncryptor` produces. A file that shrinks while it
 * is read (or grows, with `toEnd`) fails with `CRYPTO_INPUT_CHANGED`; the output is then the caller's to
 * discard. Returns the payload's size in bytes.
 *
 * @example
 * const payloadBytes = await sealFileInParallel({ key, inFd, outFd, size, toEnd: true, payloadOffset: preamble.length });
 */
export async function sealFileInParallel(args: ParallelFileSeal): Promise<number> {
  const { key, inFd, outFd, size, payloadOffset, inputOffset = 0 } = args;
  const pool = args.pool ?? sealPool();
  const total = size === 0 ? 1 : Math.ceil(size / AGE.chunkSize);
  let next = 0;
  let failure: unknown;
  const range = () => {
    const first = next;
    const count = Math.min(RANGE_CHUNKS, total - first);
    next += count;
    return { key, inFd, outFd, inputOffset, first, count, total, size, payloadOffset };
  };
  const workerLane = async () => {
    while (next < total && failure === undefined) {
      try {
        await pool.seal(range());
      } catch (e) {
        failure ??= e;
      }
    }
  };
  const lanes = Array.from({ length: pool.size * RANGES_PER_WORKER }, workerLane);
  await Promise.all(lanes);
  if (failure !== undefined) throw failure;
  const after = (await statOf(inFd)).size;
  const end = inputOffset + size;
  if (after < end || (args.toEnd && after !== end)) {
    throw cryptoError("CRYPTO_INPUT_CHANGED", "the input file changed size while it was being encrypted", {
      details: `the plaintext was to end at byte ${end}; the file now has ${after}`,
    });
  }
  return size + total * AGE.tagSize;
}
