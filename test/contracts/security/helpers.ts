/**
 * Helpers of the security suites: putting several transactions in one block in a chosen order (or mining a
 * transaction that must fail, which Hardhat would otherwise refuse at sending), and reading a mined
 * transaction's outcome from its trace.
 */
import { expect } from "vitest";
import hre from "hardhat";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";
import { decodeRevert } from "../../helpers/reverts";

/**
 * Sends every transaction without mining, then mines them all in one block. Hardhat's mempool orders them by
 * priority fee, then by arrival. Returns the receipts in the block's order.
 */
export async function mineInOneBlock(sends: (() => Promise<ContractTransactionResponse>)[]): Promise<TransactionReceipt[]> {
  await hre.network.provider.send("evm_setAutomine", [false]);
  const hashes: string[] = [];
  try {
    for (const send of sends) hashes.push((await send()).hash);
    await hre.network.provider.send("evm_mine", []);
  } finally {
    await hre.network.provider.send("evm_setAutomine", [true]);
  }
  const receipts = (await Promise.all(hashes.map((h) => hre.ethers.provider.getTransactionReceipt(h)))).map((r) => r!);
  expect(new Set(receipts.map((r) => r.blockNumber)).size, "all in one block").toBe(1);
  return receipts.sort((a, b) => a.index - b.index);
}

/** What a mined transaction did, from its trace: whether it failed, its custom error, and its STATICCALLs. */
export async function traceOf(hash: string): Promise<{ failed: boolean; error?: string; args?: unknown[]; staticCalls: number }> {
  const trace = (await hre.network.provider.send("debug_traceTransaction", [
    hash,
    { disableStack: true, disableMemory: true, disableStorage: true },
  ])) as { failed: boolean; returnValue: string; structLogs: { op: string }[] };
  const data = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
  const decoded = trace.failed ? decodeRevert({ data }) : undefined;
  return {
    failed: trace.failed,
    error: decoded?.name,
    args: decoded?.args.map((a) => (typeof a === "string" ? a.toLowerCase() : a)),
    staticCalls: trace.structLogs.filter((s) => s.op === "STATICCALL").length,
  };
}

/** The custom error (name and arguments, hex in lower case) a mined transaction reverted with. */
export async function revertOf(receipt: TransactionReceipt): Promise<{ name?: string; args?: unknown[] }> {
  expect(receipt.status, `transaction ${receipt.hash} reverted`).toBe(0);
  const { failed, error, args } = await traceOf(receipt.hash);
  expect(failed).toBe(true);
  return { name: error, args };
}
