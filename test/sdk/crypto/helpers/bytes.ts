import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";

/** Deterministic pseudo-random bytes (fast, for large payloads): the ChaCha20 keystream of a seed. */
export function pseudoRandomBytes(size: number, seed = 0): Buffer {
  const key = createHash("sha256").update(`pseudo-random:${seed}`).digest();
  return createCipheriv("chacha20", key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** Random bytes of `size`. */
export const randomPayload = (size: number): Buffer => (size === 0 ? Buffer.alloc(0) : randomBytes(size));

/** A Readable that yields `data` in pieces of the given sizes (cycled), to hit every boundary. */
export function readableOf(data: Uint8Array, pieces: readonly number[] = [data.length || 1]): Readable {
  const chunks: Buffer[] = [];
  for (let off = 0, i = 0; off < data.length; i++) {
    const n = Math.max(1, pieces[i % pieces.length] as number);
    chunks.push(Buffer.from(data.subarray(off, off + n)));
    off += n;
  }
  return Readable.from(chunks, { objectMode: false });
}

/** A Writable that keeps what it receives. */
export function sink(): Writable & { data(): Buffer } {
  const parts: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  }) as Writable & { data(): Buffer };
  w.data = () => Buffer.concat(parts);
  return w;
}

/** Calls `fn` and returns the error it throws (fails the test if it does not throw). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

/** Awaits `p` and returns its rejection (fails the test if it resolves). */
export async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

/** Flips bits of byte `index` (negative: from the end) in place; returns the buffer. */
export function flip(buf: Buffer, index: number, mask = 1): Buffer {
  const i = index < 0 ? buf.length + index : index;
  buf[i] = (buf[i] as number) ^ mask;
  return buf;
}
