import { Router } from "express";
import { z } from "zod";
import type { MembershipCache } from "../auth/membership";
import type { GatewayContext } from "../context";
import { Bytes32, parseInput, StateCode } from "../http/validate";
import { streamingRoute } from "../evidence/streamingRoute";
import { PEER_HEADERS } from "./message";
import { receivePush } from "./receive";

/** The path peers push blobs to (its body is the raw age file). */
export const PEER_BLOB_PATH = /^\/v1\/peer\/blobs\/[^/]+$/;

const Headers = z.object({
  [PEER_HEADERS.fromState]: StateCode,
  [PEER_HEADERS.signature]: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature in hex"),
  "content-length": z.coerce.number().int().nonnegative().optional(),
});

/** `PUT /v1/peer/blobs/{digest}`: public, authenticated by the pushing gateway's signature. */
export function peerRoutes(ctx: GatewayContext, memberships: MembershipCache): Router {
  const router = Router();
  router.put(
    "/v1/peer/blobs/:digest",
    streamingRoute(async (req, res) => {
      const digest = parseInput(Bytes32, req.params.digest, "digest");
      const h = parseInput(Headers, req.headers, "headers");
      const receipt = await receivePush(ctx, memberships, {
        digest,
        fromState: h[PEER_HEADERS.fromState],
        signature: h[PEER_HEADERS.signature],
        body: req,
        declaredLength: h["content-length"],
      });
      res.status(receipt.stored ? 201 : 200).json(receipt);
    }),
  );
  return router;
}
