import { randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { AgeDecryptor, createDecryptStream, decrypt, decryptBytes, unwrapFileKey } from "../../../sdk/src/crypto/ageDecrypt";
import { AgeEncryptor, createEncryptStream, encrypt, encryptBytes } from "../../../sdk/src/crypto/ageEncrypt";
import { encodeHeader, parseHeader } from "../../../sdk/src/crypto/ageHeader";
import { encodeBase64Unpadded } from "../../../sdk/src/crypto/base64";
import { AGE } from "../../../sdk/src/crypto/formats";
import { formatIdentity, formatRecipient, generateIdentity } from "../../../sdk/src/crypto/keys";
import { PayloadEncryptor, payloadKey } from "../../../sdk/src/crypto/payload";
import { wrapX25519 } from "../../../sdk/src/crypto/x25519Stanza";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { flip, pseudoRandomBytes, readableOf, rejected, sink, thrown } from "./helpers/bytes";

const alice = generateIdentity();
const bob = generateIdentity();
const carol = generateIdentity();
const K = AGE.chunkSize;

/** An age file built by hand from parts, to test what our encryptor never writes. */
function handMade(stanzas: Parameters<typeof encodeHeader>[1], plaintext: Buffer, fileKey: Buffer): Buffer {
  const nonce = randomBytes(16);
  const parts: Buffer[] = [encodeHeader(fileKey, stanzas), nonce];
  const enc = new PayloadEncryptor(payloadKey(fileKey, nonce), (b) => parts.push(Buffer.from(b)));
  enc.update(plaintext);
  enc.final();
  return Buffer.concat(parts);
}

function decryptCollect(file: Buffer, identities = [alice]): { out: Buffer; error?: unknown } {
  const out: Buffer[] = [];
  try {
    const dec = new AgeDecryptor({ identities }, (b) => out.push(Buffer.from(b)));
    dec.update(file);
    dec.final();
    return { out: Buffer.concat(out) };
  } catch (error) {
    return { out: Buffer.concat(out), error };
  }
}

describe("encryptBytes", () => {
  it("writes one X25519 stanza per recipient and a file each recipient can open", () => {
    const plain = pseudoRandomBytes(1000, 1);
    const file = encryptBytes(plain, { recipients: [alice.recipient, formatRecipient(bob.recipient), carol.recipient.publicKey] });
    const { header } = parseHeader(file)!;
    expect(header.stanzas.map((s) => s.type)).toEqual(["X25519", "X25519", "X25519"]);
    for (const id of [alice, bob, carol]) expect(decryptBytes(file, { identities: [id] })).toEqual(plain);
  });

  it("uses fresh randomness for every file", () => {
    const a = encryptBytes(Buffer.from("x"), { recipients: [alice.recipient] });
    const b = encryptBytes(Buffer.from("x"), { recipients: [alice.recipient] });
    expect(a.equals(b)).toBe(false);
  });

  it("has the size the format predicts", () => {
    for (const size of [0, 1, K, K + 1, 3 * K]) {
      const file = encryptBytes(Buffer.alloc(size), { recipients: [alice.recipient] });
      const { size: headerSize } = parseHeader(file)!;
      expect(file.length).toBe(headerSize + 16 + size + 16 * Math.max(1, Math.ceil(size / K)));
    }
  });

  it("armors on request", () => {
    const file = encryptBytes(Buffer.from("hello"), { recipients: [alice.recipient], armor: true });
    expect(file.toString("latin1")).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----\n[A-Za-z0-9+/=\n]+-----END AGE ENCRYPTED FILE-----\n$/);
    expect(decryptBytes(file, { identities: [alice] }).toString()).toBe("hello");
  });

  it("refuses no recipients, a bad recipient, and a low-order public key, before reading anything", () => {
    expect(isMlatError(thrown(() => encryptBytes(Buffer.alloc(1), { recipients: [] })), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
    expect(isMlatError(thrown(() => createEncryptStream({ recipients: ["age1nope"] })), "AGE_INVALID_RECIPIENT")).toBe(true);
    expect(isMlatError(thrown(() => new AgeEncryptor({ recipients: [new Uint8Array(32)] }, () => {})), "AGE_INVALID_RECIPIENT")).toBe(true);
    expect(thrown(() => createEncryptStream({ recipients: ["ssh-ed25519 AAAA"] }))).toMatchObject({ code: "AGE_UNSUPPORTED_RECIPIENT" });
  });
});

describe("decryptBytes", () => {
  const plain = pseudoRandomBytes(2 * K + 10, 2);
  const file = encryptBytes(plain, { recipients: [alice.recipient, bob.recipient] });

  it("tries every identity against every stanza", () => {
    expect(decryptBytes(file, { identities: [carol, formatIdentity(bob)] })).toEqual(plain);
  });

  it("refuses a file for someone else with AGE_NO_IDENTITY_MATCHED, releasing nothing", () => {
    const r = decryptCollect(file, [carol]);
    expect(r.error).toMatchObject({ code: "AGE_NO_IDENTITY_MATCHED", shortMessage: "no identity matched any of the file's recipients" });
    expect(r.out.length).toBe(0);
  });

  it("refuses a modified header with AGE_HEADER_MAC_MISMATCH, releasing nothing", () => {
    const { header } = parseHeader(file)!;
    // Re-encode the header with alice's stanza only: still valid syntax, wrong MAC.
    const edited = Buffer.concat([
      header.macInput.subarray(0, header.macInput.indexOf("-> X25519", header.macInput.indexOf("-> X25519") + 1)),
      Buffer.from("--- " + encodeBase64Unpadded(header.mac) + "\n"),
      file.subarray(parseHeader(file)!.size),
    ]);
    const r = decryptCollect(edited);
    expect(r.error).toMatchObject({ code: "AGE_HEADER_MAC_MISMATCH" });
    expect(r.out.length).toBe(0);
  });

  it("refuses a truncated nonce as a header failure (as the age test kit expects)", () => {
    const size = parseHeader(file)!.size;
    expect(decryptCollect(file.subarray(0, size + 15)).error).toMatchObject({ code: "AGE_HEADER_INVALID", shortMessage: expect.stringMatching(/nonce/) });
    expect(decryptCollect(file.subarray(0, size - 1)).error).toMatchObject({ code: "AGE_HEADER_INVALID", shortMessage: expect.stringMatching(/truncated/) });
  });

  it("refuses an empty file and whitespace", () => {
    expect(decryptCollect(Buffer.alloc(0)).error).toMatchObject({ code: "AGE_HEADER_INVALID", shortMessage: expect.stringMatching(/empty/) });
    expect(decryptCollect(Buffer.from(" \n")).error).toMatchObject({ code: "AGE_HEADER_INVALID" });
  });

  it("releases only authenticated chunks when the payload is tampered with", () => {
    const tampered = Buffer.from(file);
    flip(tampered, -5, 0x80);
    const r = decryptCollect(tampered);
    expect(r.error).toMatchObject({ code: "AGE_PAYLOAD_INVALID" });
    expect(r.out).toEqual(plain.subarray(0, 2 * K));
  });

  it('refuses a passphrase file with "unsupported recipient type scrypt"', () => {
    const fileKey = randomBytes(16);
    const scrypt = handMade([{ type: "scrypt", args: [encodeBase64Unpadded(randomBytes(16)), "18"], body: randomBytes(32) }], Buffer.from("x"), fileKey);
    expect(decryptCollect(scrypt).error).toMatchObject({ code: "AGE_UNSUPPORTED_RECIPIENT", shortMessage: "unsupported recipient type scrypt" });
  });

  it("refuses a file for post-quantum recipients only as unsupported", () => {
    const fileKey = randomBytes(16);
    const pq = handMade([{ type: "mlkem768x25519", args: [encodeBase64Unpadded(randomBytes(1120))], body: randomBytes(32) }], Buffer.from("x"), fileKey);
    expect(decryptCollect(pq).error).toMatchObject({ code: "AGE_UNSUPPORTED_RECIPIENT", shortMessage: "unsupported recipient type mlkem768x25519" });
  });

  it("refuses an scrypt stanza next to others as a header failure", () => {
    const fileKey = randomBytes(16);
    const mixed = handMade([wrapX25519(fileKey, alice.recipient), { type: "scrypt", args: ["AAAA", "10"], body: randomBytes(32) }], Buffer.from("x"), fileKey);
    expect(decryptCollect(mixed).error).toMatchObject({ code: "AGE_HEADER_INVALID", shortMessage: expect.stringMatching(/scrypt stanza must be the only/) });
  });

  it("ignores stanzas of unknown types when an X25519 stanza matches", () => {
    const fileKey = randomBytes(16);
    const grease = handMade([{ type: "grease-me", args: ["x"], body: randomBytes(70) }, wrapX25519(fileKey, alice.recipient)], Buffer.from("ok"), fileKey);
    expect(decryptBytes(grease, { identities: [alice] }).toString()).toBe("ok");
  });

  it("honours a header size limit", () => {
    expect(decryptCollect(file).error).toBeUndefined();
    expect(() => decryptBytes(file, { identities: [alice], maxHeaderSize: 100 })).toThrow(/larger than 100 bytes/);
  });

  it("requires armor when asked to, and refuses it when asked not to", () => {
    const armored = encryptBytes(Buffer.from("x"), { recipients: [alice.recipient], armor: true });
    expect(isMlatError(thrown(() => decryptBytes(file, { identities: [alice], armor: true })), "AGE_ARMOR_INVALID")).toBe(true);
    expect(isMlatError(thrown(() => decryptBytes(armored, { identities: [alice], armor: false })), "AGE_HEADER_INVALID")).toBe(true);
  });

  it("needs at least one identity, and parses string identities up front", () => {
    expect(isMlatError(thrown(() => decryptBytes(file, { identities: [] })), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
    expect(isMlatError(thrown(() => createDecryptStream({ identities: ["AGE-SECRET-KEY-1XYZ"] })), "AGE_INVALID_IDENTITY")).toBe(true);
  });
});

describe("unwrapFileKey", () => {
  it("returns the file key of the matching stanza", () => {
    const fileKey = randomBytes(16);
    const header = parseHeader(encodeHeader(fileKey, [wrapX25519(fileKey, bob.recipient), wrapX25519(fileKey, alice.recipient)]))!.header;
    expect(unwrapFileKey(header, [alice])).toEqual(fileKey);
  });
});

describe("AgeDecryptor", () => {
  it("emits nothing until the header MAC has verified", () => {
    const file = encryptBytes(pseudoRandomBytes(K + 1, 3), { recipients: [alice.recipient] });
    const out: Buffer[] = [];
    const dec = new AgeDecryptor({ identities: [alice] }, (b) => out.push(b));
    const headerSize = parseHeader(file)!.size;
    dec.update(file.subarray(0, headerSize + 16 + AGE.encryptedChunkSize - 1));
    expect(out.length).toBe(0);
    dec.update(file.subarray(headerSize + 16 + AGE.encryptedChunkSize - 1));
    expect(out.length).toBe(1); // the first chunk, authenticated, as soon as complete
    dec.final();
    expect(Buffer.concat(out).length).toBe(K + 1);
  });
});

describe("encrypt / decrypt (streams)", () => {
  it("round-trip through Node streams cut at every kind of boundary, reporting sizes", async () => {
    const plain = pseudoRandomBytes(3 * K + 123, 4);
    const encrypted = sink();
    const sizes = await encrypt(readableOf(plain, [1, K - 1, K, K + 1, 7]), encrypted, { recipients: [alice.recipient] });
    expect(sizes).toEqual({ plaintextSize: plain.length, ciphertextSize: encrypted.data().length });
    const decrypted = sink();
    const back = await decrypt(readableOf(encrypted.data(), [1, 200, AGE.encryptedChunkSize, 3]), decrypted, { identities: [alice] });
    expect(decrypted.data()).toEqual(plain);
    expect(back).toEqual({ plaintextSize: plain.length, ciphertextSize: encrypted.data().length });
  });

  it("refuse bad parameters before reading, closing both streams", async () => {
    const input = readableOf(Buffer.from("never read"));
    const output = sink();
    const e = await rejected(encrypt(input, output, { recipients: ["age1invalid"] }));
    expect(isMlatError(e, "AGE_INVALID_RECIPIENT")).toBe(true);
    expect(input.destroyed && output.destroyed).toBe(true);
    const input2 = readableOf(Buffer.from("never read"));
    expect(isMlatError(await rejected(decrypt(input2, sink(), { identities: [] })), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
    expect(input2.destroyed).toBe(true);
  });

  it("round-trip armored through createEncryptStream / createDecryptStream", async () => {
    const plain = pseudoRandomBytes(K + 5, 5);
    const armored = sink();
    await pipeline(readableOf(plain, [999]), createEncryptStream({ recipients: [alice.recipient], armor: true }), armored);
    const out = sink();
    await pipeline(readableOf(armored.data(), [1, 2, 64, 65]), createDecryptStream({ identities: [alice] }), out);
    expect(out.data()).toEqual(plain);
  });

  it("rejects with the typed error, the output holding only authenticated plaintext", async () => {
    const plain = pseudoRandomBytes(2 * K + 1, 6);
    const file = encryptBytes(plain, { recipients: [alice.recipient] });
    flip(file, -1);
    const out = sink();
    const e = await rejected(decrypt(readableOf(file, [5000]), out, { identities: [alice] }));
    expect(isMlatError(e, "AGE_PAYLOAD_INVALID")).toBe(true);
    expect(plain.subarray(0, out.data().length)).toEqual(out.data());
    expect(out.data().length).toBeLessThanOrEqual(2 * K);
  });

  it("does no more work once destroyed: a chunk still waiting for its turn yields nothing", async () => {
    const file = encryptBytes(pseudoRandomBytes(2 * K, 7), { recipients: [alice.recipient] });
    const stream = createDecryptStream({ identities: [alice] });
    const seen: Buffer[] = [];
    stream.on("data", (b: Buffer) => seen.push(b));
    stream.on("error", () => undefined);
    stream.write(file);
    stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
  });
});
