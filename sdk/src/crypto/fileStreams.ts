import { once } from "node:events";
import { fstat, read, ReadStream, write, writev, WriteStream, type Stats } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { promisify } from "node:util";

/** What `fs.ReadStream` and `fs.WriteStream` keep of their options, beyond their typings. */
export interface FileStreamState {
  fd: number | null;
  path?: string | Buffer | null;
  start?: number;
  end?: number;
  flags?: string | number;
}

/**
 * True for an `fs.ReadStream` nobody has read from yet and that reads with Node's own `fs` (not a
 * subclass, not a custom `fs` option): its file can be read directly, by position, instead of through the
 * stream.
 *
 * @example
 * if (isUnreadFileStream(input)) yield* fileBlocks(readAt);
 */
export function isUnreadFileStream(input: Readable | AsyncIterable<Uint8Array>): input is ReadStream {
  return (
    input instanceof ReadStream &&
    input.constructor === ReadStream && // a subclass may read differently
    !input.destroyed &&
    input.readableFlowing === null &&
    input.readableLength === 0 &&
    input.bytesRead === 0 &&
    usesNodeFs(input, "read", read)
  );
}

/**
 * True for an `fs.WriteStream` nothing has been written to, that overwrites (no append flag) with Node's
 * own `fs`: its file can be written directly, by position.
 *
 * @example
 * if (isUnwrittenFileStream(output)) … write at output.start ?? 0 …
 */
export function isUnwrittenFileStream(output: Writable): output is WriteStream {
  const flags = (output as unknown as FileStreamState).flags;
  return (
    output instanceof WriteStream &&
    output.constructor === WriteStream &&
    !output.destroyed &&
    !output.writableEnded &&
    output.writableLength === 0 &&
    output.bytesWritten === 0 &&
    typeof flags === "string" &&
    !flags.includes("a") &&
    usesNodeFs(output, "write", write) &&
    usesNodeFs(output, "writev", writev)
  );
}

/** False for a stream built with a custom `fs` option (or on a FileHandle): its descriptor is not ours to use. */
function usesNodeFs(stream: ReadStream | WriteStream, op: string, nodeOp: unknown): boolean {
  const kFs = Object.getOwnPropertySymbols(stream).find((s) => s.description === "kFs");
  const ops = kFs === undefined ? undefined : (stream as unknown as Record<symbol, Record<string, unknown> | undefined>)[kFs];
  return ops?.[op] === nodeOp;
}

/**
 * The descriptor of a file stream, once it is open (rejects with the stream's error if it cannot open).
 *
 * @example
 * const fd = await openedFd(createReadStream("in.bin"));
 */
export async function openedFd(stream: ReadStream | WriteStream): Promise<number> {
  if (stream.pending) await once(stream, "ready");
  const fd = (stream as unknown as FileStreamState).fd;
  if (typeof fd !== "number") throw new Error("the file stream has no file descriptor");
  return fd;
}

/** Both ends of a copy between regular files, by position: what {@link fileStreamEnds} finds. */
export interface FileEnds {
  inFd: number;
  /** Where the input starts in its file. */
  inputOffset: number;
  /** Bytes of input. */
  size: number;
  /** True when the input runs to the end of its file. */
  toEnd: boolean;
  outFd: number;
  /** Where the output starts in its file. */
  outputOffset: number;
  /** True when the output file was emptied when it was opened (flag `w`): nothing after the output is anyone's. */
  outputFresh: boolean;
}

/**
 * When `input` is an unread file stream and `output` an unwritten one, both on regular files and at known
 * positions, waits for them to open and returns their descriptors, offsets and the input's size;
 * otherwise (pipes, sockets, streams already used, custom streams) `undefined`, leaving both untouched
 * but open.
 *
 * @example
 * const ends = await fileStreamEnds(createReadStream("in.bin"), createWriteStream("out.age"));
 */
export async function fileStreamEnds(input: Readable | AsyncIterable<Uint8Array>, output: Writable): Promise<FileEnds | undefined> {
  if (!isUnreadFileStream(input) || !isUnwrittenFileStream(output)) return undefined;
  const inState = input as unknown as FileStreamState;
  const outState = output as unknown as FileStreamState;
  // Without a start, a stream on a descriptor it was given reads or writes wherever that descriptor is.
  const inputOffset = inState.start ?? (typeof inState.path === "string" ? 0 : undefined);
  const outputOffset = outState.start ?? (typeof outState.path === "string" ? 0 : undefined);
  if (inputOffset === undefined || outputOffset === undefined) return undefined;
  const [inFd, outFd] = await Promise.all([openedFd(input), openedFd(output)]);
  const [inStat, outStat] = await Promise.all([statOf(inFd), statOf(outFd)]);
  if (!inStat.isFile() || !outStat.isFile()) return undefined;
  const end = inState.end === undefined || inState.end === Infinity ? Infinity : inState.end + 1; // end is inclusive
  const size = Math.max(0, Math.min(end, inStat.size) - inputOffset);
  const outputFresh = typeof outState.flags === "string" && outState.flags.startsWith("w");
  return { inFd, inputOffset, size, toEnd: end === Infinity, outFd, outputOffset, outputFresh };
}

/**
 * When `input` and `output` are file streams the work can bypass (see {@link fileStreamEnds}), runs `work`
 * on their descriptors, then closes both as `pipeline` would: the input destroyed (its file closed), the
 * output ended and finished. Resolves to `undefined`, both streams left as they were, when they are not
 * such streams or `work` declines (resolves to `undefined`), for the stream path to take over. On any
 * throw (a stream that cannot open included) both are destroyed.
 *
 * @example
 * const sizes = await betweenFileStreams(input, output, (ends) => encryptBetweenFiles(ends, params));
 */
export async function betweenFileStreams<T>(
  input: Readable | AsyncIterable<Uint8Array>,
  output: Writable,
  work: (ends: FileEnds) => Promise<T | undefined>,
): Promise<T | undefined> {
  try {
    const ends = await fileStreamEnds(input, output);
    const result = ends && (await work(ends));
    if (result === undefined) return undefined;
    (input as Readable).destroy();
    output.end();
    await finished(output);
    return result;
  } catch (e) {
    (input as Partial<Readable>).destroy?.();
    output.destroy();
    throw e;
  }
}

/**
 * `fstat` of an open descriptor.
 *
 * @example
 * const { size } = await statOf(fd);
 */
export const statOf: (fd: number) => Promise<Stats> = promisify(fstat);
