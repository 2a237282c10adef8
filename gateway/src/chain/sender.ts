import { getBytes, hexlify, type JsonRpcProvider, type Provider, type TransactionReceipt, type Wallet } from "ethers";
import { failpoint } from "../failpoints";
import { signMessageWith } from "./ecdsa";
import { signEip1559Transaction } from "./rawTransaction";

/** A call the relayer account sends: to a contract, with calldata, and a gas limit (else estimated). */
export interface OutgoingCall {
  to: string;
  /** Calldata, as bytes or 0x hex. */
  data: Uint8Array | string;
  gasLimit?: bigint;
}

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
  readonly #key: Buffer;

  constructor(private readonly wallet: Wallet) {
    this.#key = Buffer.from(wallet.privateKey.slice(2), "hex");
  }

  get address(): string {
    return this.wallet.address;
  }

  /**
   * Signs `tx` (an EIP-1559 transaction with the node's suggested fees) with the next nonce, calls
   * `beforeBroadcast(hash)` (persist it there), broadcasts. A nonce the node says is used or too high
   * resets the local sequence and retries once.
   */
  send(tx: OutgoingCall, beforeBroadcast: (hash: string) => Promise<void> = async () => {}): Promise<SentTransaction> {
    const run = this.#queue.then(() => this.sendNow(tx, beforeBroadcast, true));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  private async sendNow(tx: OutgoingCall, beforeBroadcast: (hash: string) => Promise<void>, retry: boolean): Promise<SentTransaction> {
    const provider = this.wallet.provider as JsonRpcProvider;
    this.#nonce ??= await provider.getTransactionCount(this.wallet.address, "pending");
    const [gasLimit, fees, network] = await Promise.all([
      tx.gasLimit ?? provider.estimateGas({ from: this.wallet.address, to: tx.to, data: typeof tx.data === "string" ? tx.data : hexlify(tx.data) }),
      provider.getFeeData(),
      provider.getNetwork(),
    ]);
    if (fees.maxFeePerGas == null || fees.maxPriorityFeePerGas == null) {
      throw new Error("the chain node suggests no EIP-1559 fees: the consortium chain must run the London rules or later");
    }
    const { raw, hash } = signEip1559Transaction(
      {
        chainId: network.chainId,
        nonce: this.#nonce,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        maxFeePerGas: fees.maxFeePerGas,
        gasLimit,
        to: tx.to,
        value: 0n,
        data: typeof tx.data === "string" ? getBytes(tx.data) : tx.data,
      },
      this.#key,
    );
    await beforeBroadcast(hash);
    failpoint("tx.beforeBroadcast");
    try {
      await provider.send("eth_sendRawTransaction", [raw]);
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
