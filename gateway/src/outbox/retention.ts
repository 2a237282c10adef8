import type { Kysely } from "kysely";
import type { Tables } from "../store/tables";

/** Default of `outboxRetentionMs`: finished jobs are kept a week (what an operator looks back on). */
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;
/** Rows deleted per statement, so a long backlog never holds a lock for long. */
const PRUNE_BATCH = 1_000;

/**
 * Deletes `done` jobs last updated before `olderThan` (ms), a batch at a time; returns how many went.
 * Pending, running and dead jobs are never deleted: dead ones wait for an operator.
 *
 * Why a finished job may go: its id only makes enqueueing idempotent while the record that enqueued it is
 * still being written or indexed. Each record has its own unique key, and re-indexing reaches back only as
 * far as a reorg (a few blocks). The one case that does reach further back, a reorg that takes an audit
 * batch's anchor off the chain, enqueues the anchor job again rather than relying on the old row
 * (see `resetReorgedBatches`).
 * @example await pruneFinishedJobs(store.db, Date.now() - DEFAULT_RETENTION_MS)
 */
export async function pruneFinishedJobs(db: Kysely<Tables>, olderThan: number): Promise<number> {
  let pruned = 0;
  for (;;) {
    const batch = db.selectFrom("jobs").select("id").where("status", "=", "done").where("updated_at", "<", olderThan).limit(PRUNE_BATCH);
    const result = await db.deleteFrom("jobs").where("id", "in", batch).executeTakeFirst();
    const n = Number(result.numDeletedRows);
    pruned += n;
    if (n < PRUNE_BATCH) return pruned;
  }
}
