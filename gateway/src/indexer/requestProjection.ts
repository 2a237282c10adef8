import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { RefusalReason, RequestStatus } from "../../../sdk/src/ledger/types";
import type { ChainEventRow, RequestRow } from "../store/tables";
import { argsOf } from "./storedEvent";

/**
 * Folds a request's events (chain order) into its current projection; undefined when the request was
 * never submitted (e.g. every event was reorged away). Pure: the same events give the same row.
 * @example projectRequest(await eventsOfRequest(db, id))
 */
export function projectRequest(events: readonly ChainEventRow[]): RequestRow | undefined {
  let row: RequestRow | undefined;
  for (const e of events) {
    const a = argsOf(e);
    if (e.name === "RequestSubmitted") {
      row = {
        request_id: String(a.requestId),
        requesting_state: fromStateBytes(String(a.requestingState)),
        requested_state: fromStateBytes(String(a.requestedState)),
        treaty_id: String(a.treatyId),
        assistance_types: Number(a.assistanceTypes),
        accepted_types: 0,
        priority: Number(a.priority),
        status: RequestStatus.Submitted,
        refusal_reason: RefusalReason.None,
        acknowledge_by: Number(a.acknowledgeBy),
        respond_by: Number(a.respondBy),
        document_digest: String(a.documentDigest),
        submitted_block: e.block_number,
        submitted_at_sec: e.block_time,
        updated_block: e.block_number,
        updated_at_sec: e.block_time,
      };
      continue;
    }
    if (!row || e.contract !== "requests") continue;
    row = { ...row, updated_block: e.block_number, updated_at_sec: e.block_time };
    switch (e.name) {
      case "RequestStatusChanged":
        row.status = Number(a.newStatus);
        if (row.status === RequestStatus.Accepted) row.accepted_types = row.assistance_types;
        break;
      case "RequestPartiallyAccepted":
        row.status = RequestStatus.PartiallyAccepted;
        row.accepted_types = Number(a.acceptedTypes);
        break;
      case "RequestRefused":
        row.status = RequestStatus.Refused;
        row.refusal_reason = Number(a.reason);
        break;
      case "RequestDeadlineExtended":
        row.respond_by = Number(a.newRespondBy);
        break;
      case "RequestPriorityChanged":
        row.priority = Number(a.newPriority);
        break;
    }
  }
  return row;
}
