import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { RoleName } from "../../../sdk/src/ledger/types";
import { hasAnyRole, type Membership, type MembershipCache } from "../auth/membership";
import type { SessionService } from "../auth/sessions";
import { GatewayError } from "./errors";

/** The signed-in caller of a request (set by {authenticate}). */
export function actorOf(res: Response): Membership {
  const actor = res.locals.actor as Membership | undefined;
  if (!actor) throw new GatewayError("UNAUTHENTICATED", "sign in first (POST /v1/auth/session)");
  return actor;
}

/**
 * Bearer-token authentication: the session must be live, and the chain (cached, invalidated by indexed
 * role events) must still say the account belongs to this gateway's active state.
 */
export function authenticate(sessions: SessionService, memberships: MembershipCache, state: string): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
    if (!match) throw new GatewayError("UNAUTHENTICATED", "missing or malformed bearer token");
    const session = await sessions.lookup(match[1]!);
    if (!session) throw new GatewayError("UNAUTHENTICATED", "the session expired or was ended; sign in again");
    const m = await memberships.get(session.address);
    if (m.state !== state || m.roles === 0) throw new GatewayError("FORBIDDEN", `account ${session.address} is no longer an account of ${state}`);
    if (!m.stateActive) throw new GatewayError("FORBIDDEN", `${state} is not an active member state`);
    res.locals.actor = m;
    next();
  };
}

/** The caller must hold one of `roles` (the ledger checks again; this answers early and clearly). */
export function requireRole(res: Response, roles: readonly RoleName[]): Membership {
  const actor = actorOf(res);
  if (!hasAnyRole(actor, roles)) throw new GatewayError("FORBIDDEN", `this needs the role ${roles.join(" or ")}`);
  return actor;
}
