import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { decryptFile, encryptFile } from "../../../sdk/src/crypto/ageFiles";
import { parseHeader } from "../../../sdk/src/crypto/ageHeader";
import { encodeBase64Unpadded } from "../../../sdk/src/crypto/base64";
import { AGE } from "../../../sdk/src/crypto/formats";
import { formatIdentity, generateIdentity } from "../../../sdk/src/crypto/keys";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { flip, pseudoRandomBytes, rejected } from "./helpers/bytes";

const alice = generateIdentity();
const bob = generateIdentity();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "mlat-agefiles-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Around the 64 KiB chunk and the 4 MiB read of the file pump.
const BLOCK = 64 * AGE.chunkSize;
const sizes = [0, 1, AGE.chunkSize, BLOCK - 7, BLOCK, BLOCK + AGE.chunkSize + 3, 2 * BLOCK + 1];

describe("encryptFile", () => {
  it.each(sizes)("encrypts %i bytes into a file decryptFile opens", async (size) => {
    const plain = pseudoRandomBytes(size, size);
    await writeFile(join(dir, "in.bin"), plain);
    const enc = await encryptFile(join(dir, "in.bin"), join(dir, "in.age"), { recipients: [alice.recipient, bob.recipient] });
    expect(enc.plaintextSize).toBe(size);
    expect((await stat(join(dir, "in.age"))).size).toBe(enc.ciphertextSize);
    const dec = await decryptFile(join(dir, "in.age"), join(dir, "out.bin"), [bob], { fsync: false });
    expect(dec).toEqual({ plaintextSize: size, ciphertextSize: enc.ciphertextSize });
    expect((await readFile(join(dir, "out.bin"))).equals(plain)).toBe(true);
  });

  it("creates the file owner-only by default", async () => {
    await writeFile(join(dir, "m.bin"), "x");
    await encryptFile(join(dir, "m.bin"), join(dir, "m.age"), { recipients: [alice.recipient] });
    expect((await stat(join(dir, "m.age"))).mode & 0o777).toBe(0o600);
  });

  it("refuses a bad recipient without creating anything", async () => {
    const before = await readdir(dir);
    const e = await rejected(encryptFile(join(dir, "m.bin"), join(dir, "never.age"), { recipients: ["age1bad"] }));
    expect(isMlatError(e, "AGE_INVALID_RECIPIENT")).toBe(true);
    expect(await readdir(dir)).toEqual(before);
  });
});

describe("decryptFile", () => {
  const plain = pseudoRandomBytes(BLOCK + 5 * AGE.chunkSize + 17, 9);
  const file = encryptBytes(plain, { recipients: [alice.recipient] });
  const E = AGE.encryptedChunkSize;

  it("decrypts an armored file too", async () => {
    await writeFile(join(dir, "a.age"), encryptBytes(plain.subarray(0, 1000), { recipients: [alice.recipient], armor: true }));
    await decryptFile(join(dir, "a.age"), join(dir, "a.out"), [formatIdentity(alice)]);
    expect((await readFile(join(dir, "a.out"))).equals(plain.subarray(0, 1000))).toBe(true);
  });

  const payloadStart = (f: Buffer) => f.length - (plain.length + 16 * Math.ceil(plain.length / AGE.chunkSize));
  const cases: [string, (f: Buffer) => Buffer, string][] = [
    ["a flipped bit in the last chunk", (f) => flip(f, -3, 4), "AGE_PAYLOAD_INVALID"],
    ["a flipped bit in the first chunk", (f) => flip(f, payloadStart(f) + 5), "AGE_PAYLOAD_INVALID"],
    ["a flipped bit in the header's stanza", (f) => flip(f, 30), "AGE_NO_IDENTITY_MATCHED"],
    ["a flipped bit in the header MAC", (f) => {
      const { header, size } = parseHeader(f)!;
      const mac = Buffer.from(`--- ${encodeBase64Unpadded(flip(Buffer.from(header.mac), 7))}\n`);
      return Buffer.concat([f.subarray(0, header.macInput.length - 3), mac, f.subarray(size)]);
    }, "AGE_HEADER_MAC_MISMATCH"],
    ["a truncated file", (f) => f.subarray(0, f.length - 100), "AGE_PAYLOAD_INVALID"],
    ["a file cut at a chunk boundary", (f) => f.subarray(0, payloadStart(f) + 69 * E), "AGE_PAYLOAD_INVALID"],
    ["a final chunk shorter than its tag", (f) => f.subarray(0, payloadStart(f) + 68 * E + 7), "AGE_PAYLOAD_INVALID"],
    ["two chunks swapped", (f) => {
      const p = payloadStart(f);
      const g = Buffer.from(f);
      f.copy(g, p + 66 * E, p + 67 * E, p + 68 * E);
      f.copy(g, p + 67 * E, p + 66 * E, p + 67 * E);
      return g;
    }, "AGE_PAYLOAD_INVALID"],
    ["trailing data", (f) => Buffer.concat([f, Buffer.from("\n")]), "AGE_PAYLOAD_INVALID"],
    ["a truncated nonce", (f) => f.subarray(0, payloadStart(f) - 3), "AGE_HEADER_INVALID"],
    ["the wrong key", (f) => f, "AGE_NO_IDENTITY_MATCHED"],
  ];
  it.each(cases)("on %s: throws, leaves no temporary file, and keeps an existing output untouched", async (_why, edit, code) => {
    const name = `bad-${code}.age`;
    await writeFile(join(dir, name), edit(Buffer.from(file)));
    await writeFile(join(dir, "keep.txt"), "previous content");
    const before = (await readdir(dir)).sort();
    const identities = code === "AGE_NO_IDENTITY_MATCHED" ? [bob] : [alice];
    const e = await rejected(decryptFile(join(dir, name), join(dir, "keep.txt"), identities));
    expect(e).toMatchObject({ code });
    expect((await readdir(dir)).sort()).toEqual(before);
    expect(await readFile(join(dir, "keep.txt"), "utf8")).toBe("previous content");
  });

  it("reports data after a full final chunk", async () => {
    const full = encryptBytes(pseudoRandomBytes(BLOCK + AGE.chunkSize, 3), { recipients: [alice.recipient] });
    await writeFile(join(dir, "trail.age"), Buffer.concat([full, Buffer.from("xyz")]));
    const e = await rejected(decryptFile(join(dir, "trail.age"), join(dir, "trail.out"), [alice]));
    expect(e).toMatchObject({ code: "AGE_PAYLOAD_INVALID", shortMessage: expect.stringMatching(/data after the final chunk/) });
  });

  it("reports a missing input as the file system's error, creating nothing", async () => {
    const before = (await readdir(dir)).sort();
    const e = (await rejected(decryptFile(join(dir, "missing.age"), join(dir, "x.out"), [alice]))) as NodeJS.ErrnoException;
    expect(e.code).toBe("ENOENT");
    expect((await readdir(dir)).sort()).toEqual(before);
  });

  it("writes with the requested mode, without fsync when asked", async () => {
    await writeFile(join(dir, "f.age"), file);
    await decryptFile(join(dir, "f.age"), join(dir, "f.out"), [alice], { mode: 0o640, fsync: false });
    expect((await stat(join(dir, "f.out"))).mode & 0o777).toBe(0o640);
    expect((await readFile(join(dir, "f.out"))).equals(plain)).toBe(true);
  });
});
