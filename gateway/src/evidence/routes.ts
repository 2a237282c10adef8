import { Router, type Response } from "express";
import { z } from "zod";
import type { StateDirectory } from "../chain/stateDirectory";
import type { GatewayContext } from "../context";
import { requireRole, actorOf } from "../http/actor";
import { Bytes32, parseInput } from "../http/validate";
import { visibleRequest } from "../requests/visibility";
import { takeCustodyStep } from "./custody";
import { CUSTODY_ACTIONS } from "./custodyActions";
import { decryptPayloadTo } from "./heldPayload";
import { evidenceBundle, evidenceDetail, openContent, verifyHeldEvidence } from "./read";
import { uploadEvidence } from "./upload";
import { streamingRoute } from "./streamingRoute";
import { uploadMetaOf } from "./uploadMeta";
import { evidenceView } from "./view";
import { visibleEvidence } from "./visibility";
import { intentView } from "../intents/view";

const IdParam = z.object({ id: Bytes32 });
const ContentLength = z.coerce.number().int().nonnegative().optional();
const CUSTODY_ROLES = ["AGENCY", "CENTRAL_AUTHORITY"] as const;

/** The path whose body is the raw evidence file (never parsed as JSON). */
export const UPLOAD_PATH = /^\/v1\/requests\/[^/]+\/evidence\/?$/;

/** `attachment; filename*=UTF-8''…` (RFC 6266 / 8187), safe for any file name. */
function attachment(res: Response, fileName: string): void {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  res.setHeader("Content-Disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}

/** `/v1/requests/{id}/evidence` and `/v1/evidence/{id}…`: upload, list, read, content, bundle, verify, custody steps. */
export function evidenceRoutes(ctx: GatewayContext, directory: StateDirectory): Router {
  const router = Router();

  router.post(
    "/v1/requests/:id/evidence",
    streamingRoute(async (req, res) => {
      const actor = requireRole(res, CUSTODY_ROLES);
      const { id } = parseInput(IdParam, req.params, "path");
      const { meta, mediaType } = uploadMetaOf(req);
      const declaredLength = parseInput(ContentLength, req.headers["content-length"], "Content-Length");
      const request = await visibleRequest(ctx, id);
      const u = await uploadEvidence(ctx, directory, { actor, request, body: req, meta, mediaType, declaredLength });
      res.status(201).json({
        evidenceId: u.evidenceId,
        payloadDigest: u.payloadDigest,
        contentCommitment: u.contentCommitment,
        manifestDigest: u.manifestDigest,
        plaintextSha256: u.plaintextSha256,
        size: u.size,
        intent: intentView(ctx, u.intent),
      });
    }),
  );

  router.get("/v1/requests/:id/evidence", async (req, res) => {
    actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    const request = await visibleRequest(ctx, id);
    const rows = await ctx.store.db
      .selectFrom("evidence")
      .selectAll()
      .where("request_id", "=", request.request_id)
      .orderBy("registered_block")
      .orderBy("evidence_id")
      .execute();
    const now = Math.floor(Date.now() / 1000);
    res.json({ items: rows.map((r) => evidenceView(r, now)) });
  });

  router.get("/v1/evidence/:id", async (req, res) => {
    const actor = actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    res.json(await evidenceDetail(ctx, await visibleEvidence(ctx, id), actor));
  });

  router.get("/v1/evidence/:id/content", async (req, res) => {
    const actor = actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    const { manifest, payloadDigest } = await openContent(ctx, await visibleEvidence(ctx, id), actor);
    res.status(200);
    res.setHeader("Content-Type", manifest.mediaType);
    res.setHeader("Content-Length", String(manifest.size));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Content-Sha256", manifest.sha256);
    attachment(res, manifest.fileName);
    await decryptPayloadTo(ctx, payloadDigest, res);
  });

  router.get("/v1/evidence/:id/bundle", async (req, res) => {
    const actor = actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    res.json(await evidenceBundle(ctx, await visibleEvidence(ctx, id), actor));
  });

  router.get("/v1/evidence/:id/verify", async (req, res) => {
    const actor = actorOf(res);
    const { id } = parseInput(IdParam, req.params, "path");
    res.json(await verifyHeldEvidence(ctx, await visibleEvidence(ctx, id), actor));
  });

  for (const action of CUSTODY_ACTIONS) {
    router.post(`/v1/evidence/:id/${action.path}`, async (req, res) => {
      const actor = requireRole(res, CUSTODY_ROLES);
      const { id } = parseInput(IdParam, req.params, "path");
      const body = parseInput(action.body, req.body ?? {}, "body") as { document?: Record<string, unknown> };
      const record = await visibleEvidence(ctx, id);
      const step = await takeCustodyStep(ctx, directory, actor, action, record, body);
      res.status(201).json({ evidenceId: step.evidenceId, documentDigest: step.documentDigest, intent: intentView(ctx, step.intent) });
    });
  }
  return router;
}
