import type { Provider, TransactionReceipt, TransactionResponse } from "ethers";
import { MlatError } from "../errors/MlatError";
import type { LedgerClient } from "./client";
import { LEDGER_INTERFACES, type LedgerContractName } from "./contracts";
import { decodeLedgerError, LedgerRevertError } from "./errors";
import { decodeLedgerLogs, type LedgerEvent } from "./events";
import { signForwardRequest } from "./signForwardRequest";

/** What a mined write yields: the receipt, the decoded events, and the action's domain values. */
export type Mined<R> = R & { receipt: TransactionReceipt; events: LedgerEvent[] };

/** A sent write: its transaction hash, and `wait()` for the mined result. */
export interface LedgerWrite<R> {
  hash: string;
  /** Waits for `confirmations` blocks (default 1) and decodes the receipt into domain values. */
  wait(confirmations?: number): Promise<Mined<R>>;
}

/** One contract call of an action, and how its events become the action's result. */
export interface LedgerCall<R> {
  contract: LedgerContractName;
  method: string;
  args: readonly unknown[];
  result: (events: LedgerEvent[]) => R;
}

/**
 * Sends one ledger call, directly from the client's signer or signed for its relay. The call is simulated
 * first from the signer's address, so a refusal comes back as a {LedgerRevertError} naming the contract's
 * custom error before anything is sent (a relayed call that fails on-chain only says `FailedCall`).
 */
export async function writeLedger<R>(client: LedgerClient, call: LedgerCall<R>): Promise<LedgerWrite<R>> {
  const signer = client.signer;
  if (!signer) throw new MlatError("LEDGER_NO_SIGNER", `${call.method} needs a signer`);
  const contract = client.contracts[call.contract];
  const to = await contract.getAddress();
  const data = LEDGER_INTERFACES[call.contract].encodeFunctionData(call.method, call.args);
  const from = await signer.getAddress();
  let gas: bigint;
  try {
    gas = await client.provider.estimateGas({ from, to, data });
  } catch (e) {
    throw decodeLedgerError(e);
  }
  let tx: TransactionResponse | string;
  try {
    if (client.relay) {
      const request = await signForwardRequest({
        signer,
        forwarder: client.contracts.forwarder,
        to,
        data,
        // Room for the forwarder's own checks and the EIP-150 1/64 rule.
        gas: gas + gas / 4n + 20_000n,
      });
      tx = await client.relay(request);
    } else {
      tx = await signer.sendTransaction({ to, data, gasLimit: gas + gas / 5n });
    }
  } catch (e) {
    throw decodeLedgerError(e);
  }
  const hash = typeof tx === "string" ? tx : tx.hash;
  const response = typeof tx === "string" ? undefined : tx;
  return {
    hash,
    wait: async (confirmations = 1) => {
      const receipt = response
        ? await response.wait(confirmations).catch((e: unknown) => {
            // A reverted receipt is reported below with the decoded events; anything else is thrown.
            if (isReceiptError(e)) return e.receipt;
            throw e;
          })
        : await pollReceipt(client.provider, hash, confirmations);
      if (!receipt) throw new MlatError("LEDGER_TX_DROPPED", `transaction ${hash} was not mined`);
      const events = decodeLedgerLogs(client.deployment.contracts, receipt.logs);
      if (receipt.status !== 1 || events.length === 0) {
        throw new MlatError("LEDGER_TX_FAILED", `${call.method} in transaction ${hash} did not take effect`, {
          details: "the relayed call reverted on-chain after its simulation passed (state changed in between?)",
        });
      }
      return { ...call.result(events), receipt, events };
    },
  };
}

function isReceiptError(e: unknown): e is { receipt: TransactionReceipt } {
  return !!e && typeof e === "object" && "receipt" in e && !!(e as { receipt?: unknown }).receipt;
}

/** Polls for a receipt with `confirmations` blocks on top (for relays that return only a hash). */
async function pollReceipt(provider: Provider, hash: string, confirmations: number): Promise<TransactionReceipt | null> {
  for (let i = 0; i < 3_600; i++) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt && (await receipt.confirmations()) >= confirmations) return receipt;
    await new Promise((r) => setTimeout(r, 250));
  }
  return null;
}

/** The first event of `name` among `events`, or a typed error. */
export function eventOf(events: LedgerEvent[], name: string): LedgerEvent {
  const e = events.find((x) => x.name === name);
  if (!e) throw new MlatError("LEDGER_EVENT_MISSING", `expected a ${name} event in the receipt`);
  return e;
}

export { LedgerRevertError };
