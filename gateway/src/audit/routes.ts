import { Router } from "express";
import { z } from "zod";
import type { GatewayContext } from "../context";
import { requireRole } from "../http/actor";
import { GatewayError } from "../http/errors";
import { parseInput } from "../http/validate";
import type { AuditProofs } from "./proofs";
import { auditEntryView } from "./view";

const ENTRY_ID = /^\d{15}-[0-9a-f]{12}$/;

/** Query of `GET /v1/audit`. */
export const AuditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(100).optional(),
  action: z.string().min(1).max(200).optional(),
  subject: z.string().min(1).max(200).optional(),
});

/**
 * `GET /v1/audit`: this gateway's audit log, newest first, for its state's central authorities and
 * verifiers; each entry with its salt, leaf value, batch anchoring and Merkle proof.
 * @example app.use(auditRoutes(ctx, new AuditProofs()))
 */
export function auditRoutes(ctx: GatewayContext, proofs: AuditProofs): Router {
  const router = Router();
  router.get("/v1/audit", async (req, res) => {
    requireRole(res, ["CENTRAL_AUTHORITY", "VERIFIER"]);
    const q = parseInput(AuditQuerySchema, req.query, "query");
    const db = ctx.store.db;
    let query = db.selectFrom("audit_entries").selectAll();
    if (q.action) query = query.where("action", "=", q.action);
    if (q.subject) query = query.where("subject", "=", q.subject);
    if (q.cursor) query = query.where("id", "<", decodeCursor(q.cursor));
    const rows = await query.orderBy("id", "desc").limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const roots = [...new Set(page.map((r) => r.batch_root).filter((r): r is string => r !== null))];
    const batches = roots.length ? await db.selectFrom("audit_batches").selectAll().where("root", "in", roots).execute() : [];
    const byRoot = new Map(batches.map((b) => [b.root, b]));
    const items = [];
    for (const row of page) {
      const proof = row.batch_root ? await proofs.of(db, row.batch_root, row.leaf_value) : null;
      items.push(auditEntryView(row, row.batch_root ? byRoot.get(row.batch_root) : undefined, proof));
    }
    const last = page.at(-1);
    res.json({ items, nextCursor: rows.length > q.limit && last ? Buffer.from(last.id).toString("base64url") : null });
  });
  return router;
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString();
  if (!ENTRY_ID.test(id)) throw new GatewayError("VALIDATION_FAILED", "the cursor is invalid");
  return id;
}
