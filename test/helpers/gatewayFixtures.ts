import type { Dossier } from "../../gateway/src/dossier";
import { connectGateway, type GatewaySession, type Intent } from "../../sdk/src/gateway/client";
import { exampleDossier } from "../gateway/dossier/example";
import type { TestNetwork } from "./gateways";

/** A complete dossier from `from` to `to` under the network's treaty for that pair (UNTOC otherwise). */
export function dossierFor(net: TestNetwork, from: string, to: string, overrides: Partial<Dossier> = {}): Dossier {
  const base = exampleDossier();
  const bilateral = ["US", "MX"].includes(from) && ["US", "MX"].includes(to);
  return exampleDossier({
    requestingAuthority: { ...base.requestingAuthority, state: from },
    requestedAuthority: { ...base.requestedAuthority, state: to },
    treaty: { ...base.treaty, treatyId: bilateral ? net.consortium.bilateralTreaty : net.consortium.untocTreaty },
    language: "en",
    ...overrides,
  });
}

/** Signs in to `state`'s gateway as its account of `role`. */
export function sessionOf(net: TestNetwork, state: string, role: "authority" | "agency" | "verifier" | "gateway" = "authority"): Promise<GatewaySession> {
  return connectGateway(net.gateways[state]!.url, net.consortium.states[state]![role]);
}

/** Submits a request from `from` to `to` and waits until `to`'s gateway has indexed it. */
export async function submittedRequest(net: TestNetwork, from: GatewaySession, to: string): Promise<string> {
  const { requestId } = await from.write<{ requestId: string; intent: Intent }>("/v1/requests", {
    dossier: dossierFor(net, from.state, to),
  });
  return requestId;
}
