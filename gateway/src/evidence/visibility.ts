import type { Kysely, Transaction } from "kysely";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import type { GatewayContext } from "../context";
import { notFound } from "../http/errors";
import { argsOf } from "../indexer/storedEvent";
import type { EvidenceRow, RequestRow, Tables } from "../store/tables";

/** An evidence item and the request it answers, as this gateway indexed them. */
export interface EvidenceRecord {
  evidence: EvidenceRow;
  /** Undefined only if the index lost the request (never for a consistent index). */
  request: RequestRow | undefined;
}

type Db = Kysely<Tables> | Transaction<Tables>;

/** The states an evidence item's custody was ever offered to (from its indexed events). */
export async function offeredStates(db: Db, evidenceId: string): Promise<Set<string>> {
  const events = await db
    .selectFrom("chain_events")
    .select("args")
    .where("evidence_id", "=", evidenceId)
    .where("name", "=", "CustodyRecorded")
    .execute();
  const states = new Set<string>();
  for (const e of events) {
    const a = argsOf(e);
    if (Number(a.action) === CustodyAction.Offered) states.add(fromStateBytes(String(a.counterpartState)));
  }
  return states;
}

/**
 * True when the chain names `state` for an evidence item: a party of its request, or a state its custody
 * was ever offered to. Only such a state sees the item at all.
 * @example if (!(await evidenceNames(db, record, "ES"))) throw notFound("evidence", id);
 */
export async function evidenceNames(db: Db, record: EvidenceRecord, state: string): Promise<boolean> {
  const r = record.request;
  if (r && (r.requesting_state === state || r.requested_state === state)) return true;
  return (await offeredStates(db, record.evidence.evidence_id)).has(state);
}

/** An evidence item and its request from the index, or undefined. */
export async function findEvidence(db: Db, evidenceId: string): Promise<EvidenceRecord | undefined> {
  const evidence = await db.selectFrom("evidence").selectAll().where("evidence_id", "=", evidenceId.toLowerCase()).executeTakeFirst();
  if (!evidence) return undefined;
  const request = await db.selectFrom("requests").selectAll().where("request_id", "=", evidence.request_id).executeTakeFirst();
  return { evidence, request };
}

/**
 * The evidence item, if the chain names this gateway's state for it; otherwise the same 404 as an absent
 * id (no existence oracle).
 * @example const { evidence, request } = await visibleEvidence(ctx, id);
 */
export async function visibleEvidence(ctx: GatewayContext, evidenceId: string): Promise<EvidenceRecord> {
  const record = await findEvidence(ctx.store.db, evidenceId);
  if (!record || !(await evidenceNames(ctx.store.db, record, ctx.config.state))) throw notFound("evidence", evidenceId);
  return record;
}

/**
 * True when the chain entitles `state` to the plaintext: it is the current custodian, or the state that
 * requested the assistance. A former custodian is not entitled once custody moved on.
 * @example entitledToContent("US", record)
 */
export function entitledToContent(state: string, record: EvidenceRecord): boolean {
  return record.evidence.custodian_state === state || record.request?.requesting_state === state;
}
