import type { Manifest } from "../../../sdk/src/crypto/manifest";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import { argsOf } from "../indexer/storedEvent";
import type { ChainEventRow, EvidenceRow } from "../store/tables";

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/** One entry of an item's custody chain, as anchored. */
export interface CustodyEventView {
  event: "EvidenceRegistered" | "CustodyRecorded";
  /** `Registered` for the registration, else the CustodyAction's name. */
  action: string;
  sequence: number;
  actorState: string;
  actor: string;
  counterpartState: string | null;
  counterpartAccount: string | null;
  /** The payload digest (registration, transfer, re-encryption) or the step's document digest. */
  digest: string;
  expiresAt: string | null;
  head: string;
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
  at: string;
}

/** An evidence item as the API shows it. */
export interface EvidenceView {
  evidenceId: string;
  requestId: string;
  payloadDigest: string;
  contentCommitment: string;
  manifestDigest: string;
  custodianState: string;
  custodianAccount: string;
  offer: { toState: string; toAccount: string; expiresAt: string; expired: boolean } | null;
  disposition: string | null;
  head: string;
  registeredBlock: number;
  updatedBlock: number;
  updatedAt: string;
}

/** The API view of an evidence projection at `nowSec`. */
export function evidenceView(e: EvidenceRow, nowSec: number): EvidenceView {
  return {
    evidenceId: e.evidence_id,
    requestId: e.request_id,
    payloadDigest: e.payload_digest,
    contentCommitment: e.content_commitment,
    manifestDigest: e.manifest_digest,
    custodianState: e.custodian_state,
    custodianAccount: e.custodian_account,
    offer:
      e.offer_to_state === null
        ? null
        : {
            toState: e.offer_to_state,
            toAccount: e.offer_to_account ?? "",
            expiresAt: iso(e.offer_expires_at_sec ?? 0),
            expired: (e.offer_expires_at_sec ?? 0) < nowSec,
          },
    disposition: e.disposition === CustodyAction.None ? null : (CustodyAction[e.disposition] ?? "Unknown"),
    head: e.head,
    registeredBlock: e.registered_block,
    updatedBlock: e.updated_block,
    updatedAt: iso(e.updated_at_sec),
  };
}

/** The custody chain of an item from its stored events (chain order). */
export function custodyEventsOf(events: readonly ChainEventRow[]): CustodyEventView[] {
  return events.map((row) => {
    const a = argsOf(row);
    const registered = row.name === "EvidenceRegistered";
    const counterpart = registered ? "" : fromStateBytes(String(a.counterpartState));
    return {
      event: registered ? "EvidenceRegistered" : "CustodyRecorded",
      action: registered ? "Registered" : (CustodyAction[Number(a.action)] ?? "Unknown"),
      sequence: registered ? 0 : Number(a.sequence),
      actorState: fromStateBytes(String(registered ? a.custodianState : a.actorState)),
      actor: String(a.actor),
      counterpartState: counterpart || null,
      counterpartAccount: counterpart ? String(a.counterpartAccount) : null,
      digest: String(registered ? a.payloadDigest : a.digest),
      expiresAt: !registered && Number(a.expiresAt) > 0 ? iso(Number(a.expiresAt)) : null,
      head: String(a.head),
      blockNumber: row.block_number,
      transactionHash: row.tx_hash,
      logIndex: row.log_index,
      at: iso(row.block_time),
    };
  });
}

/** The detail of an item: the projection, its custody chain, what this gateway holds, and the manifest when entitled. */
export interface EvidenceDetail extends EvidenceView {
  custody: CustodyEventView[];
  held: { payload: boolean; manifest: boolean };
  /** True when the chain entitles this state to the plaintext. */
  entitled: boolean;
  manifest: Manifest | null;
}
