/**
 * Request lifecycle actions (RequestRegistry). Each sends one call and resolves, once mined, to the
 * domain values of its event. State codes are ISO alpha-2 strings ("MX").
 */
import { hexlify, randomBytes } from "ethers";
import type { LedgerClient } from "../client";
import { fromStateBytes, toStateBytes } from "../stateCode";
import { Priority, RefusalReason, RequestStatus } from "../types";
import { eventOf, writeLedger, type LedgerWrite } from "../write";
import type { LedgerEvent } from "../events";

/** Parameters of {submitRequest}. */
export interface SubmitRequestParameters {
  /** Chosen by the submitter; random by default. Reuse it when retrying: the ledger refuses duplicates. */
  requestId?: string;
  requestedState: string;
  treatyId: string;
  /** Bit set of assistance types (see `assistanceMask`). */
  assistanceTypes: number;
  priority?: Priority;
  /** payloadDigest of the encrypted dossier. */
  documentDigest: string;
  /** Response deadline (unix seconds); default: the treaty's. */
  respondBy?: number;
}
/** What {submitRequest} yields once mined. */
export interface SubmitRequestReturnType {
  requestId: string;
  requestingState: string;
  requestedState: string;
  acknowledgeBy: number;
  respondBy: number;
}

/**
 * Submits an MLA request as the signer's central authority.
 * @example
 * const w = await submitRequest(client, { requestedState: "MX", treatyId, assistanceTypes: 48, documentDigest });
 * const { requestId, respondBy } = await w.wait();
 */
export function submitRequest(
  client: LedgerClient,
  p: SubmitRequestParameters,
): Promise<LedgerWrite<SubmitRequestReturnType>> {
  const requestId = p.requestId ?? hexlify(randomBytes(32));
  const submission = {
    requestId,
    requestedState: toStateBytes(p.requestedState),
    treatyId: p.treatyId,
    assistanceTypes: p.assistanceTypes,
    priority: p.priority ?? Priority.Routine,
    documentDigest: p.documentDigest,
    respondBy: p.respondBy ?? 0,
  };
  return writeLedger(client, {
    contract: "requests",
    method: "submitRequest",
    args: [submission],
    result: (events) => {
      const a = eventOf(events, "RequestSubmitted").args;
      return {
        requestId,
        requestingState: fromStateBytes(a.requestingState as string),
        requestedState: fromStateBytes(a.requestedState as string),
        acknowledgeBy: Number(a.acknowledgeBy),
        respondBy: Number(a.respondBy),
      };
    },
  });
}

/** Parameters of a plain lifecycle step: the request and the digest of the document that goes with it. */
export interface RequestStepParameters {
  requestId: string;
  documentDigest: string;
}
/** What a lifecycle step yields once mined. */
export interface RequestStepReturnType {
  requestId: string;
  previousStatus: RequestStatus;
  status: RequestStatus;
  actorState: string;
}

function transitionResult(requestId: string, events: LedgerEvent[]): RequestStepReturnType {
  const e = events.find((x) => x.name.startsWith("Request"))!;
  const a = e.args;
  const status =
    e.name === "RequestRefused"
      ? RequestStatus.Refused
      : e.name === "RequestPartiallyAccepted"
        ? RequestStatus.PartiallyAccepted
        : (Number(a.newStatus) as RequestStatus);
  const previousStatus = a.previousStatus === undefined ? RequestStatus.Acknowledged : (Number(a.previousStatus) as RequestStatus);
  return { requestId, previousStatus, status, actorState: fromStateBytes(a.actorState as string) };
}

function step(method: string) {
  return (client: LedgerClient, p: RequestStepParameters): Promise<LedgerWrite<RequestStepReturnType>> =>
    writeLedger(client, {
      contract: "requests",
      method,
      args: [p.requestId, p.documentDigest],
      result: (events) => transitionResult(p.requestId, events),
    });
}

/** The requested state acknowledges receipt. @example await (await acknowledgeRequest(mx, { requestId, documentDigest })).wait() */
export const acknowledgeRequest = step("acknowledge");
/** The requested state asks for clarification. @example await requestClarification(mx, { requestId, documentDigest }) */
export const requestClarification = step("requestClarification");
/** The requesting state answers a clarification request. @example await provideClarification(us, { requestId, documentDigest }) */
export const provideClarification = step("provideClarification");
/** The requested state accepts the whole request. @example await acceptRequest(mx, { requestId, documentDigest }) */
export const acceptRequest = step("accept");
/** The requested state starts executing. @example await startExecution(mx, { requestId, documentDigest }) */
export const startExecution = step("startExecution");
/** The requested state completes execution with its response. @example await completeRequest(mx, { requestId, documentDigest }) */
export const completeRequest = step("complete");
/** The requesting state closes an executed request. @example await closeRequest(us, { requestId, documentDigest }) */
export const closeRequest = step("close");
/** The requesting state withdraws its request. @example await withdrawRequest(us, { requestId, documentDigest }) */
export const withdrawRequest = step("withdraw");

/**
 * The requested state accepts part of the assistance asked for.
 * @example await partiallyAcceptRequest(mx, { requestId, acceptedTypes: 16, documentDigest })
 */
export function partiallyAcceptRequest(
  client: LedgerClient,
  p: RequestStepParameters & { acceptedTypes: number },
): Promise<LedgerWrite<RequestStepReturnType>> {
  return writeLedger(client, {
    contract: "requests",
    method: "partiallyAccept",
    args: [p.requestId, p.acceptedTypes, p.documentDigest],
    result: (events) => transitionResult(p.requestId, events),
  });
}

/**
 * The requested state refuses, with a reason code.
 * @example await refuseRequest(mx, { requestId, reason: RefusalReason.DualCriminalityAbsent, documentDigest })
 */
export function refuseRequest(
  client: LedgerClient,
  p: RequestStepParameters & { reason: RefusalReason },
): Promise<LedgerWrite<RequestStepReturnType>> {
  return writeLedger(client, {
    contract: "requests",
    method: "refuse",
    args: [p.requestId, p.reason, p.documentDigest],
    result: (events) => transitionResult(p.requestId, events),
  });
}

/**
 * The requesting state moves the response deadline later.
 * @example await extendDeadline(us, { requestId, respondBy: now + 30 * 86400, documentDigest })
 */
export function extendDeadline(
  client: LedgerClient,
  p: RequestStepParameters & { respondBy: number },
): Promise<LedgerWrite<{ requestId: string; previousRespondBy: number; respondBy: number }>> {
  return writeLedger(client, {
    contract: "requests",
    method: "extendDeadline",
    args: [p.requestId, p.respondBy, p.documentDigest],
    result: (events) => {
      const a = eventOf(events, "RequestDeadlineExtended").args;
      return { requestId: p.requestId, previousRespondBy: Number(a.previousRespondBy), respondBy: Number(a.newRespondBy) };
    },
  });
}

/**
 * The requesting state changes the priority.
 * @example await changePriority(us, { requestId, priority: Priority.Urgent, documentDigest })
 */
export function changePriority(
  client: LedgerClient,
  p: RequestStepParameters & { priority: Priority },
): Promise<LedgerWrite<{ requestId: string; priority: Priority }>> {
  return writeLedger(client, {
    contract: "requests",
    method: "changePriority",
    args: [p.requestId, p.priority, p.documentDigest],
    result: (events) => ({
      requestId: p.requestId,
      priority: Number(eventOf(events, "RequestPriorityChanged").args.newPriority) as Priority,
    }),
  });
}
