import fc from "fast-check";
import { Wallet, verifyMessage, verifyTypedData } from "ethers";
import { describe, expect, it } from "vitest";
import { recoverMessageSigner, recoverTypedDataSigner, signMessageWith } from "../../gateway/src/chain/ecdsa";
import { memoKeccak } from "../../gateway/src/chain/nativeKeccak";

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

describe("the remembered Keccak-256 of small inputs", () => {
  it("gives every caller the right digest and its own copy, also after the memory started afresh", async () => {
    // The reference: the keccak package's JavaScript implementation (ethers' keccak256 may be ours by now:
    // the test above installs it).
    const { default: createKeccakJs } = await import("keccak/js");
    const keccak256 = (d: Uint8Array) => "0x" + createKeccakJs("keccak256").update(Buffer.from(d)).digest("hex");
    const hash = memoKeccak();
    const inputs = fc.sample(fc.uint8Array({ maxLength: 200 }), 400);
    // Each input twice (the second answer is a remembered one); then 9000 more small inputs, more than the
    // memory holds, so it starts afresh.
    for (const data of [...inputs, ...inputs]) expect("0x" + Buffer.from(hash(data)).toString("hex")).toBe(keccak256(data));
    for (let i = 0; i < 9000; i++) hash(Buffer.from(`filler ${i}`));
    const first = hash(inputs[0]!);
    first.fill(0);
    expect("0x" + Buffer.from(hash(inputs[0]!)).toString("hex")).toBe(keccak256(inputs[0]!));
  });
});
