import type { LedgerClient } from "./client";
import { decodeLedgerLogs, type LedgerEvent } from "./events";
import { logsByKey } from "./logs";
import { fromStateBytes } from "./stateCode";
import { RequestStatus } from "./types";

/** One step of a request's life, as anchored. */
export interface RequestTimelineEntry {
  event: string;
  /** Status after this step (unchanged for deadline and priority changes). */
  status: RequestStatus;
  actorState: string;
  actor: string;
  documentDigest: string;
  blockNumber: number;
  transactionHash: string;
  /** Event-specific values: reason, acceptedTypes, deadlines, priority, treaty. */
  details: Record<string, unknown>;
}

const DETAIL_SKIP = new Set(["requestId", "actor", "actorState", "documentDigest", "previousStatus", "newStatus"]);

/** Builds a request's timeline from its events (pure; see {requestTimeline}). */
export function toRequestTimeline(events: readonly LedgerEvent[]): RequestTimelineEntry[] {
  let status = RequestStatus.None;
  return events
    .filter((e) => e.contract === "requests")
    .map((e) => {
      const a = e.args;
      if (e.name === "RequestSubmitted") status = RequestStatus.Submitted;
      else if (e.name === "RequestStatusChanged") status = Number(a.newStatus) as RequestStatus;
      else if (e.name === "RequestRefused") status = RequestStatus.Refused;
      else if (e.name === "RequestPartiallyAccepted") status = RequestStatus.PartiallyAccepted;
      const details = Object.fromEntries(Object.entries(a).filter(([k]) => !DETAIL_SKIP.has(k)));
      const actorState = (a.actorState ?? a.requestingState) as string;
      return {
        event: e.name,
        status,
        actorState: fromStateBytes(actorState),
        actor: a.actor as string,
        documentDigest: a.documentDigest as string,
        blockNumber: e.blockNumber,
        transactionHash: e.transactionHash,
        details,
      };
    });
}

/**
 * A request's anchored timeline, read from the chain's events.
 * @example for (const s of await requestTimeline(client, requestId)) console.log(s.event, RequestStatus[s.status]);
 */
export async function requestTimeline(client: LedgerClient, requestId: string): Promise<RequestTimelineEntry[]> {
  const logs = await logsByKey(client.provider, client.deployment.contracts.requests, requestId, client.deployment.deployBlock);
  return toRequestTimeline(decodeLedgerLogs(client.deployment.contracts, logs));
}

/**
 * An evidence item's events (its EvidenceRegistered, then every CustodyRecorded), in chain order.
 * @example const events = await evidenceEvents(client, evidenceId);
 */
export async function evidenceEvents(client: LedgerClient, evidenceId: string): Promise<LedgerEvent[]> {
  const logs = await logsByKey(client.provider, client.deployment.contracts.custody, evidenceId, client.deployment.deployBlock);
  return decodeLedgerLogs(client.deployment.contracts, logs);
}
