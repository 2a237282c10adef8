/** The demo's files: a generated evidence file and the delivered copy, both streamed. */
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

const CHUNK = 1 << 20;

/**
 * Writes `size` random bytes to `path` (a stand-in for a forensic phone image) and returns their SHA-256 (hex).
 * @example const sha256 = await writeRandomFile("/tmp/phone.img", 100e6);
 */
export async function writeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  let left = size;
  const source = new Readable({
    read() {
      if (left === 0) return void this.push(null);
      const chunk = randomBytes(Math.min(CHUNK, left));
      left -= chunk.length;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  await pipeline(source, createWriteStream(path));
  return hash.digest("hex");
}

/**
 * Streams a web body to `path`, reporting bytes as they go, and returns the SHA-256 (hex) of what it wrote.
 * @example const sha256 = await saveStream(content.body, "/tmp/delivered.img", (n) => …);
 */
export async function saveStream(body: ReadableStream<Uint8Array>, path: string, onBytes: (total: number) => void = () => undefined): Promise<string> {
  const hash = createHash("sha256");
  let total = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), tap, createWriteStream(path));
  return hash.digest("hex");
}

/**
 * A read stream of `path` that reports how many bytes have been read (for upload progress).
 * @example const source = countingReader(createReadStream(file), (n) => …);
 */
export function countingReader(source: Readable, onBytes: (total: number) => void): Readable {
  let total = 0;
  return source.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        total += chunk.length;
        onBytes(total);
        done(null, chunk);
      },
    }),
  );
}
