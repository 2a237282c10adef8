import { createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AGE } from "../../../sdk/src/crypto/formats";
import { PayloadDecryptor, PayloadEncryptor, payloadKey } from "../../../sdk/src/crypto/payload";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { flip, pseudoRandomBytes, thrown } from "./helpers/bytes";

const K = AGE.chunkSize;
const E = AGE.encryptedChunkSize;
const key = randomBytes(32);

function seal(plain: Buffer, pieces: number[] = [plain.length || 1]): Buffer {
  const out: Buffer[] = [];
  const enc = new PayloadEncryptor(key, (b) => out.push(Buffer.from(b)));
  for (let off = 0, i = 0; off < plain.length; i++) {
    const n = pieces[i % pieces.length] as number;
    enc.update(plain.subarray(off, off + n));
    off += n;
  }
  enc.final();
  return Buffer.concat(out);
}

function open(sealed: Buffer, pieces: number[] = [sealed.length || 1]): { plain: Buffer; error?: unknown } {
  const out: Buffer[] = [];
  const dec = new PayloadDecryptor(key, (b) => out.push(Buffer.from(b)));
  try {
    for (let off = 0, i = 0; off < sealed.length; i++) {
      const n = pieces[i % pieces.length] as number;
      dec.update(sealed.subarray(off, off + n));
      off += n;
    }
    dec.final();
    return { plain: Buffer.concat(out) };
  } catch (error) {
    return { plain: Buffer.concat(out), error };
  }
}

/** Independent STREAM decryption of chunk i with Node's AEAD, as a cross-check of the nonce layout. */
function openChunk(sealed: Buffer, i: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUInt32BE(i, 7);
  nonce[11] = last ? 1 : 0;
  const chunk = sealed.subarray(i * E, Math.min(sealed.length, (i + 1) * E));
  const d = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  d.setAuthTag(chunk.subarray(chunk.length - 16));
  return Buffer.concat([d.update(chunk.subarray(0, chunk.length - 16)), d.final()]);
}

describe("payloadKey", () => {
  it("is HKDF-SHA256(file key, nonce, \"payload\")", () => {
    const fileKey = randomBytes(16);
    const nonce = randomBytes(16);
    expect(payloadKey(fileKey, nonce)).toEqual(Buffer.from(hkdfSync("sha256", fileKey, nonce, "payload", 32)));
  });
});

describe("PayloadEncryptor", () => {
  it.each([0, 1, K - 1, K, K + 1, 2 * K, 3 * K + 5])("seals %i bytes into the chunks the spec lays out", (size) => {
    const plain = pseudoRandomBytes(size, size);
    const sealed = seal(plain);
    const chunks = Math.max(1, Math.ceil(size / K));
    expect(sealed.length).toBe(size + 16 * chunks);
    const opened = Array.from({ length: chunks }, (_, i) => openChunk(sealed, i, i === chunks - 1));
    expect(Buffer.concat(opened)).toEqual(plain);
  });

  it("gives the same bytes however the input is cut", () => {
    const plain = pseudoRandomBytes(3 * K + 77, 1);
    const whole = seal(plain);
    for (const pieces of [[1000], [K], [K + 1], [K - 1, 2, K + 3], [7, 3 * K]]) expect(seal(plain, pieces)).toEqual(whole);
  });
});

describe("PayloadDecryptor", () => {
  it("opens what the encryptor sealed, however the input is cut", () => {
    const plain = pseudoRandomBytes(2 * K + 3, 2);
    const sealed = seal(plain);
    for (const pieces of [[sealed.length], [1], [E], [E - 1], [E + 1], [16, 5000]]) {
      const r = open(sealed, pieces);
      expect(r.error).toBeUndefined();
      expect(r.plain).toEqual(plain);
    }
  });

  it("opens a payload whose final chunk is full", () => {
    const plain = pseudoRandomBytes(2 * K, 3);
    expect(open(seal(plain)).plain).toEqual(plain);
  });

  it("emits a full chunk as soon as it authenticates, before the end", () => {
    const sealed = seal(pseudoRandomBytes(3 * K, 4));
    const out: Buffer[] = [];
    const dec = new PayloadDecryptor(key, (b) => out.push(b));
    dec.update(sealed.subarray(0, E));
    expect(out.length).toBe(1);
  });

  it("emits nothing of a chunk that fails authentication", () => {
    const sealed = seal(pseudoRandomBytes(K + 10, 5));
    flip(sealed, E + 3); // in the final chunk
    const r = open(sealed);
    expect(isMlatError(r.error, "AGE_PAYLOAD_INVALID")).toBe(true);
    expect(r.plain.length).toBe(K); // the first chunk only, which authenticated
  });

  it.each([
    ["no chunk at all", () => Buffer.alloc(0), /no chunk/],
    ["a final chunk shorter than its tag", (s: Buffer) => s.subarray(0, E + 10), /truncated/],
    ["a missing final chunk", (s: Buffer) => s.subarray(0, E), /without a final chunk/],
    ["trailing data", (s: Buffer) => Buffer.concat([s, Buffer.from([0])]), /failed authentication|after the final chunk/],
  ])("refuses %s", (_why, edit, message) => {
    const r = open(edit(seal(pseudoRandomBytes(K + 100, 6))));
    expect(r.error).toMatchObject({ code: "AGE_PAYLOAD_INVALID", shortMessage: expect.stringMatching(message) });
  });

  it("refuses data after a full final chunk, after emitting that authenticated chunk", () => {
    const sealed = seal(pseudoRandomBytes(2 * K, 7));
    const r = open(Buffer.concat([sealed, Buffer.from("x")]));
    expect(r.error).toMatchObject({ code: "AGE_PAYLOAD_INVALID", shortMessage: expect.stringMatching(/after the final chunk/) });
    expect(r.plain.length).toBe(2 * K);
  });

  it("refuses an empty final chunk after full ones", () => {
    // K bytes as a non-final chunk, then an empty final chunk: valid STREAM, invalid age.
    const nonce = (i: number, last: boolean) => {
      const n = Buffer.alloc(12);
      n.writeUInt32BE(i, 7);
      n[11] = last ? 1 : 0;
      return n;
    };
    const sealOne = async (i: number, plain: Buffer, last: boolean) => {
      const { createCipheriv } = await import("node:crypto");
      const c = createCipheriv("chacha20-poly1305", key, nonce(i, last), { authTagLength: 16 });
      return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    };
    return Promise.all([sealOne(0, Buffer.alloc(K), false), sealOne(1, Buffer.alloc(0), true)]).then(([a, b]) => {
      const r = open(Buffer.concat([a as Buffer, b as Buffer]));
      expect(r.error).toMatchObject({ code: "AGE_PAYLOAD_INVALID", shortMessage: expect.stringMatching(/final chunk 1 is empty/) });
      expect(r.plain.length).toBe(K);
    });
  });

  it("stays failed after a failure", () => {
    const dec = new PayloadDecryptor(key, () => undefined);
    const e = thrown(() => dec.update(Buffer.alloc(E + 1)));
    expect(thrown(() => dec.update(Buffer.alloc(1)))).toBe(e);
    expect(thrown(() => dec.final())).toBe(e);
  });
});
