import type { Provider } from "ethers";
import { decodeLedgerLogs, type LedgerEvent } from "../ledger/events";
import { verifierAddresses } from "./addresses";
import { check, type Check } from "./report";

/** The events' fields that must be identical on the chain. */
const same = (a: LedgerEvent, b: LedgerEvent) =>
  a.name === b.name &&
  Object.entries(a.args).every(([k, v]) => String(b.args[k]).toLowerCase() === String(v).toLowerCase());

/**
 * Each event a bundle claims is on the chain behind `provider`: same chain id, a receipt for its
 * transaction in the same block (number and hash), and an identical log from the custody contract at the
 * same index. Anything else is an anchor from another chain, contract or block.
 */
export async function checkAnchorLocation(
  provider: Provider,
  chainId: number,
  custody: string,
  events: readonly LedgerEvent[],
): Promise<Check> {
  const id = "anchor-location";
  const actual = Number((await provider.getNetwork()).chainId);
  if (actual !== chainId) return check(id, "fail", `anchored on chain ${chainId}, but the RPC endpoint serves chain ${actual}`);
  if ((await provider.getCode(custody)) === "0x") return check(id, "fail", `no contract at ${custody} on chain ${actual}`);
  const only = verifierAddresses(custody);
  for (const e of events) {
    const receipt = await provider.getTransactionReceipt(e.transactionHash);
    if (!receipt) return check(id, "fail", `transaction ${e.transactionHash} is not on chain ${actual}`);
    if (receipt.blockNumber !== e.blockNumber || receipt.blockHash !== e.blockHash) {
      return check(id, "fail", `transaction ${e.transactionHash} is in block ${receipt.blockNumber} (${receipt.blockHash}), not block ${e.blockNumber} (${e.blockHash})`);
    }
    const onChain = decodeLedgerLogs(only, receipt.logs.filter((l) => l.index === e.logIndex));
    if (onChain.length !== 1 || !same(e, onChain[0]!)) {
      return check(id, "fail", `${e.name} at block ${e.blockNumber} log ${e.logIndex} is not what contract ${custody} emitted there`);
    }
  }
  return check(id, "pass", `all ${events.length} events found on chain ${actual} in contract ${custody}, at their blocks`, events.map((e) => ({ blockNumber: e.blockNumber, transactionHash: e.transactionHash })));
}
