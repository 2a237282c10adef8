import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentCommitment, randomSalt } from "../../../sdk/src/crypto/commitment";
import { isMlatError } from "../../../sdk/src/errors/MlatError";
import { thrown } from "./helpers/bytes";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest();

describe("contentCommitment", () => {
  it("is SHA-256(\"mlat-ledger/content/v1\" ‖ salt ‖ SHA-256(plaintext))", () => {
    const salt = randomSalt();
    const plaintext = Buffer.from("witness statement");
    const expected = sha(Buffer.concat([Buffer.from("mlat-ledger/content/v1", "ascii"), salt, sha(plaintext)]));
    expect(contentCommitment(sha(plaintext), salt)).toBe(`0x${expected.toString("hex")}`);
  });

  it("matches the fixed vectors of docs/design/crypto.md", () => {
    expect(contentCommitment(sha(Buffer.alloc(0)), Buffer.alloc(32))).toBe("0x8bbaff7aeafec38349163e72622ff2565fac0a947c9b23408645f0d609fe3c35");
    const salt = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    expect(contentCommitment(sha(Buffer.from("abc")), salt)).toBe("0x6a219321f0f110ce586a3b45fdff503f5b82627b3d5fe129dc61e1996e26b82d");
    // Hex in any case, with or without 0x, is the same value.
    expect(contentCommitment(`0x${sha(Buffer.from("abc")).toString("hex").toUpperCase()}`, `0x${salt}`)).toBe(
      "0x6a219321f0f110ce586a3b45fdff503f5b82627b3d5fe129dc61e1996e26b82d",
    );
  });

  it("differs for every salt, so a guessable document has no guessable commitment", () => {
    const digest = sha(Buffer.from("yes"));
    expect(contentCommitment(digest, randomSalt())).not.toBe(contentCommitment(digest, randomSalt()));
  });

  it("refuses a salt or digest that is not 32 bytes", () => {
    expect(isMlatError(thrown(() => contentCommitment(Buffer.alloc(32), Buffer.alloc(31))), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
    expect(isMlatError(thrown(() => contentCommitment("abcd", Buffer.alloc(32))), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
    expect(isMlatError(thrown(() => contentCommitment("zz".repeat(32), Buffer.alloc(32))), "CRYPTO_INVALID_ARGUMENT")).toBe(true);
  });
});

describe("randomSalt", () => {
  it("gives 32 fresh bytes", () => {
    expect(randomSalt().length).toBe(32);
    expect(randomSalt().equals(randomSalt())).toBe(false);
  });
});
