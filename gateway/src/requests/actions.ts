import { z } from "zod";
import { assistanceMask, Priority, RefusalReason } from "../../../sdk/src/ledger/types";
import { AssistanceTypeSchema } from "../dossier";

/** Which party of a request may take an action. */
export type Party = "requesting" | "requested";

/** One lifecycle action of the REST API: its path segment, the contract method, who takes it, and its body. */
export interface LifecycleAction<B extends z.ZodType = z.ZodType> {
  /** Path segment under `/v1/requests/{id}/`. */
  path: string;
  method: string;
  party: Party;
  /** Body schema (always with an optional `document`, the letter or decision that goes with the step). */
  body: B;
  /** Contract arguments after `requestId`, given the parsed body and the anchored document digest. */
  args(body: z.infer<B>, documentDigest: string): unknown[];
  /** True when the ledger needs a document for this step. */
  documentRequired?: boolean;
}

/** A letter, decision or note attached to a step: any JSON object, encrypted to both parties. */
const Document = z.record(z.string().max(200), z.unknown()).optional();
const Plain = z.strictObject({ document: Document });

const REASONS = Object.keys(RefusalReason).filter((k) => Number.isNaN(Number(k)) && k !== "None") as (keyof typeof RefusalReason)[];

function plain(path: string, method: string, party: Party): LifecycleAction<typeof Plain> {
  return { path, method, party, body: Plain, args: (_b, digest) => [digest] };
}

const partial = z.strictObject({ document: Document, acceptedTypes: z.array(AssistanceTypeSchema).min(1).max(32) });
const refuse = z.strictObject({ document: Document, reason: z.enum(REASONS as [string, ...string[]]) });
const extend = z.strictObject({ document: Document, respondBy: z.iso.datetime({ offset: true }) });
const priority = z.strictObject({ document: Document, priority: z.enum(["routine", "urgent"]) });

/**
 * Every lifecycle step after submission, as the REST API exposes it (`POST /v1/requests/{id}/<path>`).
 * The ledger is the judge of whether a step is allowed now; the table only routes and shapes it.
 */
export const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = [
  plain("acknowledge", "acknowledge", "requested"),
  plain("clarification-request", "requestClarification", "requested"),
  plain("clarification", "provideClarification", "requesting"),
  plain("accept", "accept", "requested"),
  {
    path: "partial-accept",
    method: "partiallyAccept",
    party: "requested",
    body: partial,
    args: (b: z.infer<typeof partial>, d: string) => [assistanceMask(b.acceptedTypes), d],
  } as LifecycleAction,
  {
    path: "refuse",
    method: "refuse",
    party: "requested",
    body: refuse,
    documentRequired: true,
    args: (b: z.infer<typeof refuse>, d: string) => [RefusalReason[b.reason as keyof typeof RefusalReason], d],
  } as LifecycleAction,
  plain("start-execution", "startExecution", "requested"),
  plain("complete", "complete", "requested"),
  plain("close", "close", "requesting"),
  plain("withdraw", "withdraw", "requesting"),
  {
    path: "extend-deadline",
    method: "extendDeadline",
    party: "requesting",
    body: extend,
    args: (b: z.infer<typeof extend>, d: string) => [Math.floor(Date.parse(b.respondBy) / 1000), d],
  } as LifecycleAction,
  {
    path: "priority",
    method: "changePriority",
    party: "requesting",
    body: priority,
    args: (b: z.infer<typeof priority>, d: string) => [b.priority === "urgent" ? Priority.Urgent : Priority.Routine, d],
  } as LifecycleAction,
];
