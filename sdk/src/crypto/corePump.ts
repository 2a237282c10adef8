import { BLOCK_SIZE } from "./blockReader";
import type { ChunkSink } from "./chunkSink";
import type { StreamCore } from "./streamCore";

/**
 * Output bytes gathered before a batch is written even though the previous one is still in flight: one
 * read block's worth (see {@link BLOCK_SIZE}), so a file is written a block per `writev`.
 */
export const BATCH_BYTES = BLOCK_SIZE;

/**
 * The output of a core, gathered into batches: `emit` is the callback to build the core with. Buffers
 * are kept as the core emits them (no copy, no concatenation).
 *
 * @example
 * const batch = new OutputBatch();
 * const core = new AgeEncryptor(params, batch.emit);
 */
export class OutputBatch {
  #chunks: Buffer[] = [];
  #bytes = 0;
  /** Bytes gathered since the last {@link take}. */
  get bytes(): number {
    return this.#bytes;
  }
  readonly emit = (chunk: Buffer): void => {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  };
  /** Hands over what was gathered and starts a new batch. */
  take(): Buffer[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#bytes = 0;
    return chunks;
  }
}

/**
 * Runs a core over `source` into `sink` and resolves to the bytes written once `sink` has ended. Reading,
 * computing and writing overlap: one batch is in flight to the sink while the core works on the next
 * input. A batch is written as soon as the previous one has landed, or at {@link BATCH_BYTES} once it is
 * waiting for it; so memory stays bounded by about two batches plus one input chunk's output, and a slow
 * sink (backpressure) slows the reading. The core's throw, the source's and the sink's errors reject;
 * output the core emitted before it threw is not written. The core must copy what it keeps of its input
 * (sources may reuse their buffers).
 *
 * @example
 * const batch = new OutputBatch();
 * const written = await runPump(fileBlocks(readAt), new AgeDecryptor(params, batch.emit), batch, fileSink(out));
 */
export async function runPump(source: AsyncIterable<Uint8Array>, core: StreamCore, batch: OutputBatch, sink: ChunkSink): Promise<number> {
  let written = 0;
  let idle = true;
  let inFlight: Promise<void> = Promise.resolve();
  const send = () => {
    const chunks = batch.take();
    for (const c of chunks) written += c.length;
    idle = false;
    inFlight = sink.write(chunks).then(() => {
      idle = true;
    });
    inFlight.catch(() => undefined); // awaited before the next batch; never left unhandled meanwhile
  };
  try {
    for await (const chunk of source) {
      core.update(chunk);
      if (batch.bytes === 0 || (!idle && batch.bytes < BATCH_BYTES)) continue;
      await inFlight;
      send();
    }
    core.final();
    await inFlight;
    if (batch.bytes > 0) send();
    await inFlight;
    await sink.end();
    return written;
  } finally {
    await inFlight.catch(() => undefined);
  }
}
