import { z } from "zod";
import type { IntentView } from "../intents/view";
import type { RequestView, TimelineEntry } from "../requests/view";
import { Hex32 } from "./validate";

/**
 * Response schemas of the REST API for the OpenAPI document. Schemas of views defined as TypeScript
 * interfaces are typed against them (`z.ZodType<View>`), so a change to a view that the schema does
 * not follow fails to compile. Request schemas come from the routes themselves.
 */
const Iso = z.iso.datetime();

/** RFC 9457 problem details, with the gateway's `code` and optional extension members. */
export const ProblemSchema = z
  .object({
    type: z.string().describe("URI naming the problem type"),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().describe("machine-readable gateway error code, e.g. NOT_FOUND, LEDGER_REFUSED"),
  })
  .catchall(z.unknown());

export const RequestViewSchema: z.ZodType<RequestView> = z.object({
  requestId: Hex32,
  requestingState: z.string(),
  requestedState: z.string(),
  treatyId: z.string(),
  assistanceTypes: z.array(z.string()),
  acceptedTypes: z.array(z.string()),
  priority: z.enum(["routine", "urgent"]),
  status: z.string(),
  refusalReason: z.string().nullable(),
  acknowledgeBy: z.string(),
  respondBy: z.string(),
  acknowledgementOverdue: z.boolean(),
  responseOverdue: z.boolean(),
  documentDigest: z.string(),
  submittedBlock: z.number().int(),
  submittedAt: z.string(),
  updatedAt: z.string(),
});

export const TimelineEntrySchema: z.ZodType<TimelineEntry> = z.object({
  event: z.string(),
  status: z.string().nullable(),
  actorState: z.string().nullable(),
  actor: z.string().nullable(),
  documentDigest: z.string().nullable(),
  blockNumber: z.number().int(),
  transactionHash: z.string(),
  logIndex: z.number().int(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const IntentViewSchema: z.ZodType<IntentView> = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string().describe("awaiting-signature | queued | sent | mined | failed | expired"),
  actor: z.string(),
  requestId: z.string().nullable(),
  evidenceId: z.string().nullable(),
  documentDigest: z.string().nullable(),
  typedData: z
    .object({
      domain: z.object({ name: z.string(), version: z.string(), chainId: z.string(), verifyingContract: z.string() }),
      types: z.object({ ForwardRequest: z.array(z.object({ name: z.string(), type: z.string() })) }),
      primaryType: z.literal("ForwardRequest"),
      message: z.object({ from: z.string(), to: z.string(), value: z.string(), gas: z.string(), nonce: z.string(), deadline: z.number(), data: z.string() }),
    })
    .describe("EIP-712 typed data of the ERC-2771 forward request: sign it with eth_signTypedData_v4"),
  signUrl: z.string(),
  transactionHash: z.string().nullable(),
  blockNumber: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The answer of every write: what was stored, and the intent to sign. */
export const WrittenSchema = z.object({
  requestId: Hex32.optional(),
  evidenceId: Hex32.optional(),
  documentDigest: Hex32.nullable().optional(),
  requirementsSource: z.enum(["peer", "cache", "default"]).optional(),
  intent: IntentViewSchema,
});

export const RequestListSchema = z.object({ items: z.array(RequestViewSchema), nextCursor: z.string().nullable() });

export const RequestDetailSchema = z.object({
  ...(RequestViewSchema as unknown as z.ZodObject).shape,
  counterpart: z.string(),
  timeline: z.array(TimelineEntrySchema),
  documents: z.array(z.object({ digest: Hex32, kind: z.string(), size: z.number().int(), origin: z.string(), storedAt: Iso })),
});

export const EvidenceViewSchema = z
  .object({
    evidenceId: Hex32,
    requestId: Hex32,
    payloadDigest: Hex32,
    contentCommitment: Hex32,
    manifestDigest: Hex32,
    custodianState: z.string(),
    custodianAccount: z.string(),
    offer: z.object({ toState: z.string(), toAccount: z.string(), expiresAt: z.string(), expired: z.boolean() }).nullable(),
    disposition: z.string().nullable(),
    head: Hex32,
  })
  .catchall(z.unknown());

export const EvidenceListSchema = z.object({ items: z.array(EvidenceViewSchema) });

export const UploadedSchema = z.object({
  evidenceId: Hex32,
  payloadDigest: Hex32,
  contentCommitment: Hex32,
  manifestDigest: Hex32,
  plaintextSha256: Hex32,
  size: z.number().int(),
  intent: IntentViewSchema,
});

export const JsonObjectSchema = z.record(z.string(), z.unknown());

export const SessionSchema = z.object({ token: z.string(), address: z.string(), state: z.string(), roles: z.number().int(), expiresAt: Iso });
export const NonceSchema = z.object({ nonce: z.string() });
export const InfoSchema = z.object({
  state: z.string(),
  chainId: z.number().int(),
  contracts: z.record(z.string(), z.string()),
  deployBlock: z.number().int(),
  relayer: z.string(),
});
export const HealthSchema = z.object({ status: z.literal("ok") });
const Check = z.object({ ok: z.boolean(), detail: z.string() });
export const ReadinessSchema = z.object({
  status: z.enum(["ready", "unavailable"]),
  reasons: z.array(z.string()),
  checks: z.object({ chain: Check, indexer: Check, store: Check, blobs: Check }),
});
export const PeerReceivedSchema = z.object({ digest: Hex32 }).catchall(z.unknown());
