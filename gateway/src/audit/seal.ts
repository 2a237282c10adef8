import { enqueue } from "../outbox/enqueue";
import type { Transaction } from "kysely";
import type { Store } from "../store/database";
import type { AuditBatchRow, Tables } from "../store/tables";
import { auditBatchDigest } from "./batchDigest";
import { auditTree } from "./tree";

/** The outbox job kind that anchors an audit batch on-chain. */
export const ANCHOR_JOB = "anchor";
/** Most entries in one batch (one anchor transaction, proofs of ⌈log2⌉ = 12 hashes). */
export const MAX_BATCH_LEAVES = 4096;

/** The outbox job id of a batch: one job per root, so a second enqueue (another replica) is a no-op. */
export const anchorJobId = (root: string): string => `anchor:${root}`;

/** Enqueues the `anchor` job of batch `root` in the caller's transaction (a no-op when it exists). */
export function enqueueAnchorJob(trx: Transaction<Tables>, root: string): Promise<void> {
  return enqueue(trx, { id: anchorJobId(root), kind: ANCHOR_JOB, payload: { root } });
}

/**
 * Seals the oldest unbatched audit entries (at most `maxLeaves`) into a Merkle batch: in ONE transaction
 * it inserts the batch row (`pending`), stamps the entries with its root, and enqueues the `anchor` job.
 * On PostgreSQL the entries are claimed `FOR UPDATE SKIP LOCKED`, so replicas sealing at the same time
 * take disjoint entries; an entry already stamped by someone else aborts the batch (nothing is written).
 * Returns the batch, or undefined when there was nothing to seal.
 * @example const batch = await sealAuditBatch(ctx.store); if (batch) ctx.wake(ANCHOR_JOB);
 */
export async function sealAuditBatch(store: Store, maxLeaves = MAX_BATCH_LEAVES): Promise<AuditBatchRow | undefined> {
  return store.db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom("audit_entries")
      .select(["id", "leaf_value"])
      .where("batch_root", "is", null)
      .orderBy("id")
      .limit(maxLeaves);
    if (store.dialect === "postgres") query = query.forUpdate().skipLocked();
    const entries = await query.execute();
    if (entries.length === 0) return undefined;
    const values = entries.map((e) => e.leaf_value.toLowerCase());
    const root = auditTree(values).root;
    const batch: AuditBatchRow = {
      root,
      leaf_count: entries.length,
      batch_digest: auditBatchDigest(values),
      status: "pending",
      tx_hash: null,
      block_number: null,
      created_at: Date.now(),
    };
    await trx.insertInto("audit_batches").values(batch).execute();
    const ids = entries.map((e) => e.id);
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const stamped = await trx
        .updateTable("audit_entries")
        .set({ batch_root: root })
        .where("id", "in", chunk)
        .where("batch_root", "is", null)
        .executeTakeFirst();
      if (Number(stamped.numUpdatedRows) !== chunk.length) throw new Error("audit entries were batched concurrently; retrying later");
    }
    await enqueueAnchorJob(trx, root);
    return batch;
  });
}
