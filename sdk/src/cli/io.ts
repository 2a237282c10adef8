import { createReadStream, statSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { writeFileAtomically } from "../crypto/atomicFile";
import { UsageError } from "./usage";

/** The process's streams, injectable so tests drive the CLI in-process. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: NodeJS.WriteStream;
}

/** Where input comes from: a file (with its size, for progress) or standard input. */
export function openInput(path: string | undefined, io: CliIo): { stream: Readable; size?: number; name: string } {
  if (path === undefined || path === "-") return { stream: io.stdin, name: "stdin" };
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UsageError(`${path} is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { stream: createReadStream(path, { highWaterMark: 1024 * 1024 }), size, name: path };
}

/** The last stage of a pipeline: standard output, or a function that drains into a file. */
export type Sink = Writable | ((source: AsyncIterable<Buffer>) => Promise<void>);

/**
 * Runs `write` against the output: a file written atomically (temp file, flush, rename — never a
 * partial file under the final name, and nothing at all if `write` fails) or standard output.
 */
export async function withOutput(path: string | undefined, io: CliIo, write: (sink: Sink) => Promise<void>): Promise<void> {
  if (path === undefined || path === "-") return write(io.stdout);
  return writeFileAtomically(
    path,
    (handle) =>
      write(async (source) => {
        for await (const chunk of source) await handle.write(chunk);
      }),
    { mode: 0o600 },
  );
}

/**
 * File to file with nobody watching a terminal: the crypto layer's file path (overlapped reads and
 * writes, no stream machinery — faster than the age CLI) instead of streams. With a terminal on stderr
 * the stream path runs, to draw its progress bar.
 */
export function useFilePath(input: { size?: number; name: string }, out: string | undefined, io: CliIo): out is string {
  return input.size !== undefined && out !== undefined && out !== "-" && io.stderr.isTTY !== true;
}
