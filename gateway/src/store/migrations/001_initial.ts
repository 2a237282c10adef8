import { sql, type Kysely } from "kysely";

/** The first schema. Integer columns that hold times or block numbers are `bigint` on PostgreSQL. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("chain_events")
    .addColumn("block_number", "bigint", (c) => c.notNull())
    .addColumn("log_index", "integer", (c) => c.notNull())
    .addColumn("block_hash", "text", (c) => c.notNull())
    .addColumn("block_time", "bigint", (c) => c.notNull())
    .addColumn("tx_hash", "text", (c) => c.notNull())
    .addColumn("contract", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("args", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addColumn("evidence_id", "text")
    .addPrimaryKeyConstraint("chain_events_pk", ["block_number", "log_index"])
    .execute();
  await db.schema.createIndex("chain_events_request").on("chain_events").columns(["request_id", "block_number"]).execute();
  await db.schema.createIndex("chain_events_evidence").on("chain_events").columns(["evidence_id", "block_number"]).execute();
  await db.schema
    .createTable("indexed_blocks")
    .addColumn("number", "bigint", (c) => c.primaryKey())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("requests")
    .addColumn("request_id", "text", (c) => c.primaryKey())
    .addColumn("requesting_state", "text", (c) => c.notNull())
    .addColumn("requested_state", "text", (c) => c.notNull())
    .addColumn("treaty_id", "text", (c) => c.notNull())
    .addColumn("assistance_types", "integer", (c) => c.notNull())
    .addColumn("accepted_types", "integer", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("refusal_reason", "integer", (c) => c.notNull())
    .addColumn("acknowledge_by", "bigint", (c) => c.notNull())
    .addColumn("respond_by", "bigint", (c) => c.notNull())
    .addColumn("document_digest", "text", (c) => c.notNull())
    .addColumn("submitted_block", "bigint", (c) => c.notNull())
    .addColumn("submitted_at_sec", "bigint", (c) => c.notNull())
    .addColumn("updated_block", "bigint", (c) => c.notNull())
    .addColumn("updated_at_sec", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("requests_requesting").on("requests").columns(["requesting_state", "updated_at_sec"]).execute();
  await db.schema.createIndex("requests_requested").on("requests").columns(["requested_state", "updated_at_sec"]).execute();
  await db.schema
    .createTable("evidence")
    .addColumn("evidence_id", "text", (c) => c.primaryKey())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("payload_digest", "text", (c) => c.notNull())
    .addColumn("content_commitment", "text", (c) => c.notNull())
    .addColumn("manifest_digest", "text", (c) => c.notNull())
    .addColumn("custodian_state", "text", (c) => c.notNull())
    .addColumn("custodian_account", "text", (c) => c.notNull())
    .addColumn("offer_to_state", "text")
    .addColumn("offer_to_account", "text")
    .addColumn("offer_expires_at_sec", "bigint")
    .addColumn("disposition", "integer", (c) => c.notNull())
    .addColumn("head", "text", (c) => c.notNull())
    .addColumn("registered_block", "bigint", (c) => c.notNull())
    .addColumn("updated_block", "bigint", (c) => c.notNull())
    .addColumn("updated_at_sec", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("evidence_request").on("evidence").column("request_id").execute();
  await db.schema
    .createTable("documents")
    .addColumn("digest", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addColumn("evidence_id", "text")
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("origin", "text", (c) => c.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("documents_request").on("documents").column("request_id").execute();
  await db.schema
    .createTable("intents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("actor_state", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addColumn("evidence_id", "text")
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("gas", "text", (c) => c.notNull())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("deadline", "bigint", (c) => c.notNull())
    .addColumn("document_digest", "text")
    .addColumn("signature", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("tx_hash", "text")
    .addColumn("block_number", "bigint")
    .addColumn("error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("intents_actor").on("intents").columns(["actor", "status"]).execute();
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("run_at", "bigint", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("locked_until", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_due").on("jobs").columns(["status", "run_at"]).execute();
  await db.schema
    .createTable("audit_entries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("actor_state", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("leaf_value", "text", (c) => c.notNull())
    .addColumn("batch_root", "text")
    .execute();
  await db.schema.createIndex("audit_entries_batch").on("audit_entries").columns(["batch_root", "id"]).execute();
  await db.schema
    .createTable("audit_batches")
    .addColumn("root", "text", (c) => c.primaryKey())
    .addColumn("leaf_count", "integer", (c) => c.notNull())
    .addColumn("batch_digest", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("tx_hash", "text")
    .addColumn("block_number", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("sessions")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("login_nonces")
    .addColumn("nonce", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await sql`select 1`.execute(db);
}
