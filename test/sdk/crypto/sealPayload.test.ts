import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptBytes } from "../../../sdk/src/crypto/ageDecrypt";
import { contentCommitment } from "../../../sdk/src/crypto/commitment";
import { payloadDigest } from "../../../sdk/src/crypto/digests";
import { generateIdentity } from "../../../sdk/src/crypto/keys";
import { PayloadSealer, sealPayload } from "../../../sdk/src/crypto/sealPayload";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { pseudoRandomBytes, readableOf, rejected, sink, thrown } from "./helpers/bytes";

const custodian = generateIdentity();
const requester = generateIdentity();

describe("sealPayload", () => {
  it("returns, from one pass, the digests a separate computation gives, and a file both recipients open", async () => {
    const plain = pseudoRandomBytes(200_000, 1);
    let reads = 0;
    async function* once() {
      reads++;
      yield* readableOf(plain, [4096, 70_000]);
    }
    const out = sink();
    const sealed = await sealPayload(once(), out, { recipients: [custodian.recipient, requester.recipient] });
    const file = out.data();
    const sha = createHash("sha256").update(plain).digest("hex");
    expect(reads).toBe(1);
    expect(sealed).toEqual({
      plaintextSha256: sha,
      plaintextSize: plain.length,
      salt: expect.stringMatching(/^[0-9a-f]{64}$/),
      contentCommitment: contentCommitment(sha, sealed.salt),
      payloadDigest: payloadDigest(file),
      ciphertextSize: file.length,
    });
    expect(decryptBytes(file, { identities: [requester] })).toEqual(plain);
  });

  it("keeps the content commitment when the evidence is re-encrypted for someone else", async () => {
    const plain = pseudoRandomBytes(1000, 2);
    const first = await sealPayload(readableOf(plain), sink(), { recipients: [custodian.recipient] });
    const second = await sealPayload(readableOf(plain), sink(), { recipients: [requester.recipient], salt: first.salt });
    expect(second.contentCommitment).toBe(first.contentCommitment);
    expect(second.payloadDigest).not.toBe(first.payloadDigest);
  });

  it("seals an empty payload", async () => {
    const out = sink();
    const sealed = await sealPayload(readableOf(Buffer.alloc(0)), out, { recipients: [custodian.recipient] });
    expect(sealed.plaintextSha256).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(decryptBytes(out.data(), { identities: [custodian] }).length).toBe(0);
  });

  it("refuses a salt of the wrong size and bad recipients before reading", async () => {
    expect(isMlatError(await rejected(sealPayload(readableOf(Buffer.from("x")), sink(), { recipients: [custodian.recipient], salt: "00" })), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
    expect(isMlatError(await rejected(sealPayload(readableOf(Buffer.from("x")), sink(), { recipients: [] })), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
  });
});

describe("PayloadSealer", () => {
  it("has no result before final", () => {
    const sealer = new PayloadSealer({ recipients: [custodian.recipient] }, () => undefined);
    expect(() => sealer.result()).toThrow(/before final/);
    sealer.final();
    expect(sealer.result().plaintextSize).toBe(0);
    expect(thrown(() => new PayloadSealer({ recipients: [custodian.recipient], salt: new Uint8Array(3) }, () => undefined))).toMatchObject({ code: "CRYPTO_INVALID_ARGUMENT" });
  });
});
