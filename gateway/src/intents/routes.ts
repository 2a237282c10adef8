import { Router } from "express";
import { z } from "zod";
import type { GatewayContext } from "../context";
import { actorOf } from "../http/actor";
import { GatewayError, notFound } from "../http/errors";
import { parseInput } from "../http/validate";
import type { IntentRow } from "../store/tables";
import { acceptSignature } from "./sign";
import { intentView } from "./view";

export const SignatureBody = z.strictObject({ signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature in hex") });
export const WaitQuery = z.object({ wait: z.enum(["none", "mined", "indexed"]).default("none") });
const IdParam = z.object({ id: z.string().regex(/^0x[0-9a-f]{32}$/, "an intent id") });
const SETTLED = new Set(["mined", "failed", "expired"]);
const MAX_WAIT_MS = 60_000;

/**
 * `/v1/intents`: read a prepared call, and sign it (`?wait=mined|indexed` holds the answer until the
 * call is mined, or mined and visible in this gateway's index).
 */
export function intentRoutes(ctx: GatewayContext, indexedUpTo: () => number): Router {
  const router = Router();
  const load = async (id: string, actor: string): Promise<IntentRow> => {
    const row = await ctx.store.db.selectFrom("intents").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row || row.actor.toLowerCase() !== actor.toLowerCase()) throw notFound("intent", id);
    return row;
  };

  router.get("/v1/intents/:id", async (req, res) => {
    const { id } = parseInput(IdParam, req.params, "path");
    res.json(intentView(ctx, await load(id, actorOf(res).address)));
  });

  router.post("/v1/intents/:id/signature", async (req, res) => {
    const { id } = parseInput(IdParam, req.params, "path");
    const { wait } = parseInput(WaitQuery, req.query, "query");
    const { signature } = parseInput(SignatureBody, req.body, "body");
    const actor = actorOf(res);
    let row = await acceptSignature(ctx, actor, id, signature);
    if (wait !== "none") {
      const until = Date.now() + MAX_WAIT_MS;
      const done = (r: IntentRow) =>
        SETTLED.has(r.status) && (wait === "mined" || r.status !== "mined" || indexedUpTo() >= (r.block_number ?? Infinity));
      while (!done(row)) {
        if (Date.now() > until) throw new GatewayError("TIMEOUT", `intent ${id} is still ${row.status}; poll GET /v1/intents/${id}`);
        await new Promise((r) => setTimeout(r, 25));
        row = await load(id, actor.address);
      }
    }
    res.status(202).json(intentView(ctx, row));
  });
  return router;
}
