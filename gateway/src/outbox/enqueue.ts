import type { Kysely, Transaction } from "kysely";
import type { Tables } from "../store/tables";

/** A job to run once: its kind, a payload, and an id that makes enqueueing idempotent. */
export interface JobSpec {
  /** Deterministic from what the job does (e.g. `push:<digest>:<state>`): enqueueing twice is a no-op. */
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  /** Not before this time (ms); default now. */
  runAt?: number;
}

/**
 * Adds a job to the outbox inside the caller's transaction, so it commits with the record it belongs to.
 * @example await db.transaction().execute(async (trx) => { await insertRecord(trx); await enqueue(trx, job); });
 */
export async function enqueue(trx: Transaction<Tables> | Kysely<Tables>, job: JobSpec): Promise<void> {
  const now = Date.now();
  await trx
    .insertInto("jobs")
    .values({
      id: job.id,
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      status: "pending",
      attempts: 0,
      run_at: job.runAt ?? now,
      last_error: null,
      locked_until: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((c) => c.column("id").doNothing())
    .execute();
}
