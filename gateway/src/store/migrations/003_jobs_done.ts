import type { Kysely } from "kysely";

/** Finished jobs by age: the outbox retention deletes `done` jobs older than `outboxRetentionMs` through it. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("jobs_finished").on("jobs").columns(["status", "updated_at"]).execute();
}
