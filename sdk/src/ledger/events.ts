import type { Log } from "ethers";
import { LEDGER_INTERFACES, type LedgerContractName } from "./contracts";
import type { ContractAddresses } from "./deployment";

/** One decoded ledger event with where it was emitted. */
export interface LedgerEvent {
  contract: LedgerContractName;
  name: string;
  /** The event's arguments by name; integers stay bigint. */
  args: Record<string, unknown>;
  address: string;
  blockNumber: number;
  blockHash: string;
  transactionHash: string;
  logIndex: number;
}

/**
 * Decodes the logs a ledger deployment emitted; logs of other contracts or unknown topics are skipped.
 * Events come back in chain order (block, then log index).
 * @example decodeLedgerLogs(deployment.contracts, receipt.logs)
 */
export function decodeLedgerLogs(addresses: ContractAddresses, logs: readonly Log[]): LedgerEvent[] {
  const byAddress = new Map<string, LedgerContractName>(
    (Object.entries(addresses) as [LedgerContractName, string][]).map(([name, a]) => [a.toLowerCase(), name]),
  );
  const events: LedgerEvent[] = [];
  for (const log of logs) {
    const contract = byAddress.get(log.address.toLowerCase());
    if (!contract) continue;
    const parsed = LEDGER_INTERFACES[contract].parseLog({ topics: [...log.topics], data: log.data });
    if (!parsed) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name] = toPlain(parsed.args[i])));
    events.push({
      contract,
      name: parsed.name,
      args,
      address: log.address,
      blockNumber: log.blockNumber,
      blockHash: log.blockHash,
      transactionHash: log.transactionHash,
      logIndex: log.index,
    });
  }
  return events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
}

/** ethers `Result`s (struct arguments) become plain objects or arrays. */
function toPlain(value: unknown): unknown {
  if (value && typeof value === "object" && "toObject" in value && typeof value.toObject === "function") {
    try {
      return (value as { toObject(deep?: boolean): unknown }).toObject(true);
    } catch {
      return (value as unknown as unknown[]).map(toPlain);
    }
  }
  return value;
}
