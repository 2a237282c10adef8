import type { Transaction } from "kysely";
import { decodeLedgerLogs } from "../../../sdk/src/ledger/events";
import type { Chain } from "../chain/chain";
import type { Logger } from "../observability/logger";
import type { Store } from "../store/database";
import type { ChainEventRow, Tables } from "../store/tables";
import { projectEvidence } from "./evidenceProjection";
import { eventHistory } from "./history";
import { projectRequest } from "./requestProjection";
import { digestsOf, toEventRow } from "./storedEvent";

/** What other parts do with indexed events. */
export interface IndexerHooks {
  /** Runs inside the transaction that stores the events (enqueue outbox jobs here). */
  inTransaction?(trx: Transaction<Tables>, events: readonly ChainEventRow[]): Promise<void>;
  /** Runs after the events are committed (notify streams, invalidate caches). */
  afterCommit?(events: readonly ChainEventRow[]): void;
  /** Runs after a reorg rolled the index back to `forkBlock`, with the events it removed (drop caches they fed). */
  afterReorg?(forkBlock: number, orphaned: readonly ChainEventRow[]): void;
}

const CHECKPOINT = "indexer.checkpoint";
/** Blocks of history kept to find where a reorg forked. */
const KEPT_BLOCKS = 256;
/** Largest `eth_getLogs` range asked for at once. */
const MAX_RANGE = 2_000;

/**
 * Follows the ledger's events from a checkpoint, `confirmations` blocks behind the head. Every event is
 * stored with its block hash; the request and evidence projections are folded from the stored events,
 * so rolling back a reorg is deleting the orphaned events and folding again.
 */
export class Indexer {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #head = 0;
  #checkpoint = -1;
  #lastError: string | undefined;
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly chain: Chain,
    private readonly options: { confirmations: number; pollIntervalMs: number },
    private readonly hooks: IndexerHooks,
    private readonly log: Logger,
  ) {}

  /** Blocks between the chain head and the last indexed block (the indexer's lag). */
  get lag(): number {
    return Math.max(0, this.#head - this.#checkpoint);
  }
  /** The last indexed block. */
  get checkpoint(): number {
    return this.#checkpoint;
  }
  /** Why the last poll failed, if it did. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Polls until stopped. */
  start(): void {
    this.#stopped = false;
    const loop = async (): Promise<void> => {
      await this.poll();
      if (!this.#stopped) this.#timer = setTimeout(() => void loop(), this.options.pollIntervalMs);
    };
    void loop();
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One poll (serialized): catches up to the confirmed head, reporting failure in `lastError`. */
  poll(): Promise<void> {
    this.#running ??= this.catchUp()
      .then(() => (this.#lastError = undefined))
      .catch((e: unknown) => {
        this.#lastError = e instanceof Error ? e.message : String(e);
        this.log.warn("indexer poll failed", { error: this.#lastError });
      })
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Indexes until the confirmed head; resolves when caught up. */
  async catchUp(): Promise<void> {
    this.#checkpoint = await this.readCheckpoint();
    this.#head = await this.chain.provider.getBlockNumber();
    await this.rollBackIfReorged();
    const target = this.#head - this.options.confirmations;
    while (this.#checkpoint < target) {
      if (await this.forkedBelow(this.#checkpoint + 1)) {
        const before = this.#checkpoint;
        await this.rollBackIfReorged();
        if (this.#checkpoint === before) throw new Error(`block ${before + 1} does not build on the indexed chain yet; retrying`);
        continue;
      }
      const from = this.#checkpoint + 1;
      const to = Math.min(target, from + MAX_RANGE - 1);
      await this.indexRange(from, to);
      this.#checkpoint = to;
    }
  }

  private async readCheckpoint(): Promise<number> {
    const row = await this.store.db.selectFrom("meta").select("value").where("key", "=", CHECKPOINT).executeTakeFirst();
    return row ? Number(row.value) : this.chain.deployment.deployBlock - 1;
  }

  private async indexRange(from: number, to: number): Promise<void> {
    // The range's last block, before and after the logs are read: `eth_getLogs` and `eth_getBlock` are
    // separate calls, and a reorg between them would pair the old branch's logs (or its lack of logs)
    // with the new branch's hashes. An unchanged last block means the logs came from the chain it heads.
    const last = await this.chain.provider.getBlock(to);
    if (!last?.hash) throw new Error(`block ${to} is not available`);
    const logs = await this.chain.provider.getLogs({
      address: Object.values(this.chain.deployment.contracts),
      fromBlock: from,
      toBlock: to,
    });
    const decoded = decodeLedgerLogs(this.chain.deployment.contracts, logs);
    const blockNumbers = [...new Set([from, ...decoded.map((e) => e.blockNumber), to])];
    const blocks = new Map<number, { hash: string; parentHash: string; timestamp: number }>();
    await Promise.all(
      blockNumbers.map(async (n) => {
        const b = await this.chain.provider.getBlock(n);
        if (!b?.hash) throw new Error(`block ${n} is not available`);
        blocks.set(n, { hash: b.hash, parentHash: b.parentHash, timestamp: b.timestamp });
      }),
    );
    // A log from a block that was replaced between getLogs and getBlock: retry this range later.
    if (blocks.get(to)!.hash !== last.hash) throw new Error(`block ${to} changed while indexing`);
    // The range must extend the indexed chain: a reorg below the checkpoint since `forkedBelow` looked is
    // rolled back by the next poll instead of being stored on top of the old branch.
    const parent = await this.store.db.selectFrom("indexed_blocks").select("hash").where("number", "=", from - 1).executeTakeFirst();
    if (parent && blocks.get(from)!.parentHash !== parent.hash) throw new Error(`block ${from} does not build on the indexed chain; retrying`);
    for (const e of decoded) {
      if (blocks.get(e.blockNumber)!.hash !== e.blockHash) throw new Error(`block ${e.blockNumber} changed while indexing`);
    }
    const rows = decoded.map((e) => toEventRow(e, blocks.get(e.blockNumber)!.timestamp));
    await this.store.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        await trx.insertInto("chain_events").values(row).onConflict((c) => c.columns(["block_number", "log_index"]).doNothing()).execute();
        for (const digest of digestsOf(row)) {
          await trx
            .insertInto("event_digests")
            .values({ digest, block_number: row.block_number, log_index: row.log_index })
            .onConflict((c) => c.columns(["digest", "block_number", "log_index"]).doNothing())
            .execute();
        }
      }
      await refold(trx, rows);
      for (const [number, b] of blocks) {
        await trx.insertInto("indexed_blocks").values({ number, hash: b.hash }).onConflict((c) => c.column("number").doUpdateSet({ hash: b.hash })).execute();
      }
      await trx.deleteFrom("indexed_blocks").where("number", "<", to - KEPT_BLOCKS).execute();
      await trx
        .insertInto("meta")
        .values({ key: CHECKPOINT, value: String(to) })
        .onConflict((c) => c.column("key").doUpdateSet({ value: String(to) }))
        .execute();
      await this.hooks.inTransaction?.(trx, rows);
    });
    if (rows.length > 0) this.hooks.afterCommit?.(rows);
  }

  /** True when the block after the checkpoint does not build on the block the index holds for it. */
  private async forkedBelow(next: number): Promise<boolean> {
    const stored = await this.store.db.selectFrom("indexed_blocks").select("hash").where("number", "=", next - 1).executeTakeFirst();
    if (!stored) return false;
    const block = await this.chain.provider.getBlock(next);
    return !!block && block.parentHash !== stored.hash;
  }

  /**
   * Compares the stored block hashes with the chain from the checkpoint down; rolls back to the highest
   * stored block still on the chain. Hashes are stored only for blocks with events and for range ends, so
   * the block just above a mismatch is no fork point: it may have been replaced too, unseen.
   */
  private async rollBackIfReorged(): Promise<void> {
    const known = await this.store.db
      .selectFrom("indexed_blocks")
      .selectAll()
      .where("number", "<=", this.#checkpoint)
      .orderBy("number", "desc")
      .execute();
    let kept: number | undefined;
    let replaced = false;
    for (const b of known) {
      const onChain = await this.chain.provider.getBlock(b.number);
      if (onChain?.hash === b.hash) {
        kept = b.number;
        break;
      }
      replaced = true;
    }
    if (!replaced) return;
    // No kept block matches: the reorg is deeper than the kept history; index again from the deployment.
    const forkBlock = kept ?? this.chain.deployment.deployBlock - 1;
    this.log.warn("chain reorganized; rolling the index back", { forkBlock, checkpoint: this.#checkpoint });
    const orphaned = await this.store.db.transaction().execute(async (trx) => {
      const removed = await trx.selectFrom("chain_events").selectAll().where("block_number", ">", forkBlock).execute();
      await trx.deleteFrom("chain_events").where("block_number", ">", forkBlock).execute();
      await trx.deleteFrom("event_digests").where("block_number", ">", forkBlock).execute();
      await trx.deleteFrom("indexed_blocks").where("number", ">", forkBlock).execute();
      await refold(trx, removed);
      await trx.updateTable("meta").set({ value: String(forkBlock) }).where("key", "=", CHECKPOINT).execute();
      return removed;
    });
    this.#checkpoint = forkBlock;
    this.hooks.afterReorg?.(forkBlock, orphaned);
  }
}

/** Re-folds the projections of every request and evidence item the events touch. */
async function refold(trx: Transaction<Tables>, events: readonly ChainEventRow[]): Promise<void> {
  const requestIds = new Set(events.filter((e) => e.contract === "requests").map((e) => e.request_id!));
  const evidenceIds = new Set(events.map((e) => e.evidence_id).filter((id): id is string => id !== null));
  for (const id of requestIds) {
    // The fold reads only the registry's own events; the request's evidence registrations are skipped.
    const row = projectRequest(await eventHistory(trx, "request_id", id));
    await trx.deleteFrom("requests").where("request_id", "=", id).execute();
    if (row) await trx.insertInto("requests").values(row).execute();
  }
  for (const id of evidenceIds) {
    const row = projectEvidence(await eventHistory(trx, "evidence_id", id));
    await trx.deleteFrom("evidence").where("evidence_id", "=", id).execute();
    if (row) await trx.insertInto("evidence").values(row).execute();
  }
}
