import type { FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";

/**
 * Where a pump writes its output, a batch of buffers at a time. `write` resolves once the sink is ready
 * for the next batch (the batch may still be in flight: the pump writes one batch while it computes the
 * next); it rejects with the sink's error. The pump never touches a batch again once handed over.
 *
 * @example
 * const sink: ChunkSink = fileSink(handle);
 * await sink.write([header, sealed, tag]);
 * await sink.end();
 */
export interface ChunkSink {
  write(chunks: Buffer[]): Promise<void>;
  end(): Promise<void>;
}

/** Most buffers one writev takes (IOV_MAX is 1024 on Linux). */
const MAX_IOV = 1024;

/**
 * A sink onto an open file: writev until every byte is written (a regular file may still take a partial
 * write); `write` resolves once the batch is on the file. `end` leaves the file open (its owner closes it).
 *
 * @example
 * const sink = fileSink(await open("out.age", "w"));
 */
export function fileSink(output: FileHandle): ChunkSink {
  return { write: (chunks) => writeAll(output, chunks), end: () => Promise.resolve() };
}

async function writeAll(output: FileHandle, chunks: Buffer[]): Promise<void> {
  for (let start = 0; start < chunks.length; start += MAX_IOV) {
    let batch = chunks.slice(start, start + MAX_IOV);
    let total = batch.reduce((n, c) => n + c.length, 0);
    while (total > 0) {
      const { bytesWritten } = await output.writev(batch);
      total -= bytesWritten;
      if (total === 0) break;
      batch = dropPrefix(batch, bytesWritten);
    }
  }
}

/** The buffers left once the first `bytes` bytes of `chunks` are gone. */
function dropPrefix(chunks: Buffer[], bytes: number): Buffer[] {
  let skip = bytes;
  const rest: Buffer[] = [];
  for (const c of chunks) {
    if (skip >= c.length) skip -= c.length;
    else {
      rest.push(skip > 0 ? c.subarray(skip) : c);
      skip = 0;
    }
  }
  return rest;
}

/**
 * A sink onto a Node `Writable`, honouring its backpressure: a batch is written corked (one `writev`
 * for a stream that has `_writev`, such as `fs.WriteStream`), and when the stream asks for a pause
 * `write` resolves only on `'drain'`. The stream's `'error'` (or a close before it finished) rejects the
 * pending and every later call. `end` ends the stream and resolves once it has finished.
 *
 * @example
 * const sink = writableSink(createWriteStream("out.age"));
 */
export function writableSink(output: Writable): ChunkSink {
  let failure: Error | undefined;
  const onError = (e: Error) => (failure ??= e);
  output.on("error", onError);
  const check = () => {
    if (failure) throw failure;
    if (output.destroyed || output.writableEnded) throw prematureClose();
  };
  return {
    async write(chunks) {
      check();
      output.cork();
      for (const c of chunks) output.write(c);
      output.uncork();
      if (output.writableNeedDrain) await drained(output);
      check();
    },
    async end() {
      check();
      output.end();
      try {
        await finished(output);
      } finally {
        output.off("error", onError);
      }
    },
  };
}

/** Resolves on the stream's next `'drain'`; rejects on its `'error'` or a close first. */
function drained(output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      output.off("drain", onDrain);
      output.off("error", onError);
      output.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (e: Error) => done(e);
    const onClose = () => done(prematureClose());
    output.on("drain", onDrain);
    output.on("error", onError);
    output.on("close", onClose);
  });
}

function prematureClose(): Error {
  return Object.assign(new Error("the output stream closed before the end of the data"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}
