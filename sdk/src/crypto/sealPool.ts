import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { cryptoError } from "./errors";
import { AGE } from "./formats";

/**
 * A range of an age payload for a worker to seal from one open file into another: chunks
 * `first … first + count - 1` of a payload of `total` chunks over a plaintext of `size` bytes. Chunk `i`
 * is read at `inputOffset + i × 64 KiB` of `inFd` and written, sealed, at `payloadOffset + i × (64 KiB + 16)`
 * of `outFd`; chunk `total - 1` is the final one.
 */
export interface SealRange {
  key: Uint8Array;
  inFd: number;
  inputOffset: number;
  outFd: number;
  first: number;
  count: number;
  total: number;
  size: number;
  payloadOffset: number;
}

/** Chunks a worker reads with one `pread` and writes with one `pwritev`: 1 MiB of plaintext. */
const CHUNKS_PER_IO = 16;

/**
 * The routine a worker runs on each range it is sent. It seals each chunk exactly as `PayloadEncryptor`
 * does (nonce: the chunk index in 11 big-endian bytes, then 1 for the final chunk), reading and writing
 * {@link CHUNKS_PER_IO} chunks at a time (measured here: 1 MiB per call beats 64 KiB by 10 % and 2 MiB
 * by 4 %); reads and writes are positional, so the workers share the two descriptors without a seek.
 */
const SEAL_RANGE_SOURCE = `function sealRange({ readSync, writevSync, createCipheriv }, { key, inFd, inputOffset, outFd, first, count, total, size, payloadOffset }) {
  const CHUNK = ${AGE.chunkSize};
  const TAG = ${AGE.tagSize};
  const PER_IO = ${CHUNKS_PER_IO};
  const nonce = Buffer.alloc(12);
  const plain = Buffer.allocUnsafe(CHUNK * PER_IO);
  const end = first + count;
  for (let start = first; start < end; start += PER_IO) {
    const stop = Math.min(start + PER_IO, end);
    const length = (stop === total ? size : stop * CHUNK) - start * CHUNK;
    for (let got = 0; got < length; ) {
      const n = readSync(inFd, plain, got, length - got, inputOffset + start * CHUNK + got);
      if (n === 0) throw Object.assign(new Error("the input file is shorter than when encryption started"), { code: "INPUT_CHANGED" });
      got += n;
    }
    let parts = [];
    for (let i = start; i < stop; i++) {
      nonce.writeUInt32BE(Math.floor(i / 0x100000000), 3);
      nonce.writeUInt32BE(i >>> 0, 7);
      nonce[11] = i === total - 1 ? 1 : 0;
      const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG });
      const at = (i - start) * CHUNK;
      parts.push(cipher.update(plain.subarray(at, Math.min(at + CHUNK, length))));
      cipher.final();
      parts.push(cipher.getAuthTag());
    }
    let position = payloadOffset + start * (CHUNK + TAG);
    let left = length + (stop - start) * TAG;
    for (;;) {
      const n = writevSync(outFd, parts, position);
      left -= n;
      if (left === 0) break;
      position += n;
      parts = [Buffer.concat(parts).subarray(n)];
    }
  }
}`;

/**
 * A worker (CommonJS, evaluated: no file to resolve, so it runs the same from TypeScript sources, compiled
 * JavaScript or a bundle): seals the ranges it is sent, zeroes its copy of the key after each, and hands
 * errors back as { code, message }.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const io = { ...require("node:fs"), createCipheriv: require("node:crypto").createCipheriv };
const sealRange = ${SEAL_RANGE_SOURCE};
parentPort.on("message", (range) => {
  const key = Buffer.from(range.key);
  try {
    sealRange(io, { ...range, key });
    parentPort.postMessage({ id: range.id });
  } catch (e) {
    parentPort.postMessage({ id: range.id, error: { code: e && e.code, message: String((e && e.message) || e) } });
  } finally {
    key.fill(0);
    new Uint8Array(range.key).fill(0);
  }
});
`;

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface WorkerMessage {
  id: number;
  error?: { code?: string; message: string };
}

/** One worker thread and the ranges it owes. */
class SealWorker {
  readonly pending = new Map<number, Pending>();
  readonly worker: Worker;

  constructor(onGone: (w: SealWorker) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref(); // an idle pool never keeps the process alive
    this.worker.on("message", (m: WorkerMessage) => {
      const job = this.pending.get(m.id);
      if (!job) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      if (m.error) job.reject(rangeError(m.error));
      else job.resolve();
    });
    const gone = (reason: string) => {
      onGone(this);
      const jobs = [...this.pending.values()];
      this.pending.clear();
      for (const job of jobs) job.reject(cryptoError("CRYPTO_WORKER_FAILED", `a payload sealing worker failed: ${reason}`));
    };
    this.worker.on("error", (e) => gone(e.message));
    this.worker.on("exit", (code) => gone(`the sealing worker exited (code ${code})`));
  }

  post(id: number, job: Pending, range: SealRange): void {
    if (this.pending.size === 0) this.worker.ref(); // a range in flight keeps the process alive until it is done
    this.pending.set(id, job);
    const key = new Uint8Array(range.key);
    this.worker.postMessage({ ...range, id, key: key.buffer }, [key.buffer]);
  }
}

/** A worker's error as the caller would have seen it: a file system error keeps its code. */
function rangeError(e: { code?: string; message: string }): Error {
  if (e.code === "INPUT_CHANGED") return cryptoError("CRYPTO_INPUT_CHANGED", e.message, { details: "the file was truncated while it was being encrypted" });
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

/**
 * Worker threads that seal ranges of an age payload straight from one file into another, so encrypting a
 * file is not held to one core and each chunk is written while it is hot in the cache. Workers start on
 * first use and stay, unreferenced while idle (an idle pool does not keep the process alive); a worker
 * that dies fails its ranges with `CRYPTO_WORKER_FAILED` and is replaced on the next range.
 *
 * @example
 * await sealPool().seal({ key, inFd, inputOffset: 0, outFd, first: 0, count: 64, total, size, payloadOffset });
 */
export class SealPool {
  readonly #workers: SealWorker[] = [];
  #nextId = 0;

  /** `size`: the number of worker threads (at least one). */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw cryptoError("CRYPTO_INVALID_ARGUMENT", `a sealing pool needs at least one worker, not ${size}`);
  }

  /** Seals one range (see {@link SealRange}); rejects with the worker's error. */
  seal(range: SealRange): Promise<void> {
    const worker = this.#pick();
    const id = ++this.#nextId;
    return new Promise<void>((resolve, reject) => worker.post(id, { resolve, reject }, range));
  }

  /** Stops every worker (their ranges fail); the pool starts new ones if used again. */
  async close(): Promise<void> {
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  /** The least busy worker, starting one while the pool is not full and every worker has work. */
  #pick(): SealWorker {
    let best: SealWorker | undefined;
    for (const w of this.#workers) if (!best || w.pending.size < best.pending.size) best = w;
    if (best && (best.pending.size === 0 || this.#workers.length >= this.size)) return best;
    const w = new SealWorker((gone) => {
      const i = this.#workers.indexOf(gone);
      if (i >= 0) this.#workers.splice(i, 1);
    });
    this.#workers.push(w);
    return w;
  }
}

let shared: SealPool | undefined;

/** Most workers of the process's pool, however many cores there are. */
const MAX_WORKERS = 8;

/**
 * The process's sealing pool: one worker per available core, at most {@link MAX_WORKERS}.
 *
 * @example
 * const pool = sealPool();
 */
export function sealPool(): SealPool {
  return (shared ??= new SealPool(Math.min(availableParallelism(), MAX_WORKERS)));
}
