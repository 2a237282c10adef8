import { Router } from "express";
import { z } from "zod";
import { parseInput } from "../http/validate";
import type { SessionService } from "./sessions";

export const SignInBody = z.strictObject({
  message: z.string().min(1).max(4096),
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature in hex"),
});

/** `/v1/auth`: a SIWE nonce, sign in (bearer token), sign out. */
export function authRoutes(sessions: SessionService): Router {
  const router = Router();
  router.get("/v1/auth/nonce", async (_req, res) => {
    res.set("Cache-Control", "no-store").json({ nonce: await sessions.nonce() });
  });
  router.post("/v1/auth/session", async (req, res) => {
    const body = parseInput(SignInBody, req.body, "body");
    res.set("Cache-Control", "no-store").status(201).json(await sessions.signIn(body.message, body.signature));
  });
  router.delete("/v1/auth/session", async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (token) await sessions.signOut(token);
    res.status(204).end();
  });
  return router;
}
