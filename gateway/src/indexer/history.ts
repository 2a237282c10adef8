import type { Kysely, Transaction } from "kysely";
import type { ChainEventRow, Tables } from "../store/tables";

/**
 * Every indexed event of one request (`request_id`, including its evidence registrations) or one evidence
 * item (`evidence_id`), in chain order: what projections fold and timelines show.
 * @example const events = await eventHistory(db, "request_id", requestId);
 */
export function eventHistory(
  db: Kysely<Tables> | Transaction<Tables>,
  by: "request_id" | "evidence_id",
  id: string,
): Promise<ChainEventRow[]> {
  return db.selectFrom("chain_events").selectAll().where(by, "=", id).orderBy("block_number").orderBy("log_index").execute();
}
