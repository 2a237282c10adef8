import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import type { ChainEventRow, EvidenceRow } from "../store/tables";
import { argsOf } from "./storedEvent";

const DISPOSITIONS = new Set<number>([CustodyAction.Returned, CustodyAction.Destroyed, CustodyAction.Released]);

/**
 * Folds an evidence item's events (chain order) into its projection: custodian, pending offer,
 * disposition and custody head. Pure.
 * @example projectEvidence(await eventsOfEvidence(db, id))
 */
export function projectEvidence(events: readonly ChainEventRow[]): EvidenceRow | undefined {
  let row: EvidenceRow | undefined;
  for (const e of events) {
    const a = argsOf(e);
    if (e.name === "EvidenceRegistered") {
      row = {
        evidence_id: String(a.evidenceId),
        request_id: String(a.requestId),
        payload_digest: String(a.payloadDigest),
        content_commitment: String(a.contentCommitment),
        manifest_digest: String(a.manifestDigest),
        custodian_state: fromStateBytes(String(a.custodianState)),
        custodian_account: String(a.custodianAccount),
        offer_to_state: null,
        offer_to_account: null,
        offer_expires_at_sec: null,
        disposition: CustodyAction.None,
        head: String(a.head),
        registered_block: e.block_number,
        updated_block: e.block_number,
        updated_at_sec: e.block_time,
      };
      continue;
    }
    if (!row || e.name !== "CustodyRecorded") continue;
    row = { ...row, head: String(a.head), updated_block: e.block_number, updated_at_sec: e.block_time };
    const action = Number(a.action);
    if (action === CustodyAction.Offered) {
      row.offer_to_state = fromStateBytes(String(a.counterpartState));
      row.offer_to_account = String(a.counterpartAccount);
      row.offer_expires_at_sec = Number(a.expiresAt);
    } else if (action === CustodyAction.Transferred) {
      row.custodian_state = row.offer_to_state ?? fromStateBytes(String(a.actorState));
      row.custodian_account = row.offer_to_account ?? "0x0000000000000000000000000000000000000000";
      clearOffer(row);
    } else if (action === CustodyAction.OfferCancelled || action === CustodyAction.OfferRejected) {
      clearOffer(row);
    } else if (action === CustodyAction.Reencrypted) {
      row.payload_digest = String(a.digest);
    } else if (DISPOSITIONS.has(action)) {
      row.disposition = action;
    }
  }
  return row;
}

function clearOffer(row: EvidenceRow): void {
  row.offer_to_state = null;
  row.offer_to_account = null;
  row.offer_expires_at_sec = null;
}
