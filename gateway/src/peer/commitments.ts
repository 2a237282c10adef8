import type { Kysely, Transaction } from "kysely";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { argsOf, type StoredArgs } from "../indexer/storedEvent";
import type { ChainEventRow, Tables } from "../store/tables";
import { findEvidence, offeredStates } from "../evidence/visibility";

type Db = Kysely<Tables> | Transaction<Tables>;

/** An on-chain commitment to a blob, as this gateway indexed it, and the states it names. */
export interface Commitment {
  /** The document kind it is stored as: `dossier`, `request.<Event>`, `evidence.payload|manifest|document`. */
  kind: string;
  requestId: string;
  evidenceId: string | null;
  /** The states the chain names for it: the request's parties, and for evidence every state offered custody. */
  states: Set<string>;
}

/** Custody actions whose `digest` is a document (not the payload presented on transfer). */
const DOCUMENT_ACTIONS = new Set<number>([
  CustodyAction.Offered,
  CustodyAction.OfferRejected,
  CustodyAction.Returned,
  CustodyAction.Destroyed,
  CustodyAction.Released,
]);

function requestKind(e: ChainEventRow, a: StoredArgs, digest: string): string | undefined {
  if (e.contract !== "requests" || a.documentDigest !== digest) return undefined;
  return e.name === "RequestSubmitted" ? "dossier" : `request.${e.name}`;
}

function evidenceKind(e: ChainEventRow, a: StoredArgs, digest: string): string | undefined {
  if (e.name === "EvidenceRegistered") {
    if (a.payloadDigest === digest) return "evidence.payload";
    if (a.manifestDigest === digest) return "evidence.manifest";
    return undefined;
  }
  if (e.name !== "CustodyRecorded" || a.digest !== digest) return undefined;
  const action = Number(a.action);
  if (action === CustodyAction.Reencrypted) return "evidence.payload";
  return DOCUMENT_ACTIONS.has(action) ? "evidence.document" : undefined;
}

async function partiesOf(db: Db, requestId: string): Promise<string[]> {
  const r = await db.selectFrom("requests").select(["requesting_state", "requested_state"]).where("request_id", "=", requestId).executeTakeFirst();
  return r ? [r.requesting_state, r.requested_state] : [];
}

/**
 * What on-chain commitment `digest` (lower-case `0x` hex) is, per this gateway's index: a request
 * document digest, or an evidence payload, manifest or custody document digest. Undefined when the index
 * does not know it (yet).
 * @example const c = await findCommitment(db, digest); if (c?.states.has("MX")) …
 */
export async function findCommitment(db: Db, digest: string): Promise<Commitment | undefined> {
  const candidates = await db
    .selectFrom("event_digests as d")
    .innerJoin("chain_events as e", (j) => j.onRef("e.block_number", "=", "d.block_number").onRef("e.log_index", "=", "d.log_index"))
    .selectAll("e")
    .where("d.digest", "=", digest.toLowerCase())
    .orderBy("e.block_number")
    .orderBy("e.log_index")
    .execute();
  for (const e of candidates) {
    const a = argsOf(e);
    const kind = requestKind(e, a, digest);
    if (kind) return { kind, requestId: e.request_id!, evidenceId: null, states: new Set(await partiesOf(db, e.request_id!)) };
    const evidenceKindOf = evidenceKind(e, a, digest);
    if (!evidenceKindOf || !e.evidence_id) continue;
    const record = await findEvidence(db, e.evidence_id);
    if (!record) continue;
    const states = new Set([...(await partiesOf(db, record.evidence.request_id)), ...(await offeredStates(db, e.evidence_id))]);
    return { kind: evidenceKindOf, requestId: record.evidence.request_id, evidenceId: e.evidence_id, states };
  }
  return undefined;
}

/** The acting state of an indexed event (`actorState`, or the requesting state of a submission), or "". */
export function actorStateOf(a: StoredArgs): string {
  const bytes = a.actorState ?? a.requestingState ?? a.custodianState;
  return typeof bytes === "string" ? fromStateBytes(bytes) : "";
}
