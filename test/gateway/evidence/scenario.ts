import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, type TestNetwork } from "../../helpers/gateways";

type Written = { requestId: string; intent: Intent };

/** Waits until `session`'s gateway shows the request in `status`. */
export async function statusReached(session: GatewaySession, requestId: string, status: string): Promise<void> {
  await eventually(async () => ((await session.call<{ status: string }>("GET", `/v1/requests/${requestId}`)).status === status ? true : undefined));
}

/**
 * A request from `requesting` to `requested` taken through acknowledgement and acceptance into execution
 * over REST; resolves once both gateways show it InExecution.
 */
export async function requestInExecution(net: TestNetwork, requesting: GatewaySession, requested: GatewaySession): Promise<string> {
  const { requestId } = await requesting.write<Written>("/v1/requests", { dossier: dossierFor(net, requesting.state, requested.state) });
  await statusReached(requested, requestId, "Submitted");
  for (const step of ["acknowledge", "accept", "start-execution"]) await requested.write<Written>(`/v1/requests/${requestId}/${step}`, {});
  await statusReached(requesting, requestId, "InExecution");
  return requestId;
}

/** A file of `size` random bytes in the network's temp directory. */
export function randomFile(net: TestNetwork, name: string, size: number): { path: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  const path = join(net.dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** A raw authenticated request to a session's gateway (for bodies and statuses the SDK helpers hide). */
export function rawCall(session: GatewaySession, method: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${session.token}`);
  return fetch(new URL(path, session.url), { ...init, method, headers });
}

/** The sessions an evidence case needs: the central authorities of US, MX and ES, and the agencies of US and MX. */
export interface CaseSessions {
  us: GatewaySession;
  mx: GatewaySession;
  es: GatewaySession;
  usAgency: GatewaySession;
  mxAgency: GatewaySession;
}

/** Signs in every session of {@link CaseSessions}. */
export async function caseSessions(net: TestNetwork): Promise<CaseSessions> {
  const [us, mx, es, usAgency, mxAgency] = await Promise.all([
    sessionOf(net, "US"),
    sessionOf(net, "MX"),
    sessionOf(net, "ES"),
    sessionOf(net, "US", "agency"),
    sessionOf(net, "MX", "agency"),
  ]);
  return { us, mx, es, usAgency, mxAgency };
}
