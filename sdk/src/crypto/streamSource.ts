import { read, type ReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { fileBlocks } from "./blockReader";
import { isUnreadFileStream, openedFd, type FileStreamState } from "./fileStreams";

/**
 * The blocks to pump out of `input`. An `fs.ReadStream` nobody has read from yet is read straight from
 * its file descriptor into two reused buffers (see {@link fileBlocks}), from its `start` to its `end`,
 * without the stream machinery (which allocates a buffer per read); the stream is destroyed afterwards,
 * which closes the file as the stream would have. Anything else (a stream already read from, one with a
 * custom `fs` option, a subclass, any other Readable or async iterable) is iterated as it is.
 *
 * @example
 * for await (const block of pumpSource(createReadStream("in.pdf"))) core.update(block);
 */
export function pumpSource(input: Readable | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (!isUnreadFileStream(input)) return input;
  return readFileStream(input);
}

async function* readFileStream(input: ReadStream): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    const fd = await openedFd(input);
    const state = input as unknown as FileStreamState;
    const end = state.end === undefined || state.end === Infinity ? Infinity : state.end + 1; // ReadStream's end is inclusive
    const readAt = (buffer: Buffer, offset: number, length: number, position: number | null) =>
      new Promise<number>((resolve, reject) => read(fd, buffer, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
    yield* fileBlocks(readAt, state.start, end);
  } finally {
    input.destroy();
  }
}
