import { zeroPadBytes, type TransactionReceipt } from "ethers";
import { LEDGER_INTERFACES } from "../../../sdk/src/ledger/contracts";
import { decodeLedgerError, isLedgerRevert } from "../../../sdk/src/ledger/errors";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import type { GatewayContext } from "../context";
import type { JobHandler, JobOutcome } from "../outbox/worker";
import type { AuditBatchRow, JobRow } from "../store/tables";
import { ANCHOR_JOB } from "./seal";

const ANCHORS = LEDGER_INTERFACES.anchors;
const ANCHORED = ANCHORS.getEvent("BatchAnchored")!;

/** Where an anchor landed. */
interface Landed {
  txHash: string;
  blockNumber: number;
}

/**
 * The outbox handler of `anchor` jobs: sends `BatchAnchor.anchor(root, leafCount, batchDigest)` from
 * the relayer account and marks the batch anchored with its transaction and block. Idempotent: a batch
 * already anchored, a transaction hash recorded before a crash that was mined, an on-chain anchor of this
 * state's root, or an `AnchorExists` revert all settle the batch without a second transaction.
 * @example new OutboxWorker(store, [anchorJobHandler(ctx)], log)
 */
export function anchorJobHandler(ctx: GatewayContext): JobHandler {
  return {
    kind: ANCHOR_JOB,
    batchSize: 1,
    run: async (jobs) => {
      const outcomes = new Map<string, JobOutcome>();
      for (const job of jobs) outcomes.set(job.id, await runOne(ctx, job));
      return outcomes;
    },
  };
}

async function runOne(ctx: GatewayContext, job: JobRow): Promise<JobOutcome> {
  const { root } = JSON.parse(job.payload) as { root: string };
  const batch = await ctx.store.db.selectFrom("audit_batches").selectAll().where("root", "=", root).executeTakeFirst();
  if (!batch) return { ok: false, error: `audit batch ${root} does not exist`, permanent: true };
  if (batch.status === "anchored") return { ok: true };
  const landed = (await minedEarlier(ctx, batch)) ?? (await anchoredOnChain(ctx, root)) ?? (await send(ctx, batch));
  await ctx.store.db
    .updateTable("audit_batches")
    .set({ status: "anchored", tx_hash: landed.txHash, block_number: landed.blockNumber })
    .where("root", "=", root)
    .execute();
  ctx.log.info("audit batch anchored", { root, leaves: batch.leaf_count, tx: landed.txHash, block: landed.blockNumber });
  return { ok: true };
}

/** The transaction recorded before broadcast, if it was mined successfully. */
async function minedEarlier(ctx: GatewayContext, batch: AuditBatchRow): Promise<Landed | undefined> {
  if (!batch.tx_hash) return undefined;
  const receipt = await ctx.chain.provider.getTransactionReceipt(batch.tx_hash);
  return receipt?.status === 1 ? landedOf(receipt) : undefined;
}

/** This state's anchor of `root`, found on-chain with the transaction that made it. */
async function anchoredOnChain(ctx: GatewayContext, root: string): Promise<Landed | undefined> {
  const state = toStateBytes(ctx.config.state);
  const anchor = await ctx.chain.contracts.anchors.anchorOf(state, root);
  if (Number(anchor.leafCount) === 0) return undefined;
  const block = Number(anchor.blockNumber);
  const logs = await ctx.chain.provider.getLogs({
    address: ctx.chain.deployment.contracts.anchors,
    topics: [ANCHORED.topicHash, root, zeroPadBytes(state, 32)],
    fromBlock: block,
    toBlock: block,
  });
  const log = logs[0];
  if (!log) throw new Error(`the anchor of ${root} is recorded at block ${block}, but its event is not there`);
  return { txHash: log.transactionHash, blockNumber: log.blockNumber };
}

async function send(ctx: GatewayContext, batch: AuditBatchRow): Promise<Landed> {
  const { chain, store } = ctx;
  const data = ANCHORS.encodeFunctionData("anchor", [batch.root, batch.leaf_count, batch.batch_digest]);
  try {
    const sent = await chain.sender.send({ to: chain.deployment.contracts.anchors, data }, async (hash) => {
      await store.db.updateTable("audit_batches").set({ tx_hash: hash }).where("root", "=", batch.root).execute();
    });
    const receipt = await sent.wait();
    if (receipt.status !== 1) throw new Error(`the anchor transaction ${receipt.hash} reverted`);
    return landedOf(receipt);
  } catch (e) {
    const decoded = decodeLedgerError(e);
    if (isLedgerRevert(decoded, "AnchorExists")) {
      const landed = await anchoredOnChain(ctx, batch.root);
      if (landed) return landed;
    }
    throw decoded;
  }
}

function landedOf(receipt: TransactionReceipt): Landed {
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber };
}
