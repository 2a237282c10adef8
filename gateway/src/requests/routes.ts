import { randomBytes } from "node:crypto";
import { Router } from "express";
import type { ExpressionBuilder } from "kysely";
import { z } from "zod";
import { fromStateBytes, toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { RequestStatus } from "../../../sdk/src/ledger/types";
import { recordAudit } from "../audit/record";
import type { StateDirectory } from "../chain/stateDirectory";
import type { GatewayContext } from "../context";
import { discardOnFailure, findDocument, openJson, recordDocument, sealJson } from "../documents/documents";
import { checkCompleteness, dossierLedgerFields, DossierSchema } from "../dossier";
import { actorOf, requireRole } from "../http/actor";
import { eventHistory } from "../indexer/history";
import { GatewayError, notFound } from "../http/errors";
import { Bytes32, parseInput, StateCode } from "../http/validate";
import type { Tables } from "../store/tables";
import { prepareIntent } from "../intents/prepare";
import { intentView } from "../intents/view";
import { LIFECYCLE_ACTIONS } from "./actions";
import type { PeerRequirements } from "./requirements";
import { counterpartOf, visibleRequest } from "./visibility";
import { OPEN_STATUSES, requestView, timelineOf } from "./view";

const ZERO = "0x" + "00".repeat(32);
export const CreateBody = z.strictObject({ requestId: Bytes32.optional(), dossier: z.unknown() });
const IdParam = z.object({ id: Bytes32 });
export const ListQuery = z.strictObject({
  status: z.enum(Object.keys(RequestStatus).filter((k) => Number.isNaN(Number(k))) as [string, ...string[]]).optional(),
  counterpart: StateCode.optional(),
  role: z.enum(["requesting", "requested"]).optional(),
  overdue: z.enum(["acknowledgement", "response", "any"]).optional(),
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const nowSec = () => Math.floor(Date.now() / 1000);

/** `/v1/requests`: create, list, read, decrypt, and every lifecycle step. */
export function requestRoutes(ctx: GatewayContext, directory: StateDirectory, requirements: PeerRequirements): Router {
  const router = Router();
  const state = ctx.config.state;

  router.post("/v1/requests", async (req, res) => {
    const actor = requireRole(res, ["CENTRAL_AUTHORITY"]);
    const body = parseInput(CreateBody, req.body, "body");
    const dossier = parseInput(DossierSchema, body.dossier, "dossier");
    if (dossier.requestingAuthority.state !== state) {
      throw new GatewayError("VALIDATION_FAILED", `the requesting authority must be of ${state}, this gateway's state`);
    }
    const fields = dossierLedgerFields(dossier);
    const { requirements: needed, source } = await requirements.of(fields.requestedState);
    const missing = checkCompleteness(dossier, needed);
    if (missing.length > 0) {
      throw new GatewayError("DOSSIER_INCOMPLETE", `the dossier lacks ${missing.length} item(s) ${fields.requestedState} requires`, {
        extensions: { missing, requirementsSource: source },
      });
    }
    const requested = await directory.get(fields.requestedState);
    if (!requested.recipient) throw new GatewayError("VALIDATION_FAILED", `${fields.requestedState} is not a member state`);
    const requestId = body.requestId ?? "0x" + randomBytes(32).toString("hex");
    const doc = await sealJson(ctx, dossier, [ctx.recipient, requested.recipient]);
    const intent = await discardOnFailure(ctx, [doc], () =>
      prepareIntent(
        ctx,
        actor,
        {
          kind: "request.submit",
          contract: "requests",
          method: "submitRequest",
          args: [{ requestId, ...submission(fields), documentDigest: doc.digest, respondBy: 0 }],
          requestId,
          documentDigest: doc.digest,
        },
        (trx) => recordDocument(trx, doc, { kind: "dossier", requestId, origin: "local", createdBy: actor.address }),
      ),
    );
    res.status(201).json({ requestId, documentDigest: doc.digest, requirementsSource: source, intent: intentView(ctx, intent) });
  });

  router.get("/v1/requests", async (req, res) => {
    actorOf(res);
    const q = parseInput(ListQuery, req.query, "query");
    let query = ctx.store.db
      .selectFrom("requests")
      .selectAll()
      .where((eb) => eb.or([eb("requesting_state", "=", state), eb("requested_state", "=", state)]));
    if (q.status) query = query.where("status", "=", RequestStatus[q.status as keyof typeof RequestStatus]);
    if (q.role === "requesting") query = query.where("requesting_state", "=", state);
    if (q.role === "requested") query = query.where("requested_state", "=", state);
    if (q.counterpart) {
      const c = q.counterpart;
      query = query.where((eb) => eb.or([eb("requesting_state", "=", c), eb("requested_state", "=", c)]));
    }
    if (q.updatedSince) query = query.where("updated_at_sec", ">=", Math.floor(Date.parse(q.updatedSince) / 1000));
    const now = nowSec();
    const ack = (eb: ExpressionBuilder<Tables, "requests">) =>
      eb.and([eb("status", "=", RequestStatus.Submitted), eb("acknowledge_by", "<", now)]);
    const resp = (eb: ExpressionBuilder<Tables, "requests">) =>
      eb.and([eb("status", "in", OPEN_STATUSES), eb("respond_by", "<", now)]);
    if (q.overdue === "acknowledgement") query = query.where(ack);
    if (q.overdue === "response") query = query.where(resp);
    if (q.overdue === "any") query = query.where((eb) => eb.or([ack(eb), resp(eb)]));
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      query = query.where((eb) => eb.or([eb("updated_at_sec", "<", at), eb.and([eb("updated_at_sec", "=", at), eb("request_id", ">", id)])]));
    }
    const rows = await query.orderBy("updated_at_sec", "desc").orderBy("request_id").limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({
      items: page.map((r) => requestView(r, now)),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.updated_at_sec, last.request_id) : null,
    });
  });

  router.get("/v1/requests/:id", async (req, res) => {
    actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    const row = await visibleRequest(ctx, id);
    const events = await eventHistory(ctx.store.db, "request_id", row.request_id);
    const documents = await ctx.store.db
      .selectFrom("documents")
      .select(["digest", "kind", "size", "origin", "created_at"])
      .where("request_id", "=", row.request_id)
      .where("evidence_id", "is", null)
      .execute();
    res.json({
      ...requestView(row, nowSec()),
      counterpart: counterpartOf(row, state),
      timeline: timelineOf(events, fromStateBytes),
      documents: documents.map((d) => ({ digest: d.digest, kind: d.kind, size: d.size, origin: d.origin, storedAt: new Date(d.created_at).toISOString() })),
    });
  });

  router.get("/v1/requests/:id/dossier", async (req, res) => {
    const actor = actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    const row = await visibleRequest(ctx, id);
    res.json(await openHeldDocument(ctx, row.request_id, row.document_digest, actor, "request.dossier.decrypt"));
  });

  router.get("/v1/requests/:id/documents/:digest", async (req, res) => {
    const actor = actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    const digest = parseInput(Bytes32, req.params.digest, "document digest");
    const row = await visibleRequest(ctx, id);
    res.json(await openHeldDocument(ctx, row.request_id, digest, actor, "request.document.decrypt"));
  });

  for (const action of LIFECYCLE_ACTIONS) {
    router.post(`/v1/requests/:id/${action.path}`, async (req, res) => {
      const actor = requireRole(res, ["CENTRAL_AUTHORITY"]);
      const { id } = parseInput(IdParam, req.params, "path");
      const body = parseInput(action.body, req.body ?? {}, "body") as { document?: Record<string, unknown> };
      const row = await visibleRequest(ctx, id);
      const party = row.requesting_state === state ? "requesting" : "requested";
      if (party !== action.party) {
        throw new GatewayError("FORBIDDEN", `only the ${action.party} state may ${action.path.replaceAll("-", " ")} a request`);
      }
      if (action.documentRequired && !body.document) {
        throw new GatewayError("VALIDATION_FAILED", `${action.path} needs a document stating the grounds`);
      }
      const counterpart = await directory.get(counterpartOf(row, state));
      const doc = body.document ? await sealJson(ctx, body.document, [ctx.recipient, counterpart.recipient]) : undefined;
      const digest = doc?.digest ?? ZERO;
      const intent = await discardOnFailure(ctx, [doc], () =>
        prepareIntent(
          ctx,
          actor,
          {
            kind: `request.${action.path}`,
            contract: "requests",
            method: action.method,
            args: [row.request_id, ...action.args(body, digest)],
            requestId: row.request_id,
            documentDigest: doc?.digest,
          },
          async (trx) => {
            if (doc) await recordDocument(trx, doc, { kind: `request.${action.path}`, requestId: row.request_id, origin: "local", createdBy: actor.address });
          },
        ),
      );
      res.status(201).json({ requestId: row.request_id, documentDigest: doc?.digest ?? null, intent: intentView(ctx, intent) });
    });
  }
  return router;
}

function submission(f: ReturnType<typeof dossierLedgerFields>) {
  return {
    requestedState: toStateBytes(f.requestedState),
    treatyId: f.treatyId,
    assistanceTypes: f.assistanceTypes,
    priority: f.priority,
  };
}

/** Decrypts a document of a request this gateway holds, with an audit entry. */
async function openHeldDocument(
  ctx: GatewayContext,
  requestId: string,
  digest: string,
  actor: { address: string; state: string },
  action: string,
): Promise<unknown> {
  const doc = await findDocument(ctx, digest);
  if (!doc || doc.request_id !== requestId) throw notFound("document", digest);
  const value = await openJson(ctx, digest);
  await recordAudit(ctx.store.db, { actor: actor.address, actorState: actor.state, action, subject: requestId, detail: { digest } });
  return value;
}

function encodeCursor(at: number, id: string): string {
  return Buffer.from(`${at}:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): [number, string] {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split(":");
  if (!at || !id || !/^\d+$/.test(at) || !/^0x[0-9a-f]{64}$/.test(id)) throw new GatewayError("VALIDATION_FAILED", "the cursor is invalid");
  return [Number(at), id];
}

