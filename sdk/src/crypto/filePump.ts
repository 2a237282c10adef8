import type { FileHandle } from "node:fs/promises";
import type { StreamCore } from "./streamCore";

/** Bytes per read: large enough that most chunks are processed in place, small enough for a flat RSS. */
const READ_SIZE = 4 * 1024 * 1024;

/**
 * Runs a core from one open file into another with overlapped I/O and no stream machinery: while the
 * core works on one block, the next block is being read and the previous output is being written
 * (both on libuv's thread pool). Two fixed read buffers are reused, so memory stays flat at about four
 * blocks whatever the file size. The core must not keep references to its input (ours copy what they
 * hold back). Returns the bytes written.
 *
 * @example
 * const written = await pumpFile(await open("in.age"), out, (emit) => new AgeDecryptor(params, emit));
 */
export async function pumpFile(
  input: FileHandle,
  output: FileHandle,
  makeCore: (emit: (chunk: Buffer) => void) => StreamCore,
): Promise<number> {
  let pending: Buffer[] = [];
  const core = makeCore((chunk) => pending.push(chunk));
  const buffers: Buffer[] = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
  let which = 0;
  let written = 0;
  let write: Promise<void> = Promise.resolve();
  // Every in-flight promise gets a handler at once (a rejection is awaited later, never left unhandled).
  const settle = <T>(p: Promise<T>): Promise<T> => (p.catch(() => undefined), p);
  let read = settle(input.read(buffers[0] as Buffer, 0, READ_SIZE, null));
  const flush = async (chunks: Buffer[]) => {
    if (chunks.length === 0) return;
    await writeAll(output, chunks);
    for (const c of chunks) written += c.length;
  };
  try {
    for (;;) {
      const { bytesRead } = await read;
      if (bytesRead === 0) break;
      const current = buffers[which] as Buffer;
      which ^= 1;
      read = settle(input.read(buffers[which] as Buffer, 0, READ_SIZE, null));
      core.update(current.subarray(0, bytesRead));
      await write;
      const chunks = pending;
      pending = [];
      write = settle(flush(chunks));
    }
    core.final();
    await write;
    await flush(pending);
    return written;
  } finally {
    // Settle whatever is in flight before the caller closes the files.
    await Promise.allSettled([read, write]);
  }
}

/** writev until every byte is written (a regular file may still take a partial write). */
async function writeAll(output: FileHandle, chunks: Buffer[]): Promise<void> {
  const MAX_IOV = 1024;
  for (let start = 0; start < chunks.length; start += MAX_IOV) {
    let batch = chunks.slice(start, start + MAX_IOV);
    let total = batch.reduce((n, c) => n + c.length, 0);
    while (total > 0) {
      const { bytesWritten } = await output.writev(batch);
      total -= bytesWritten;
      if (total === 0) break;
      // Drop what was written and retry with the rest.
      let skip = bytesWritten;
      const rest: Buffer[] = [];
      for (const c of batch) {
        if (skip >= c.length) skip -= c.length;
        else {
          rest.push(skip > 0 ? c.subarray(skip) : c);
          skip = 0;
        }
      }
      batch = rest;
    }
  }
}
