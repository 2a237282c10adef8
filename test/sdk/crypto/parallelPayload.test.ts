import { randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptFile, encryptFile } from "../../../sdk/src/crypto/ageFiles";
import { AGE } from "../../../sdk/src/crypto/formats";
import { generateIdentity } from "../../../sdk/src/crypto/keys";
import { openFileInParallel, PARALLEL_FILE_FROM, payloadLayoutIsValid, sealFileInParallel } from "../../../sdk/src/crypto/parallelPayload";
import { PayloadEncryptor } from "../../../sdk/src/crypto/payload";
import { encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { PayloadPool } from "../../../sdk/src/crypto/payloadPool";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { pseudoRandomBytes, rejected } from "./helpers/bytes";

const K = AGE.chunkSize;
/** Chunks of one range handed to a worker. */
const RANGE = 64 * K;
const key = randomBytes(32);
const OFFSET = 97; // where the caller's header would end
let dir: string;
let pool: PayloadPool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlat-parallel-seal-"));
  pool = new PayloadPool(2);
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

/** The payload the sequential encryptor makes of `plain`. */
function sequential(plain: Buffer): Buffer {
  const out: Buffer[] = [];
  const enc = new PayloadEncryptor(key, (b) => out.push(Buffer.from(b)));
  enc.update(plain);
  enc.final();
  return Buffer.concat(out);
}

/** Seals `plain` from a file into a file on the pool; `claimedSize` plays a file that changed under us. */
async function parallel(plain: Buffer, claimedSize = plain.length): Promise<{ payload: Buffer; size: number }> {
  await writeFile(join(dir, "in"), plain);
  const input = await open(join(dir, "in"), "r");
  const output = await open(join(dir, "out"), "w");
  try {
    const size = await sealFileInParallel({ key, inFd: input.fd, outFd: output.fd, size: claimedSize, toEnd: true, outputOffset: OFFSET, pool });
    return { payload: (await readFile(join(dir, "out"))).subarray(OFFSET), size };
  } finally {
    await input.close();
    await output.close();
  }
}

describe("sealing a file on worker threads", () => {
  // Around a chunk, one read (16 chunks), a worker's range, and several ranges shared by two workers.
  const sizes = [0, 1, K - 1, K, K + 1, 16 * K - 1, 16 * K + 1, RANGE - 1, RANGE, RANGE + 1, 5 * RANGE + 3 * K + 11];
  it.each(sizes)("writes for %i bytes exactly the payload the sequential encryptor makes", async (size) => {
    const plain = pseudoRandomBytes(size, size + 1);
    const { payload, size: written } = await parallel(plain);
    const expected = sequential(plain);
    expect(written).toBe(expected.length);
    expect(payload.equals(expected)).toBe(true);
  });

  it("fails with CRYPTO_INPUT_CHANGED when the file is shorter than when it started", async () => {
    const e = await rejected(parallel(pseudoRandomBytes(3 * K, 1), 3 * K + 10));
    expect(isMlatError(e, "CRYPTO_INPUT_CHANGED")).toBe(true);
  });

  it("fails with CRYPTO_INPUT_CHANGED when the file grew while it was read", async () => {
    const e = await rejected(parallel(pseudoRandomBytes(3 * K, 2), 2 * K));
    expect(isMlatError(e, "CRYPTO_INPUT_CHANGED")).toBe(true);
  });

  it("fails with CRYPTO_WORKER_FAILED when a worker dies mid-range, and starts a new one for the next", async () => {
    const plain = pseudoRandomBytes(4 * RANGE, 3);
    await writeFile(join(dir, "in"), plain);
    const input = await open(join(dir, "in"), "r");
    const output = await open(join(dir, "out"), "w");
    try {
      const sealing = sealFileInParallel({ key, inFd: input.fd, outFd: output.fd, size: plain.length, outputOffset: OFFSET, pool }); // ranges posted
      await pool.close();
      expect(isMlatError(await rejected(sealing), "CRYPTO_WORKER_FAILED")).toBe(true);
    } finally {
      await Promise.all([input.close(), output.close()]);
    }
    const again = await parallel(plain);
    expect(again.payload.equals(sequential(plain))).toBe(true);
  });

  it("passes a file system error on with its code", async () => {
    await writeFile(join(dir, "in"), pseudoRandomBytes(K, 4));
    await writeFile(join(dir, "ro"), "");
    const input = await open(join(dir, "in"), "r");
    const output = await open(join(dir, "ro"), "w");
    const readOnly = await open(join(dir, "ro"), "r");
    try {
      const e = await rejected(sealFileInParallel({ key, inFd: input.fd, outFd: readOnly.fd, size: K, outputOffset: 0, pool }));
      expect((e as NodeJS.ErrnoException).code).toBe("EBADF");
    } finally {
      await Promise.all([input.close(), output.close(), readOnly.close()]);
    }
  });
});

/** Opens `payload` (from a file, at an offset) into a file on the pool. */
async function openInParallel(payload: Buffer): Promise<{ plain: Buffer; size: number }> {
  await writeFile(join(dir, "sealed"), Buffer.concat([Buffer.alloc(OFFSET, 0x2a), payload]));
  const input = await open(join(dir, "sealed"), "r");
  const output = await open(join(dir, "opened"), "w");
  try {
    const size = await openFileInParallel({ key, inFd: input.fd, inputOffset: OFFSET, size: payload.length, toEnd: true, outFd: output.fd, outputOffset: 0, pool });
    return { plain: await readFile(join(dir, "opened")), size };
  } finally {
    await Promise.all([input.close(), output.close()]);
  }
}

describe("opening a payload on worker threads", () => {
  const E = AGE.encryptedChunkSize;
  const sizes = [0, 1, K - 1, K, K + 1, 16 * K, 16 * K + 1, RANGE, RANGE + 1, 5 * RANGE + 3 * K + 11];
  it.each(sizes)("gives back the %i bytes the sequential encryptor sealed", async (size) => {
    const plain = pseudoRandomBytes(size, size + 2);
    const opened = await openInParallel(sequential(plain));
    expect(opened.size).toBe(size);
    expect(opened.plain.equals(plain)).toBe(true);
  });

  it("fails with AGE_PAYLOAD_INVALID on a flipped bit in any chunk, a chunk sealed as middle at the end, or chunks swapped", async () => {
    const payload = sequential(pseudoRandomBytes(3 * RANGE + 5, 13));
    for (const at of [10, 70 * E + 3, payload.length - 1]) {
      const bad = Buffer.from(payload);
      bad[at]! ^= 1;
      expect(isMlatError(await rejected(openInParallel(bad)), "AGE_PAYLOAD_INVALID"), `flip at ${at}`).toBe(true);
    }
    // Truncated at a chunk boundary: the new last chunk was sealed as a middle chunk.
    expect(isMlatError(await rejected(openInParallel(payload.subarray(0, 100 * E))), "AGE_PAYLOAD_INVALID")).toBe(true);
    const swapped = Buffer.concat([payload.subarray(E, 2 * E), payload.subarray(0, E), payload.subarray(2 * E)]);
    expect(isMlatError(await rejected(openInParallel(swapped)), "AGE_PAYLOAD_INVALID")).toBe(true);
  });

  it("knows which payload sizes can be whole: a final chunk holds its tag and is empty only alone", () => {
    const E = AGE.encryptedChunkSize;
    const T = AGE.tagSize;
    expect([0, 1, T - 1, E + T - 1, E + T].map(payloadLayoutIsValid)).toEqual([false, false, false, false, false]);
    expect([T, T + 1, E, E + T + 1, 2 * E].map(payloadLayoutIsValid)).toEqual([true, true, true, true, true]);
  });
});

describe("decryptFile of a large file", () => {
  const alice = generateIdentity();
  const plain = pseudoRandomBytes(PARALLEL_FILE_FROM + 3 * K + 7, 14);
  const file = encryptBytes(plain, { recipients: [alice.recipient] });
  const E = AGE.encryptedChunkSize;
  const payloadStart = file.length - (plain.length + Math.ceil(plain.length / K) * AGE.tagSize);

  it("opens it on the workers", async () => {
    await writeFile(join(dir, "large.age"), file);
    const sizes = await decryptFile(join(dir, "large.age"), join(dir, "large.out"), [alice], { fsync: false });
    expect(sizes).toEqual({ plaintextSize: plain.length, ciphertextSize: file.length });
    expect((await readFile(join(dir, "large.out"))).equals(plain)).toBe(true);
  });

  it.each([
    ["a flipped bit in chunk 200", (f: Buffer) => flipAt(f, payloadStart + 200 * E + 9), /chunk 200 failed authentication/],
    ["a cut at a chunk boundary", (f: Buffer) => f.subarray(0, payloadStart + 100 * E), /ends without a final chunk after chunk 99/],
    ["an empty final chunk", (f: Buffer) => Buffer.concat([f.subarray(0, payloadStart + 100 * E), f.subarray(f.length - AGE.tagSize)]), /chunk 100/],
  ])("refuses %s with the sequential decryptor's own words, and writes nothing", async (_what, tamper, message) => {
    await writeFile(join(dir, "tampered.age"), tamper(file));
    const e = await rejected(decryptFile(join(dir, "tampered.age"), join(dir, "tampered.out"), [alice], { fsync: false }));
    expect(isMlatError(e, "AGE_PAYLOAD_INVALID")).toBe(true);
    expect((e as Error).message).toMatch(message);
    await expect(stat(join(dir, "tampered.out"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

function flipAt(buf: Buffer, at: number): Buffer {
  const copy = Buffer.from(buf);
  copy[at]! ^= 1;
  return copy;
}

describe("encryptFile of a large file", () => {
  it("seals on the workers into a file decryptFile opens, the same size as the sequential path's", async () => {
    const alice = generateIdentity();
    const plain = pseudoRandomBytes(PARALLEL_FILE_FROM + K + 3, 5);
    await writeFile(join(dir, "big.bin"), plain);
    const enc = await encryptFile(join(dir, "big.bin"), join(dir, "big.age"), { recipients: [alice.recipient], fsync: false });
    expect(enc.plaintextSize).toBe(plain.length);
    expect((await stat(join(dir, "big.age"))).size).toBe(enc.ciphertextSize);
    await decryptFile(join(dir, "big.age"), join(dir, "big.out"), [alice], { fsync: false });
    expect((await readFile(join(dir, "big.out"))).equals(plain)).toBe(true);
  });
});
