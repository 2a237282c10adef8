import { randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptFile, encryptFile } from "../../../sdk/src/crypto/ageFiles";
import { AGE } from "../../../sdk/src/crypto/formats";
import { generateIdentity } from "../../../sdk/src/crypto/keys";
import { PARALLEL_FILE_FROM, sealFileInParallel } from "../../../sdk/src/crypto/parallelFileSeal";
import { PayloadEncryptor } from "../../../sdk/src/crypto/payload";
import { SealPool } from "../../../sdk/src/crypto/sealPool";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { pseudoRandomBytes, rejected } from "./helpers/bytes";

const K = AGE.chunkSize;
/** Chunks of one range handed to a worker. */
const RANGE = 64 * K;
const key = randomBytes(32);
const OFFSET = 97; // where the caller's header would end
let dir: string;
let pool: SealPool;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlat-parallel-seal-"));
  pool = new SealPool(2);
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
    const size = await sealFileInParallel({ key, inFd: input.fd, outFd: output.fd, size: claimedSize, toEnd: true, payloadOffset: OFFSET, pool });
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
      const sealing = sealFileInParallel({ key, inFd: input.fd, outFd: output.fd, size: plain.length, payloadOffset: OFFSET, pool }); // ranges posted
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
      const e = await rejected(sealFileInParallel({ key, inFd: input.fd, outFd: readOnly.fd, size: K, payloadOffset: 0, pool }));
      expect((e as NodeJS.ErrnoException).code).toBe("EBADF");
    } finally {
      await Promise.all([input.close(), output.close(), readOnly.close()]);
    }
  });
});

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
