import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { cryptoError } from "./errors";
import { AGE } from "./formats";

/**
 * A range of an age STREAM payload for a worker to seal or open from one open file into another: chunks
 * `first … first + count - 1` of `total` chunks over `size` bytes of input. Sealing reads plaintext chunks
 * of 64 KiB and writes chunks of 64 KiB + 16 (the tag); opening does the reverse. Chunk `i` is read at
 * `inputOffset + i × input chunk` of `inFd` and written at `outputOffset + i × output chunk` of `outFd`;
 * chunk `total - 1` is the final one.
 */
export interface PayloadRange {
  kind: "seal" | "open";
  key: Uint8Array;
  inFd: number;
  inputOffset: number;
  outFd: number;
  outputOffset: number;
  first: number;
  count: number;
  total: number;
  size: number;
}

/** Chunks a worker reads with one `pread` and writes with one `pwritev`: about 1 MiB. */
const CHUNKS_PER_IO = 16;

/**
 * The routine a worker runs on each range it is sent. Each chunk is sealed or opened exactly as
 * `PayloadEncryptor` / `PayloadDecryptor` do (nonce: the chunk index in 11 big-endian bytes, then 1 for the
 * final chunk); {@link CHUNKS_PER_IO} chunks are read and written at a time (measured here: 1 MiB per
 * call beats 64 KiB by 10 % and 2 MiB by 4 %). Reads and writes are positional, so the workers share the
 * two descriptors without a seek. A chunk that fails authentication throws (code AUTH_FAILED) before
 * anything of its group is written.
 */
const RANGE_SOURCE = `function runRange({ readSync, writevSync, createCipheriv, createDecipheriv }, { kind, key, inFd, inputOffset, outFd, outputOffset, first, count, total, size }) {
  const CHUNK = ${AGE.chunkSize};
  const TAG = ${AGE.tagSize};
  const PER_IO = ${CHUNKS_PER_IO};
  const seal = kind === "seal";
  const inChunk = seal ? CHUNK : CHUNK + TAG;
  const outChunk = seal ? CHUNK + TAG : CHUNK;
  const nonce = Buffer.alloc(12);
  const input = Buffer.allocUnsafe(inChunk * PER_IO);
  const end = first + count;
  for (let start = first; start < end; start += PER_IO) {
    const stop = Math.min(start + PER_IO, end);
    const length = (stop === total ? size : stop * inChunk) - start * inChunk;
    for (let got = 0; got < length; ) {
      const n = readSync(inFd, input, got, length - got, inputOffset + start * inChunk + got);
      if (n === 0) throw Object.assign(new Error("the input file is shorter than when the work started"), { code: "INPUT_CHANGED" });
      got += n;
    }
    let parts = [];
    let bytes = 0;
    for (let i = start; i < stop; i++) {
      nonce.writeUInt32BE(Math.floor(i / 0x100000000), 3);
      nonce.writeUInt32BE(i >>> 0, 7);
      nonce[11] = i === total - 1 ? 1 : 0;
      const chunk = input.subarray((i - start) * inChunk, Math.min((i - start + 1) * inChunk, length));
      if (seal) {
        const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG });
        parts.push(cipher.update(chunk));
        cipher.final();
        parts.push(cipher.getAuthTag());
        bytes += chunk.length + TAG;
      } else {
        const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: TAG });
        decipher.setAuthTag(chunk.subarray(chunk.length - TAG));
        const plain = decipher.update(chunk.subarray(0, chunk.length - TAG));
        try {
          decipher.final();
        } catch {
          throw Object.assign(new Error("chunk " + i + " failed authentication"), { code: "AUTH_FAILED" });
        }
        parts.push(plain);
        bytes += plain.length;
      }
    }
    let position = outputOffset + start * outChunk;
    while (bytes > 0) {
      const n = writevSync(outFd, parts, position);
      bytes -= n;
      position += n;
      if (bytes > 0) parts = [Buffer.concat(parts).subarray(n)];
    }
  }
}`;

/**
 * A worker (CommonJS, evaluated: no file to resolve, so it runs the same from TypeScript sources, compiled
 * JavaScript or a bundle): runs the ranges it is sent, zeroes its copy of the key after each, and hands
 * errors back as { code, message }.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createCipheriv, createDecipheriv } = require("node:crypto");
const io = { ...require("node:fs"), createCipheriv, createDecipheriv };
const runRange = ${RANGE_SOURCE};
parentPort.on("message", (range) => {
  const key = Buffer.from(range.key);
  try {
    runRange(io, { ...range, key });
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
class PayloadWorker {
  readonly pending = new Map<number, Pending>();
  readonly worker: Worker;

  constructor(onGone: (w: PayloadWorker) => void) {
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
      for (const job of jobs) job.reject(cryptoError("CRYPTO_WORKER_FAILED", `a payload worker failed: ${reason}`));
    };
    this.worker.on("error", (e) => gone(e.message));
    this.worker.on("exit", (code) => gone(`the payload worker exited (code ${code})`));
  }

  post(id: number, job: Pending, range: PayloadRange): void {
    if (this.pending.size === 0) this.worker.ref(); // a range in flight keeps the process alive until it is done
    this.pending.set(id, job);
    const key = new Uint8Array(range.key);
    this.worker.postMessage({ ...range, id, key: key.buffer }, [key.buffer]);
  }
}

/** A worker's error as the caller would have seen it: a file system error keeps its code. */
function rangeError(e: { code?: string; message: string }): Error {
  if (e.code === "INPUT_CHANGED") return cryptoError("CRYPTO_INPUT_CHANGED", e.message, { details: "the file was truncated while it was being read" });
  if (e.code === "AUTH_FAILED") return cryptoError("AGE_PAYLOAD_INVALID", `invalid age payload: ${e.message}`);
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

/**
 * Worker threads that seal or open ranges of an age payload straight from one file into another, so a
 * file's encryption or decryption is not held to one core. Workers start on first use and stay,
 * unreferenced while idle (an idle pool does not keep the process alive); a worker that dies fails its
 * ranges with `CRYPTO_WORKER_FAILED` and is replaced on the next range.
 *
 * @example
 * await payloadPool().run({ kind: "seal", key, inFd, inputOffset: 0, outFd, outputOffset, first: 0, count: 64, total, size });
 */
export class PayloadPool {
  readonly #workers: PayloadWorker[] = [];
  #nextId = 0;

  /** `size`: the number of worker threads (at least one). */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw cryptoError("CRYPTO_INVALID_ARGUMENT", `a payload pool needs at least one worker, not ${size}`);
  }

  /** Runs one range (see {@link PayloadRange}); rejects with the worker's error. */
  run(range: PayloadRange): Promise<void> {
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
  #pick(): PayloadWorker {
    let best: PayloadWorker | undefined;
    for (const w of this.#workers) if (!best || w.pending.size < best.pending.size) best = w;
    if (best && (best.pending.size === 0 || this.#workers.length >= this.size)) return best;
    const w = new PayloadWorker((gone) => {
      const i = this.#workers.indexOf(gone);
      if (i >= 0) this.#workers.splice(i, 1);
    });
    this.#workers.push(w);
    return w;
  }
}

/** Most workers of the process's pool, however many cores there are. */
const MAX_WORKERS = 8;

let shared: PayloadPool | undefined;

/**
 * The process's payload pool: one worker per available core, at most {@link MAX_WORKERS}.
 *
 * @example
 * const pool = payloadPool();
 */
export function payloadPool(): PayloadPool {
  return (shared ??= new PayloadPool(Math.min(availableParallelism(), MAX_WORKERS)));
}
