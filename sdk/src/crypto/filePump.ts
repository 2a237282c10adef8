import type { FileHandle } from "node:fs/promises";
import { fileBlocks } from "./blockReader";
import { fileSink } from "./chunkSink";
import { OutputBatch, runPump } from "./corePump";
import type { StreamCore } from "./streamCore";

/**
 * Runs a core from one open file into another with overlapped I/O and no stream machinery: while the
 * core works on one block, the next block is being read and the previous output is being written
 * (both on libuv's thread pool). Two fixed read buffers are reused (see {@link fileBlocks}), so memory
 * stays flat at a few blocks whatever the file size. The input is read from its current position. The
 * core must not keep references to its input (ours copy what they hold back). Returns the bytes written.
 *
 * @example
 * const written = await pumpFile(await open("in.age"), out, (emit) => new AgeDecryptor(params, emit));
 */
export async function pumpFile(
  input: FileHandle,
  output: FileHandle,
  makeCore: (emit: (chunk: Buffer) => void) => StreamCore,
): Promise<number> {
  const batch = new OutputBatch();
  const core = makeCore(batch.emit);
  const readAt = async (buffer: Buffer, offset: number, length: number, position: number | null) =>
    (await input.read(buffer, offset, length, position)).bytesRead;
  return runPump(fileBlocks(readAt), core, batch, fileSink(output));
}
