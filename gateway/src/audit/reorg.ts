import type { Store } from "../store/database";
import { anchorJobId, enqueueAnchorJob } from "./seal";

/**
 * After a reorg back to `forkBlock`: batches anchored in a later block go back to `pending` and their
 * `anchor` jobs run again (the job finds the anchor if the new chain re-included it, or sends it anew).
 * A job the outbox retention already deleted is enqueued anew. Returns how many batches were reset.
 * @example await resetReorgedBatches(store, 1200)
 */
export async function resetReorgedBatches(store: Store, forkBlock: number): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const batches = await trx
      .selectFrom("audit_batches")
      .select("root")
      .where("status", "=", "anchored")
      .where("block_number", ">", forkBlock)
      .execute();
    if (batches.length === 0) return 0;
    const roots = batches.map((b) => b.root);
    await trx.updateTable("audit_batches").set({ status: "pending", block_number: null }).where("root", "in", roots).execute();
    for (const root of roots) await enqueueAnchorJob(trx, root);
    const now = Date.now();
    await trx
      .updateTable("jobs")
      .set({ status: "pending", run_at: now, attempts: 0, locked_until: null, last_error: null, updated_at: now })
      .where("id", "in", roots.map(anchorJobId))
      .execute();
    return roots.length;
  });
}
