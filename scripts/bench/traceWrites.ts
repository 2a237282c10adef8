import type { JsonRpcProvider } from "ethers";
import { getAddress, toBeHex } from "ethers";
import type { StorageWrite } from "./gasFloor";

interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
}

/**
 * The storage slots a mined transaction changed, with their values before and after, read from
 * Hardhat's `debug_traceTransaction` (struct logs) and `eth_getStorageAt` at the blocks around it.
 * Call frames are followed so each SSTORE is attributed to the contract whose storage it writes.
 */
export async function storageWrites(
  provider: JsonRpcProvider,
  txHash: string,
  to: string,
  blockNumber: number,
): Promise<StorageWrite[]> {
  const trace = (await provider.send("debug_traceTransaction", [
    txHash,
    { disableStorage: true, disableMemory: true },
  ])) as { structLogs: StructLog[] };
  const frames: string[] = [getAddress(to)];
  const touched = new Map<string, { address: string; slot: string }>();
  let pendingCallee: string | undefined;
  for (const step of trace.structLogs) {
    while (frames.length > step.depth) frames.pop();
    if (pendingCallee !== undefined && frames.length < step.depth) frames.push(pendingCallee);
    pendingCallee = undefined;
    const stack = step.stack ?? [];
    // Hardhat prints stack words as hex without the 0x prefix.
    const top = (i: number) => BigInt("0x" + stack[stack.length - 1 - i]!.replace(/^0x/, ""));
    const current = frames[frames.length - 1]!;
    if (step.op === "CALL" || step.op === "STATICCALL") pendingCallee = addressOf(top(1));
    else if (step.op === "DELEGATECALL" || step.op === "CALLCODE") pendingCallee = current;
    else if (step.op === "SSTORE") {
      const slot = toBeHex(top(0), 32);
      touched.set(`${current}:${slot}`, { address: current, slot });
    }
  }
  const writes: StorageWrite[] = [];
  for (const { address, slot } of touched.values()) {
    const before = BigInt(await provider.getStorage(address, slot, blockNumber - 1));
    const after = BigInt(await provider.getStorage(address, slot, blockNumber));
    writes.push({ address, slot, original: before, final: after });
  }
  return writes;
}

function addressOf(word: bigint): string {
  return getAddress(toBeHex(word & ((1n << 160n) - 1n), 20));
}
