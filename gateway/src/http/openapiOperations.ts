import { z } from "zod";
import { AuditQuerySchema } from "../audit/routes";
import { AuditPageSchema } from "../audit/view";
import { SignInBody } from "../auth/routes";
import { DOSSIER_JSON_SCHEMA, REQUIREMENTS_JSON_SCHEMA } from "../dossier/jsonSchema";
import { DeadlineWarningSchema, LedgerStreamEventSchema, ReorgNoticeSchema } from "../events/messages";
import { CUSTODY_ACTIONS } from "../evidence/custodyActions";
import { UploadMetaSchema } from "../evidence/uploadMeta";
import { SignatureBody, WaitQuery } from "../intents/routes";
import { PEER_HEADERS } from "../peer/message";
import { LIFECYCLE_ACTIONS } from "../requests/actions";
import { CreateBody, ListQuery } from "../requests/routes";
import * as S from "./openapiSchemas";

/** A JSON Schema object (as `z.toJSONSchema` writes it). */
export type JsonSchemaObject = Record<string, unknown>;

/** A schema given as zod (converted) or as ready JSON Schema. */
export type SchemaSource = z.ZodType | JsonSchemaObject;

/** One response of an operation. */
export interface ResponseSpec {
  description: string;
  /** Default `application/json`. */
  contentType?: string;
  schema?: SchemaSource;
  headers?: Record<string, string>;
}

/** One operation of the API, as the OpenAPI builder takes it. */
export interface OperationSpec {
  method: "get" | "post" | "put" | "delete";
  /** Express path (`/v1/requests/:id`). */
  path: string;
  summary: string;
  tag: string;
  /** `bearer`: a SIWE session token; `none`: public; `peer`: a peer gateway's signature headers. */
  auth: "bearer" | "none" | "peer";
  query?: z.ZodObject;
  headers?: Record<string, { description: string; required: boolean }>;
  body?: { contentType?: string; schema: SchemaSource; description?: string };
  /** Path parameters whose schema differs from {@link PATH_PARAMS} on this operation. */
  params?: Record<string, { schema: z.ZodType; description: string }>;
  responses: Record<string, ResponseSpec>;
}

const Bytes32Param = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
/** Path parameter schemas by name. */
export const PATH_PARAMS: Record<string, { schema: z.ZodType; description: string }> = {
  id: { schema: Bytes32Param, description: "request or evidence id (bytes32, hex)" },
  digest: { schema: Bytes32Param, description: "SHA-256 of an age file (payloadDigest / document digest)" },
};

/** An intent's id as the intent routes take it (checked against real ids by the authorization matrix test). */
const intentId = { id: { schema: z.string().regex(/^0x[0-9a-f]{32}$/), description: "intent id (16 bytes, lower-case hex)" } };

const json = (description: string, schema: SchemaSource): ResponseSpec => ({ description, schema });
const intentWritten = { "201": json("prepared: sign `intent.typedData` and POST the signature to `intent.signUrl`", S.WrittenSchema) };

const lifecycle: OperationSpec[] = LIFECYCLE_ACTIONS.map((a) => ({
  method: "post",
  path: `/v1/requests/:id/${a.path}`,
  summary: `${a.path.replaceAll("-", " ")} (ledger \`${a.method}\`, by the ${a.party} state's central authority)`,
  tag: "requests",
  auth: "bearer",
  body: { schema: a.body },
  responses: intentWritten,
}));

const custody: OperationSpec[] = CUSTODY_ACTIONS.map((a) => ({
  method: "post",
  path: `/v1/evidence/:id/${a.path}`,
  summary: `custody: ${a.path.replaceAll("-", " ")} (ledger \`${a.method}\`, by the ${a.party})`,
  tag: "evidence",
  auth: "bearer",
  body: { schema: a.body },
  responses: { "201": json("prepared custody step", S.WrittenSchema) },
}));

const uploadHeaders = Object.fromEntries(
  Object.keys(UploadMetaSchema.shape).map((k) => [
    `x-${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`,
    { description: `upload metadata \`${k}\` (percent-encoded UTF-8; or the query parameter \`${k}\`)`, required: k === "fileName" },
  ]),
);

/**
 * Every operation the gateway serves. The OpenAPI test checks this list against the routes mounted in a
 * running gateway, so a route added without its entry here fails the build.
 * @example openApiDocument({ state: "MX" }) // built from OPERATIONS
 */
export const OPERATIONS: readonly OperationSpec[] = [
  { method: "get", path: "/v1/auth/nonce", summary: "a single-use SIWE nonce", tag: "auth", auth: "none", responses: { "200": json("nonce", S.NonceSchema) } },
  {
    method: "post",
    path: "/v1/auth/session",
    summary: "sign in with a signed EIP-4361 message; answers a short-lived bearer token",
    tag: "auth",
    auth: "none",
    body: { schema: SignInBody },
    responses: { "201": json("session", S.SessionSchema) },
  },
  { method: "delete", path: "/v1/auth/session", summary: "sign out (ends the bearer token's session)", tag: "auth", auth: "none", responses: { "204": { description: "signed out" } } },
  { method: "get", path: "/v1/info", summary: "this gateway's state, chain and contracts", tag: "info", auth: "none", responses: { "200": json("info", S.InfoSchema) } },
  {
    method: "get",
    path: "/v1/requirements",
    summary: "this state's published dossier requirements (mandatory fields, languages)",
    tag: "info",
    auth: "none",
    responses: { "200": json("requirements", REQUIREMENTS_JSON_SCHEMA as JsonSchemaObject) },
  },
  {
    method: "post",
    path: "/v1/requests",
    summary: "create a request: validates the dossier against the requested state's requirements, encrypts it to both states, prepares `submitRequest`",
    tag: "requests",
    auth: "bearer",
    body: { schema: CreateBody, description: "`dossier` follows the dossier JSON Schema (components.schemas.Dossier)" },
    responses: { ...intentWritten, "422": { description: "DOSSIER_INCOMPLETE (every missing item in `missing`) or LEDGER_REFUSED", contentType: "application/problem+json", schema: S.ProblemSchema } },
  },
  { method: "get", path: "/v1/requests", summary: "list this state's requests", tag: "requests", auth: "bearer", query: ListQuery, responses: { "200": json("page", S.RequestListSchema) } },
  { method: "get", path: "/v1/requests/:id", summary: "a request with its on-chain status and timeline", tag: "requests", auth: "bearer", responses: { "200": json("request", S.RequestDetailSchema) } },
  {
    method: "get",
    path: "/v1/requests/:id/dossier",
    summary: "the decrypted dossier (audited)",
    tag: "requests",
    auth: "bearer",
    responses: { "200": json("dossier", DOSSIER_JSON_SCHEMA as JsonSchemaObject) },
  },
  {
    method: "get",
    path: "/v1/requests/:id/documents/:digest",
    summary: "a decrypted document of the request (audited)",
    tag: "requests",
    auth: "bearer",
    responses: { "200": json("document", S.JsonObjectSchema) },
  },
  ...lifecycle,
  {
    method: "post",
    path: "/v1/requests/:id/evidence",
    summary: "upload an evidence file (streamed, any size): encrypted, stored, pushed, and `registerEvidence` prepared",
    tag: "evidence",
    auth: "bearer",
    headers: uploadHeaders,
    body: { contentType: "application/octet-stream", schema: { type: "string", contentMediaType: "application/octet-stream" }, description: "the file's bytes" },
    responses: { "201": json("uploaded", S.UploadedSchema) },
  },
  { method: "get", path: "/v1/requests/:id/evidence", summary: "evidence registered under a request", tag: "evidence", auth: "bearer", responses: { "200": json("evidence", S.EvidenceListSchema) } },
  { method: "get", path: "/v1/evidence/:id", summary: "an evidence item with its manifest and custody chain", tag: "evidence", auth: "bearer", responses: { "200": json("evidence", S.EvidenceViewSchema) } },
  {
    method: "get",
    path: "/v1/evidence/:id/content",
    summary: "the decrypted evidence file, streamed (audited)",
    tag: "evidence",
    auth: "bearer",
    responses: {
      "200": { description: "the plaintext, with `X-Content-Sha256`", contentType: "application/octet-stream", schema: { type: "string", contentMediaType: "application/octet-stream" } },
    },
  },
  { method: "get", path: "/v1/evidence/:id/bundle", summary: "the verification bundle (for `mlat verify` and stock tools)", tag: "evidence", auth: "bearer", responses: { "200": json("bundle", S.JsonObjectSchema) } },
  { method: "get", path: "/v1/evidence/:id/verify", summary: "the SDK verifier's report on the held item", tag: "evidence", auth: "bearer", responses: { "200": json("report", S.JsonObjectSchema) } },
  ...custody,
  { method: "get", path: "/v1/intents/:id", summary: "a prepared ledger call and where it stands", tag: "intents", auth: "bearer", params: intentId, responses: { "200": json("intent", S.IntentViewSchema) } },
  {
    method: "post",
    path: "/v1/intents/:id/signature",
    summary: "hand in the EIP-712 signature; the gateway relays the call (`?wait=` holds the answer until mined or indexed)",
    tag: "intents",
    auth: "bearer",
    params: intentId,
    query: WaitQuery,
    body: { schema: SignatureBody },
    responses: { "202": json("accepted", S.IntentViewSchema) },
  },
  {
    method: "get",
    path: "/v1/audit",
    summary: "the audit log with salts, leaf values, batch anchors and Merkle proofs (central authority or verifier)",
    tag: "audit",
    auth: "bearer",
    query: AuditQuerySchema,
    responses: { "200": json("page, newest first", AuditPageSchema) },
  },
  {
    method: "get",
    path: "/v1/events",
    summary:
      "Server-Sent Events: ledger events concerning this state (`event: <EventName>`, `id: <block>:<logIndex>`, `data: LedgerStreamEvent`), `deadline-warning` (DeadlineWarning) and `reorg` (ReorgNotice); resumes after `Last-Event-ID`",
    tag: "events",
    auth: "bearer",
    headers: { "last-event-id": { description: "resume after this event id (`<block>:<logIndex>`)", required: false } },
    responses: {
      "200": { description: "an endless text/event-stream; a comment line every 15 s", contentType: "text/event-stream", schema: { type: "string" } },
      "429": { description: "too many open streams (per replica or account)", contentType: "application/problem+json", schema: S.ProblemSchema },
    },
  },
  {
    method: "put",
    path: "/v1/peer/blobs/:digest",
    summary: "peer push: receive a ciphertext; stored only if its SHA-256 is an on-chain commitment naming this state (idempotent)",
    tag: "peer",
    auth: "peer",
    headers: {
      [PEER_HEADERS.fromState]: { description: "the pushing gateway's state", required: true },
      [PEER_HEADERS.signature]: { description: "EIP-191 signature by a GATEWAY account of that state over the push message", required: true },
    },
    body: { contentType: "application/octet-stream", schema: { type: "string", contentMediaType: "application/octet-stream" }, description: "the age file" },
    responses: { "201": json("stored", S.PeerReceivedSchema), "200": json("already held", S.PeerReceivedSchema) },
  },
  { method: "get", path: "/healthz", summary: "liveness: the process is up", tag: "operations", auth: "none", responses: { "200": json("up", S.HealthSchema) } },
  {
    method: "get",
    path: "/readyz",
    summary: "readiness: chain answers, indexer lag small, store answers, blob directory writable",
    tag: "operations",
    auth: "none",
    responses: { "200": json("ready", S.ReadinessSchema), "503": { description: "not ready (with Retry-After)", schema: S.ReadinessSchema, headers: { "Retry-After": "seconds" } } },
  },
  { method: "get", path: "/metrics", summary: "Prometheus metrics (text exposition format)", tag: "operations", auth: "none", responses: { "200": { description: "metrics", contentType: "text/plain; version=0.0.4", schema: { type: "string" } } } },
  { method: "get", path: "/openapi.json", summary: "this document", tag: "operations", auth: "none", responses: { "200": json("OpenAPI 3.1 document", { type: "object" }) } },
];

/** Schemas published under `components.schemas` besides those of operations (stream messages, dossier). */
export const EXTRA_SCHEMAS: Record<string, SchemaSource> = {
  Dossier: DOSSIER_JSON_SCHEMA as JsonSchemaObject,
  LedgerStreamEvent: LedgerStreamEventSchema,
  DeadlineWarning: DeadlineWarningSchema,
  ReorgNotice: ReorgNoticeSchema,
};
