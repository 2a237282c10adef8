import fs, { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decrypt, decryptBytes } from "../../../sdk/src/crypto/ageDecrypt";
import { encrypt, encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { BLOCK_SIZE, fileBlocks } from "../../../sdk/src/crypto/blockReader";
import { PARALLEL_FILE_FROM } from "../../../sdk/src/crypto/parallelPayload";
import { BATCH_BYTES } from "../../../sdk/src/crypto/corePump";
import { AGE } from "../../../sdk/src/crypto/formats";
import { formatIdentityFile, generateIdentity } from "../../../sdk/src/crypto/keys";
import { PayloadEncryptor } from "../../../sdk/src/crypto/payload";
import { coreTransform, pipeCore, runCore } from "../../../sdk/src/crypto/streamCore";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { requireAgeCli, run } from "./helpers/ageCli";
import { flip, pseudoRandomBytes, readableOf, rejected, sink } from "./helpers/bytes";

/** pipeCore (behind encrypt / decrypt / sealPayload): no Transform, batched writes, fs.ReadStream read in place. */

const alice = generateIdentity();
const K = AGE.chunkSize;
const KEY = Buffer.alloc(32, 7);
const payloadCore = (emit: (chunk: Buffer) => void) => new PayloadEncryptor(KEY, emit);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlat-pipecore-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file of `size` pseudo-random bytes in the test folder. */
async function fileOf(size: number, seed: number): Promise<{ path: string; data: Buffer }> {
  const data = pseudoRandomBytes(size, seed);
  const path = join(dir, `in-${seed}-${size}.bin`);
  await writeFile(path, data);
  return { path, data };
}

/** A Writable that takes a turn of the event loop per write and records how far it lags behind. */
function slowSink(): Writable & { data(): Buffer; maxQueued: number } {
  const parts: Buffer[] = [];
  const w = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, cb) {
      parts.push(Buffer.from(chunk));
      setImmediate(cb);
    },
  }) as Writable & { data(): Buffer; maxQueued: number };
  w.maxQueued = 0;
  const write = w.write.bind(w) as (chunk: Buffer) => boolean;
  w.write = ((chunk: Buffer) => {
    const ok = write(chunk);
    w.maxQueued = Math.max(w.maxQueued, w.writableLength);
    return ok;
  }) as Writable["write"];
  w.data = () => Buffer.concat(parts);
  return w;
}

describe("pipeCore", () => {
  it("writes the same bytes as the whole-buffer path, from a file stream (reused buffers) and from any Readable", async () => {
    const { path, data } = await fileOf(2 * BLOCK_SIZE + K + 17, 1); // three blocks: both read buffers are reused
    const expected = runCore(payloadCore, data);
    const out = join(dir, "payload.out");
    await pipeCore(createReadStream(path), createWriteStream(out), payloadCore);
    expect((await readFile(out)).equals(expected)).toBe(true);
    const other = sink();
    await pipeCore(readableOf(data, [K - 3, 5, 3 * K]), other, payloadCore);
    expect(other.data().equals(expected)).toBe(true);
    const transformed = sink(); // the Transform path, kept for SDK users, writes the same bytes
    await pipeline(createReadStream(path), coreTransform(payloadCore), transformed);
    expect(transformed.data().equals(expected)).toBe(true);
  });

  it("reads only the start..end range of a file stream, as the stream would", async () => {
    const { path, data } = await fileOf(3 * K, 2);
    const out = sink();
    await pipeCore(createReadStream(path, { start: 100, end: 2 * K }), out, payloadCore);
    expect(out.data().equals(runCore(payloadCore, data.subarray(100, 2 * K + 1)))).toBe(true);
  });

  it("reads a file stream that is already flowing through the stream itself", async () => {
    const { path, data } = await fileOf(K + 1, 3);
    const input = createReadStream(path, { highWaterMark: 1000 });
    input.pause();
    input.on("data", () => undefined); // flowing state set; paused again below
    input.pause();
    const out = sink();
    await pipeCore(input, out, payloadCore);
    expect(out.data().equals(runCore(payloadCore, data))).toBe(true);
  });

  it("reads a file stream with a custom fs through the stream itself", async () => {
    const { path, data } = await fileOf(K + 2, 8);
    let reads = 0;
    const custom = { ...fs, read: (...args: Parameters<typeof fs.read>) => (reads++, fs.read(...args)) };
    const out = sink();
    await pipeCore(createReadStream(path, { fs: custom } as Parameters<typeof createReadStream>[1]), out, payloadCore);
    expect(out.data().equals(runCore(payloadCore, data))).toBe(true);
    expect(reads).toBeGreaterThan(0);
  });

  it("honours backpressure: a slow output holds back the reading, so memory stays bounded", async () => {
    const total = 48 * 1024 * 1024;
    let produced = 0;
    let maxAhead = 0;
    const out = slowSink();
    let consumed = 0;
    out.on("drain", () => (consumed = out.data().length));
    const input = new Readable({
      highWaterMark: K,
      read() {
        if (produced >= total) return void this.push(null);
        produced += K;
        maxAhead = Math.max(maxAhead, produced - consumed);
        this.push(Buffer.alloc(K, produced & 0xff));
      },
    });
    await pipeCore(input, out, payloadCore);
    expect(out.data().length).toBe(total + (total / K) * AGE.tagSize);
    expect(out.maxQueued).toBeLessThanOrEqual(BATCH_BYTES + 2 * K);
    expect(maxAhead).toBeLessThan(4 * BATCH_BYTES);
  });

  it("rejects with the input's error and destroys both streams", async () => {
    const input = new Readable({
      read() {
        this.destroy(new Error("disk on fire"));
      },
    });
    const out = sink();
    const e = await rejected(pipeCore(input, out, payloadCore));
    expect((e as Error).message).toBe("disk on fire");
    expect(input.destroyed && out.destroyed).toBe(true);
  });

  it("rejects with the output's error and destroys the input (a file stream too, closing its file)", async () => {
    const { path } = await fileOf(3 * BLOCK_SIZE, 4);
    const input = createReadStream(path);
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error("no space left"));
      },
    });
    const e = await rejected(pipeCore(input, out, payloadCore));
    expect((e as Error).message).toBe("no space left");
    expect(input.destroyed && out.destroyed).toBe(true);
  });

  it("rejects when the output is closed under it", async () => {
    const out = slowSink();
    const input = new Readable({
      read() {
        this.push(Buffer.alloc(K));
        if (out.data().length > 0) out.destroy();
      },
    });
    const e = await rejected(pipeCore(input, out, payloadCore));
    expect((e as NodeJS.ErrnoException).code).toBe("ERR_STREAM_PREMATURE_CLOSE");
    expect(input.destroyed).toBe(true);
  });

  it("rejects with ENOENT for a missing input file, destroying the output", async () => {
    const out = sink();
    const e = await rejected(pipeCore(createReadStream(join(dir, "missing")), out, payloadCore));
    expect((e as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(out.destroyed).toBe(true);
  });

  it("rejects with the core's typed error, destroying both streams and writing nothing unauthenticated", async () => {
    const plain = pseudoRandomBytes(3 * K, 5);
    const file = encryptBytes(plain, { recipients: [alice.recipient] });
    flip(file, -1);
    const path = join(dir, "tampered.age");
    await writeFile(path, file);
    const input = createReadStream(path);
    const out = sink();
    const e = await rejected(decrypt(input, out, { identities: [alice] }));
    expect(isMlatError(e, "AGE_PAYLOAD_INVALID")).toBe(true);
    expect(input.destroyed && out.destroyed).toBe(true);
    expect(plain.subarray(0, out.data().length).equals(out.data())).toBe(true);
    expect(out.data().length).toBeLessThan(plain.length);
  });
});

describe("fileBlocks", () => {
  it("yields a file in blocks through two reused buffers, from a position or sequentially", async () => {
    const data = pseudoRandomBytes(10_000, 6);
    const readAt = async (buffer: Buffer, offset: number, length: number, position: number | null) => {
      const from = position ?? 0;
      const n = Math.min(length, Math.max(0, data.length - from));
      data.copy(buffer, offset, from, from + n);
      return n;
    };
    const seen: Buffer[] = [];
    const buffers = new Set<string>(); // small buffers share Node's pool: tell them apart by offset
    for await (const block of fileBlocks(readAt, 10, 9_010, 3_000)) {
      seen.push(Buffer.from(block));
      buffers.add(`${block.byteOffset}`);
    }
    expect(Buffer.concat(seen).equals(data.subarray(10, 9_010))).toBe(true);
    expect(seen.map((b) => b.length)).toEqual([3_000, 3_000, 3_000]);
    expect(buffers.size).toBe(2);
  });

  it("rejects with the read's error", async () => {
    const failing = () => Promise.reject(new Error("EIO"));
    const e = await rejected((async () => {
      for await (const _ of fileBlocks(failing)) void _;
    })());
    expect((e as Error).message).toBe("EIO");
  });
});

describe("encrypt / decrypt of file streams", () => {
  it("encrypt(createReadStream) writes a file that `age -d` opens and decrypt() reads back", async () => {
    requireAgeCli();
    const { path, data } = await fileOf(2 * BLOCK_SIZE + 3 * K + 5, 7);
    const encrypted = join(dir, "stream.age");
    const sizes = await encrypt(createReadStream(path), createWriteStream(encrypted), { recipients: [alice.recipient] });
    expect(sizes.plaintextSize).toBe(data.length);
    const key = join(dir, "key.txt");
    await writeFile(key, formatIdentityFile(alice), { mode: 0o600 });
    const age = await run("age", ["-d", "-i", key, encrypted]);
    expect(age.code).toBe(0);
    expect(age.stdout.equals(data)).toBe(true);
    const back = join(dir, "stream.out");
    await decrypt(createReadStream(encrypted), createWriteStream(back), { identities: [alice] });
    expect((await readFile(back)).equals(data)).toBe(true);
    expect(decryptBytes(await readFile(encrypted), { identities: [alice] }).equals(data)).toBe(true);
  });

  describe(`from a file stream into a file stream, ${PARALLEL_FILE_FROM / 1024 / 1024} MiB and more (sealed on worker threads)`, () => {
    const size = PARALLEL_FILE_FROM + 3 * K + 5;

    it("writes a file `age -d` opens, closes both streams and emits finish", async () => {
      requireAgeCli();
      const { path, data } = await fileOf(size, 8);
      const encrypted = join(dir, "parallel.age");
      const input = createReadStream(path);
      const output = createWriteStream(encrypted);
      let finishedEvent = false;
      output.on("finish", () => (finishedEvent = true));
      const sizes = await encrypt(input, output, { recipients: [alice.recipient] });
      expect(sizes).toEqual({ plaintextSize: data.length, ciphertextSize: (await fs.promises.stat(encrypted)).size });
      expect(finishedEvent).toBe(true);
      expect(input.destroyed).toBe(true);
      const key = join(dir, "key.txt");
      await writeFile(key, formatIdentityFile(alice), { mode: 0o600 });
      const age = await run("age", ["-d", "-i", key, encrypted]);
      expect(age.code).toBe(0);
      expect(age.stdout.equals(data)).toBe(true);
    });

    it("encrypts only the start..end range of the input, and writes at the output stream's start", async () => {
      const { path, data } = await fileOf(size + 1000, 9);
      const encrypted = join(dir, "ranged.age");
      await writeFile(encrypted, "0123456789");
      const output = createWriteStream(encrypted, { flags: "r+", start: 10 });
      await encrypt(createReadStream(path, { start: 100, end: size + 99 }), output, { recipients: [alice.recipient] });
      const file = await readFile(encrypted);
      expect(file.subarray(0, 10).toString()).toBe("0123456789");
      expect(decryptBytes(file.subarray(10), { identities: [alice] }).equals(data.subarray(100, size + 100))).toBe(true);
    });

    it("appends through the stream itself when the output is opened for appending", async () => {
      const { path, data } = await fileOf(size, 10);
      const encrypted = join(dir, "appended.age");
      await writeFile(encrypted, "prefix");
      await encrypt(createReadStream(path), createWriteStream(encrypted, { flags: "a" }), { recipients: [alice.recipient] });
      const file = await readFile(encrypted);
      expect(file.subarray(0, 6).toString()).toBe("prefix");
      expect(decryptBytes(file.subarray(6), { identities: [alice] }).equals(data)).toBe(true);
    });

    it("decrypts a file stream into a new file stream on the workers, closing both", async () => {
      const { path, data } = await fileOf(size, 12);
      const encrypted = join(dir, "to-open.age");
      await encrypt(createReadStream(path), createWriteStream(encrypted), { recipients: [alice.recipient] });
      const input = createReadStream(encrypted);
      const output = createWriteStream(join(dir, "opened.bin"));
      const sizes = await decrypt(input, output, { identities: [alice] });
      expect(sizes).toEqual({ plaintextSize: data.length, ciphertextSize: (await fs.promises.stat(encrypted)).size });
      expect(input.destroyed && output.writableFinished).toBe(true);
      expect((await readFile(join(dir, "opened.bin"))).equals(data)).toBe(true);
    });

    it("leaves what the stream path leaves when a chunk fails: the authentic prefix, then AGE_PAYLOAD_INVALID", async () => {
      const { path, data } = await fileOf(size, 13);
      const encrypted = join(dir, "to-tamper.age");
      await encrypt(createReadStream(path), createWriteStream(encrypted), { recipients: [alice.recipient] });
      const file = await readFile(encrypted);
      const bad = 100; // chunk index
      const at = file.length - (data.length + Math.ceil(data.length / K) * AGE.tagSize) + bad * AGE.encryptedChunkSize + 5;
      file[at]! ^= 1;
      await writeFile(encrypted, file);
      const e = await rejected(decrypt(createReadStream(encrypted), createWriteStream(join(dir, "prefix.bin")), { identities: [alice] }));
      expect(isMlatError(e, "AGE_PAYLOAD_INVALID")).toBe(true);
      expect((e as Error).message).toMatch(/chunk 100 failed authentication/);
      const prefix = await readFile(join(dir, "prefix.bin"));
      expect(prefix.length).toBeLessThanOrEqual(bad * K);
      expect(prefix.equals(data.subarray(0, prefix.length))).toBe(true);
    });

    it("rejects with ENOENT when the output cannot be opened, destroying the input", async () => {
      const { path } = await fileOf(size, 11);
      const input = createReadStream(path);
      const e = await rejected(encrypt(input, createWriteStream(join(dir, "no", "such", "dir.age")), { recipients: [alice.recipient] }));
      expect((e as NodeJS.ErrnoException).code).toBe("ENOENT");
      expect(input.destroyed).toBe(true);
    });
  });
});
