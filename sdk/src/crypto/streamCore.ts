import { Transform, type Readable, type TransformOptions, type Writable } from "node:stream";
import { writableSink } from "./chunkSink";
import { OutputBatch, runPump } from "./corePump";
import { pumpSource } from "./streamSource";

/**
 * A push-style streaming core: bytes in through `update`, end of input through `final`, output through
 * the `emit` callback it was built with. Cores are synchronous and allocate nothing per byte, so one
 * core serves Node streams, async iterables and whole buffers alike.
 *
 * @example
 * const core: StreamCore = new ArmorDecoder((chunk) => parts.push(chunk));
 */
export interface StreamCore {
  update(data: Uint8Array): void;
  final(): void;
}

/**
 * A Node `Transform` around a core. A core's throw becomes the stream's error; backpressure is the
 * Transform's own (it stops taking input while its readable side is full), so memory stays bounded by
 * the high-water marks plus one input chunk's output. The output of one input chunk is pushed as one
 * buffer (one copy), so the consumer sees few large writes instead of many 64 KiB ones.
 *
 * Each input chunk is processed in the event loop's next turn rather than inside `write`: a source
 * such as `fs.ReadStream` asks for its next chunk only once `write` has returned, so that read then
 * runs on libuv's thread pool while this chunk is being encrypted, instead of after it.
 *
 * @example
 * const stream = coreTransform((emit) => new ArmorEncoder(emit));
 * await pipeline(createReadStream("a.age"), stream, createWriteStream("a.age.asc"));
 */
export function coreTransform(makeCore: (emit: (chunk: Buffer) => void) => StreamCore, options: TransformOptions = {}): Transform {
  let batch: Buffer[] = [];
  /** Runs one step of the core and pushes its output (also what it emitted before throwing: authenticated). */
  const run = (step: () => void, callback: (error?: Error | null) => void) => {
    if (stream.destroyed) return callback(); // torn down while this step waited for its turn
    let failure: Error | undefined;
    try {
      step();
    } catch (e) {
      failure = e as Error;
    }
    if (batch.length > 0) {
      stream.push(batch.length === 1 ? batch[0] : Buffer.concat(batch));
      batch = [];
    }
    callback(failure);
  };
  const stream: Transform = new Transform({
    readableHighWaterMark: 1024 * 1024,
    writableHighWaterMark: 1024 * 1024,
    ...options,
    transform(chunk: Buffer, _encoding, callback) {
      setImmediate(run, () => core.update(chunk), callback);
    },
    flush(callback) {
      run(() => core.final(), callback);
    },
  });
  const core = makeCore((chunk) => batch.push(chunk));
  return stream;
}

/**
 * Runs a core over a whole buffer and returns its complete output; the output is returned only if
 * `final` succeeded.
 *
 * @example
 * const text = runCore((emit) => new ArmorEncoder(emit), binary);
 */
export function runCore(makeCore: (emit: (chunk: Buffer) => void) => StreamCore, input: Uint8Array): Buffer {
  const parts: Buffer[] = [];
  const core = makeCore((chunk) => parts.push(chunk));
  core.update(input);
  core.final();
  return Buffer.concat(parts);
}

/**
 * Pipes `input` through a core into `output` and resolves once `output` has finished. No Transform sits
 * in between: the core's output is written in batches of whole buffers (one `writev` each for a file),
 * one batch in flight while the next is computed, honouring `output`'s backpressure; an unread
 * `fs.ReadStream` is read straight from its file into reused buffers (see {@link pumpSource} and
 * {@link runPump}). The core is built first: if that throws (bad recipients, bad identities …), nothing
 * is read. On any failure (the core's typed error, the input's or the output's) both streams are
 * destroyed, as `pipeline` would, and the error is thrown.
 *
 * @example
 * let core: AgeEncryptor | undefined;
 * await pipeCore(input, output, (emit) => (core = new AgeEncryptor(params, emit)));
 */
export async function pipeCore(
  input: Readable | AsyncIterable<Uint8Array>,
  output: Writable,
  makeCore: (emit: (chunk: Buffer) => void) => StreamCore,
): Promise<void> {
  try {
    const batch = new OutputBatch();
    const core = makeCore(batch.emit);
    await runPump(pumpSource(input), core, batch, writableSink(output));
  } catch (e) {
    (input as Partial<Readable>).destroy?.();
    output.destroy();
    throw e;
  }
}
