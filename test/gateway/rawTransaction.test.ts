import fc from "fast-check";
import { Transaction, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { encodeExecuteBatch, type ForwardRequestData } from "../../gateway/src/chain/forwarderBatch";
import { signEip1559Transaction } from "../../gateway/src/chain/rawTransaction";
import { LEDGER_INTERFACES } from "../../sdk/src/ledger/contracts";

const hex = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => "0x" + Buffer.from(b).toString("hex"));
const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => "0x" + Buffer.from(b).toString("hex"));
const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });

const request: fc.Arbitrary<ForwardRequestData> = fc.record({
  from: address,
  to: address,
  value: uint(256),
  gas: uint(256),
  deadline: uint(48),
  data: hex(700),
  signature: hex(65),
});

describe("the executeBatch calldata the relayer builds", () => {
  it("is byte for byte what ethers' encodeFunctionData gives, for any batch", () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 12 }), address, (requests, refund) => {
        const ours = "0x" + encodeExecuteBatch(requests, refund).toString("hex");
        expect(ours).toBe(LEDGER_INTERFACES.forwarder.encodeFunctionData("executeBatch", [requests, refund]));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what ABI could not carry instead of encoding something else", () => {
    const ok: ForwardRequestData = { from: "0x" + "11".repeat(20), to: "0x" + "22".repeat(20), value: 0n, gas: 1n, deadline: 1, data: "0x", signature: "0x" };
    expect(() => encodeExecuteBatch([{ ...ok, deadline: 2n ** 48n }], ok.to)).toThrow(/uint48/);
    expect(() => encodeExecuteBatch([{ ...ok, value: -1n }], ok.to)).toThrow(/uint256/);
    expect(() => encodeExecuteBatch([{ ...ok, data: "0x123" }], ok.to)).toThrow(/data is not 0x hex/);
    expect(() => encodeExecuteBatch([{ ...ok, from: "0x1234" }], ok.to)).toThrow(/not an address/);
  });
});

describe("the relayer's EIP-1559 transactions", () => {
  const fields = fc
    .record({
      chainId: fc.bigInt({ min: 1n, max: 2n ** 64n }),
      nonce: fc.nat(),
      maxPriorityFeePerGas: uint(128),
      headroom: uint(128),
      gasLimit: uint(64),
      to: address,
      value: uint(128),
      data: fc.uint8Array({ maxLength: 2000 }),
    })
    // A valid fee pair: the fee cap is never below the tip (ethers refuses to sign that).
    .map(({ headroom, ...tx }) => ({ ...tx, maxFeePerGas: tx.maxPriorityFeePerGas + headroom }));

  it("serialize and sign exactly as ethers' Wallet.signTransaction, with the hash the node reports", async () => {
    await fc.assert(
      fc.asyncProperty(fields, async (tx) => {
        const wallet = Wallet.createRandom();
        const ours = signEip1559Transaction(tx, Buffer.from(wallet.privateKey.slice(2), "hex"));
        const theirs = await wallet.signTransaction({ ...tx, type: 2, data: "0x" + Buffer.from(tx.data).toString("hex") });
        expect(ours.raw).toBe(theirs);
        const parsed = Transaction.from(ours.raw);
        expect(ours.hash).toBe(parsed.hash);
        expect(parsed.from).toBe(wallet.address);
      }),
      { numRuns: 200 },
    );
  });

  it("encodes long calldata (an RLP length of several bytes) as ethers does", async () => {
    const wallet = Wallet.createRandom();
    const tx = { chainId: 31337n, nonce: 7, maxPriorityFeePerGas: 1n, maxFeePerGas: 2n, gasLimit: 30_000_000n, to: wallet.address, value: 0n, data: new Uint8Array(70_000).fill(0xab) };
    const ours = signEip1559Transaction(tx, Buffer.from(wallet.privateKey.slice(2), "hex"));
    expect(ours.raw).toBe(await wallet.signTransaction({ ...tx, type: 2, data: "0x" + Buffer.from(tx.data).toString("hex") }));
  });
});
