import type { Kysely } from "kysely";

/**
 * Which indexed events carry a digest (document, payload, manifest): a peer push is checked against the
 * chain by digest, and this keeps that lookup an index probe instead of a scan of every event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("event_digests")
    .addColumn("digest", "text", (c) => c.notNull())
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("log_index", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("event_digests_pk", ["digest", "block_number", "log_index"])
    .execute();
  await db.schema.createIndex("event_digests_block").on("event_digests").column("block_number").execute();
}
