import { sql, type Kysely } from "kysely";
import type { Tables } from "../store/tables";

/**
 * How many audit entries are not yet in an anchored batch (unbatched, or in a batch whose anchor is not
 * mined): what `/metrics` reports and what "every audit entry anchored" waits for.
 * @example const pending = await countUnanchoredAuditEntries(store.db);
 */
export async function countUnanchoredAuditEntries(db: Kysely<Tables>): Promise<number> {
  const row = await db
    .selectFrom("audit_entries")
    .leftJoin("audit_batches", "audit_batches.root", "audit_entries.batch_root")
    .select(sql<number>`count(*)`.as("n"))
    .where((eb) => eb.or([eb("audit_entries.batch_root", "is", null), eb("audit_batches.status", "!=", "anchored")]))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
