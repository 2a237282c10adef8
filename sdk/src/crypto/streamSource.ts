import { read, ReadStream } from "node:fs";
import { once } from "node:events";
import type { Readable } from "node:stream";
import { fileBlocks } from "./blockReader";

/** What `fs.ReadStream` keeps of its options, beyond its typings. */
interface ReadStreamState {
  fd: number | null;
  start?: number;
  end?: number;
}

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

function isUnreadFileStream(input: Readable | AsyncIterable<Uint8Array>): input is ReadStream {
  return (
    input instanceof ReadStream &&
    input.constructor === ReadStream && // a subclass may read differently
    !input.destroyed &&
    input.readableFlowing === null &&
    input.readableLength === 0 &&
    input.bytesRead === 0 &&
    readsWithNodeFs(input)
  );
}

/** False for a stream built with a custom `fs` option (or on a FileHandle): its descriptor is not ours to read. */
function readsWithNodeFs(input: ReadStream): boolean {
  const kFs = Object.getOwnPropertySymbols(input).find((s) => s.description === "kFs");
  const ops = kFs === undefined ? undefined : (input as unknown as Record<symbol, { read?: unknown } | undefined>)[kFs];
  return ops?.read === read;
}

async function* readFileStream(input: ReadStream): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    if (input.pending) await once(input, "ready");
    const state = input as unknown as ReadStreamState;
    const fd = state.fd;
    if (typeof fd !== "number") throw new Error("the input file stream has no file descriptor");
    const end = state.end === undefined || state.end === Infinity ? Infinity : state.end + 1; // ReadStream's end is inclusive
    const readAt = (buffer: Buffer, offset: number, length: number, position: number | null) =>
      new Promise<number>((resolve, reject) => read(fd, buffer, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
    yield* fileBlocks(readAt, state.start, end);
  } finally {
    input.destroy();
  }
}
