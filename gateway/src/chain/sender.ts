import { failpoint } from "../failpoints";
import { signMessageWith } from "./ecdsa";
import { Transaction, type Provider, type TransactionReceipt, type TransactionRequest, type Wallet } from "ethers";

/** A transaction signed and broadcast: its hash (known before broadcast) and its receipt. */
export interface SentTransaction {
  hash: string;
  wait(timeoutMs?: number): Promise<TransactionReceipt>;
}

/**
 * Sends the relayer account's transactions one at a time with a locally tracked nonce: concurrent
 * relays and anchors share one contiguous nonce sequence. The hash is reported (and can be persisted)
 * before the transaction is broadcast, so a crash right after broadcast still knows what to look for.
 */
export class TransactionSender {
  #nonce: number | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly wallet: Wallet) {}

  get address(): string {
    return this.wallet.address;
  }

  /**
   * Signs `tx` with the next nonce, calls `beforeBroadcast(hash)` (persist it there), broadcasts.
   * A nonce the node says is used or too high resets the local sequence and retries once.
   */
  send(tx: TransactionRequest, beforeBroadcast: (hash: string) => Promise<void> = async () => {}): Promise<SentTransaction> {
    const run = this.#queue.then(() => this.sendNow(tx, beforeBroadcast, true));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(tx: TransactionRequest, beforeBroadcast: (hash: string) => Promise<void>, retry: boolean): Promise<SentTransaction> {
    const provider = this.wallet.provider!;
    this.#nonce ??= await provider.getTransactionCount(this.wallet.address, "pending");
    const populated = await this.wallet.populateTransaction({ ...tx, nonce: this.#nonce, from: this.wallet.address });
    const raw = await this.wallet.signTransaction(populated);
    const hash = Transaction.from(raw).hash!;
    await beforeBroadcast(hash);
    failpoint("tx.beforeBroadcast");
    try {
      await provider.broadcastTransaction(raw);
    } catch (e) {
      this.#nonce = undefined;
      const message = e instanceof Error ? e.message : String(e);
      if (retry && /nonce|replacement|already known/i.test(message)) return this.sendNow(tx, beforeBroadcast, false);
      throw e;
    }
    this.#nonce += 1;
    failpoint("tx.afterBroadcast");
    return {
      hash,
      // Polls for the receipt itself: ethers' block subscription can miss the block of an instant-mining
      // node and wait for a block that never comes.
      wait: async (timeoutMs = 120_000) => {
        const until = Date.now() + timeoutMs;
        for (let delay = 20; Date.now() < until; delay = Math.min(500, delay * 2)) {
          const receipt = await provider.getTransactionReceipt(hash);
          if (receipt) return receipt;
          await new Promise((r) => setTimeout(r, delay));
        }
        throw new Error(`transaction ${hash} not mined within ${timeoutMs} ms`);
      },
    };
  }

  /** Signs `message` with the relayer key (EIP-191 `personal_sign`), e.g. a peer push. */
  signMessage(message: string): Promise<string> {
    return Promise.resolve(signMessageWith(this.wallet.privateKey, message));
  }

  /** Forgets the local nonce (after an outage, the node is asked again). */
  reset(): void {
    this.#nonce = undefined;
  }
}

/**
 * Where a transaction stands on the node: mined, pending (known, not mined yet), pending but sent by
 * another key than the relayer's current one (a key rotated away since), or unknown (never broadcast,
 * or dropped).
 */
export type BroadcastState = "mined" | "pending" | "pending-other-key" | "unknown";

/**
 * Where the transaction `hash` stands. A relayer that stored a hash before a crash asks this before
 * sending again: a pending transaction may still be mined, and sending its work twice would execute
 * nothing new while the second transaction's receipt misreports the first one's outcome. A pending
 * transaction of a rotated-away key may never be mined (nobody funds or bumps it): `relayer` tells.
 * @example if ((await broadcastState(provider, intent.tx_hash, sender.address)) === "pending") return wait();
 */
export async function broadcastState(provider: Provider, hash: string, relayer: string): Promise<BroadcastState> {
  const tx = await provider.getTransaction(hash);
  if (!tx) return "unknown";
  if (tx.blockNumber !== null) return "mined";
  return tx.from.toLowerCase() === relayer.toLowerCase() ? "pending" : "pending-other-key";
}
