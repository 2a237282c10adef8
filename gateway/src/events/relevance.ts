import type { Kysely } from "kysely";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { argsOf } from "../indexer/storedEvent";
import type { ChainEventRow, Tables } from "../store/tables";

/** Ids per `IN (…)` list, well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * The events (of `events`, in their order) that concern `state`: events of requests it is a party to,
 * custody events of evidence under those requests, and custody events naming the state as actor or
 * counterpart, or of evidence it holds or is offered. Reads the projections, so call it after the
 * events' transaction committed.
 * @example const mine = await relevantEvents(db, "MX", committed);
 */
export async function relevantEvents(db: Kysely<Tables>, state: string, events: readonly ChainEventRow[]): Promise<ChainEventRow[]> {
  if (events.length === 0) return [];
  const stateBytes = toStateBytes(state).toLowerCase();
  const evidenceIds = unique(events.map((e) => e.evidence_id));
  const evidence = await inChunks(evidenceIds, (ids) =>
    db.selectFrom("evidence").select(["evidence_id", "request_id", "custodian_state", "offer_to_state"]).where("evidence_id", "in", ids).execute(),
  );
  const requestOf = new Map(evidence.map((e) => [e.evidence_id, e.request_id]));
  const heldOrOffered = new Set(evidence.filter((e) => e.custodian_state === state || e.offer_to_state === state).map((e) => e.evidence_id));
  const requestIds = unique([...events.map((e) => e.request_id), ...requestOf.values()]);
  const parties = await inChunks(requestIds, (ids) =>
    db
      .selectFrom("requests")
      .select("request_id")
      .where("request_id", "in", ids)
      .where((eb) => eb.or([eb("requesting_state", "=", state), eb("requested_state", "=", state)]))
      .execute(),
  );
  const party = new Set(parties.map((r) => r.request_id));
  return events.filter((e) => {
    const requestId = e.request_id ?? (e.evidence_id ? requestOf.get(e.evidence_id) : undefined);
    if (requestId && party.has(requestId)) return true;
    if (e.contract !== "custody") return false;
    if (e.evidence_id && heldOrOffered.has(e.evidence_id)) return true;
    const a = argsOf(e);
    return [a.actorState, a.counterpartState, a.custodianState].some((s) => typeof s === "string" && s.toLowerCase() === stateBytes);
  });
}

function unique(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string"))];
}

async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await query(ids.slice(i, i + CHUNK))));
  return out;
}
