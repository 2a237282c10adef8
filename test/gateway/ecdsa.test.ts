import fc from "fast-check";
import { Wallet, verifyMessage, verifyTypedData } from "ethers";
import { describe, expect, it } from "vitest";
import { recoverMessageSigner, recoverTypedDataSigner, signMessageWith } from "../../gateway/src/chain/ecdsa";

const domain = { name: "MlatForwarder", version: "1", chainId: 31337, verifyingContract: "0x" + "12".repeat(20) };
const types = { T: [{ name: "nonce", type: "uint256" }, { name: "data", type: "bytes" }] };

describe("native secp256k1 signing and recovery agree with ethers", () => {
  it("signs EIP-191 messages exactly as ethers does, and recovers the signer", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (message) => {
        const w = Wallet.createRandom();
        const signature = signMessageWith(w.privateKey, message);
        expect(signature).toBe(await w.signMessage(message));
        expect(recoverMessageSigner(message, signature)).toBe(verifyMessage(message, signature));
      }),
      { numRuns: 100 },
    );
  });

  it("recovers the same signer as ethers' verifyTypedData, also for a tampered message", async () => {
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.uint8Array({ maxLength: 200 }), async (nonce, bytes) => {
        const w = Wallet.createRandom();
        const message = { nonce, data: "0x" + Buffer.from(bytes).toString("hex") };
        const signature = await w.signTypedData(domain, types, message);
        expect(recoverTypedDataSigner(domain, types, message, signature)).toBe(w.address);
        const tampered = { ...message, nonce: nonce + 1n };
        expect(recoverTypedDataSigner(domain, types, tampered, signature)).toBe(verifyTypedData(domain, types, tampered, signature));
      }),
      { numRuns: 100 },
    );
  });
});

describe("the native Keccak-256 ethers hashes with inside a gateway", () => {
  it("gives the same digests as ethers' own implementation", async () => {
    const { keccak256 } = await import("ethers");
    const reference = (data: Uint8Array) => keccak256(data);
    const before = fc.sample(fc.uint8Array({ maxLength: 1000 }), 300).map((d) => [d, reference(d)] as const);
    const { useNativeKeccak } = await import("../../gateway/src/chain/nativeKeccak");
    useNativeKeccak();
    for (const [data, digest] of before) expect(keccak256(data)).toBe(digest);
  });
});
