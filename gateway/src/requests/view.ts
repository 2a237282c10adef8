import { Priority, RefusalReason, RequestStatus, assistanceNames } from "../../../sdk/src/ledger/types";
import { argsOf } from "../indexer/storedEvent";
import type { ChainEventRow, RequestRow } from "../store/tables";

/** Statuses in which the response clock runs. */
export const OPEN_STATUSES = [
  RequestStatus.Submitted,
  RequestStatus.Acknowledged,
  RequestStatus.ClarificationRequested,
  RequestStatus.Accepted,
  RequestStatus.PartiallyAccepted,
  RequestStatus.InExecution,
];

/** A request as the API shows it. */
export interface RequestView {
  requestId: string;
  requestingState: string;
  requestedState: string;
  treatyId: string;
  assistanceTypes: string[];
  acceptedTypes: string[];
  priority: "routine" | "urgent";
  status: string;
  refusalReason: string | null;
  acknowledgeBy: string;
  respondBy: string;
  acknowledgementOverdue: boolean;
  responseOverdue: boolean;
  documentDigest: string;
  submittedBlock: number;
  submittedAt: string;
  updatedAt: string;
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/** True when the acknowledgement deadline has passed unacknowledged (as the contract reads it). */
export function acknowledgementOverdue(r: RequestRow, nowSec: number): boolean {
  return r.status === RequestStatus.Submitted && nowSec > r.acknowledge_by;
}

/** True when the response deadline has passed with the request still open. */
export function responseOverdue(r: RequestRow, nowSec: number): boolean {
  return OPEN_STATUSES.includes(r.status) && nowSec > r.respond_by;
}

/** The API view of a request projection at `nowSec`. */
export function requestView(r: RequestRow, nowSec: number): RequestView {
  return {
    requestId: r.request_id,
    requestingState: r.requesting_state,
    requestedState: r.requested_state,
    treatyId: r.treaty_id,
    assistanceTypes: assistanceNames(r.assistance_types),
    acceptedTypes: assistanceNames(r.accepted_types),
    priority: r.priority === Priority.Urgent ? "urgent" : "routine",
    status: RequestStatus[r.status] ?? "Unknown",
    refusalReason: r.status === RequestStatus.Refused ? (RefusalReason[r.refusal_reason] ?? "Other") : null,
    acknowledgeBy: iso(r.acknowledge_by),
    respondBy: iso(r.respond_by),
    acknowledgementOverdue: acknowledgementOverdue(r, nowSec),
    responseOverdue: responseOverdue(r, nowSec),
    documentDigest: r.document_digest,
    submittedBlock: r.submitted_block,
    submittedAt: iso(r.submitted_at_sec),
    updatedAt: iso(r.updated_at_sec),
  };
}

/** One step of a request's on-chain history. */
export interface TimelineEntry {
  event: string;
  status: string | null;
  actorState: string | null;
  actor: string | null;
  documentDigest: string | null;
  blockNumber: number;
  transactionHash: string;
  logIndex: number;
  at: string;
  details: Record<string, unknown>;
}

/** The timeline of a request from its stored events (chain order). */
export function timelineOf(events: readonly ChainEventRow[], stateOf: (bytes: string) => string): TimelineEntry[] {
  return events.map((e) => {
    const a = argsOf(e);
    const status =
      e.name === "RequestSubmitted"
        ? "Submitted"
        : e.name === "RequestStatusChanged"
          ? RequestStatus[Number(a.newStatus)]!
          : e.name === "RequestRefused"
            ? "Refused"
            : e.name === "RequestPartiallyAccepted"
              ? "PartiallyAccepted"
              : null;
    const actorStateBytes = (a.actorState ?? a.requestingState ?? a.custodianState) as string | undefined;
    const { requestId: _r, actorState: _s, actor: _a, documentDigest: _d, ...details } = a;
    return {
      event: e.name,
      status,
      actorState: actorStateBytes ? stateOf(actorStateBytes) : null,
      actor: (a.actor as string | undefined) ?? null,
      documentDigest: (a.documentDigest as string | undefined) ?? (a.payloadDigest as string | undefined) ?? null,
      blockNumber: e.block_number,
      transactionHash: e.tx_hash,
      logIndex: e.log_index,
      at: iso(e.block_time),
      details,
    };
  });
}
