import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayRequestError } from "../../../sdk/src/gateway/http";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { rawCall, signIntent } from "../../security/chain/rawCall";

describe.each(STORES)("an intent signed after its deadline (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"] });
    us = await sessionOf(net, "US");
  });
  afterAll(async () => {
    await net?.stop();
  });

  it("answers 410 and shows the intent expired; the call prepared again goes through", async () => {
    const authority = net.consortium.states.US!.authority;
    const rpc = new JsonRpcProvider(net.node.url, undefined, { staticNetwork: true });
    const { intent } = await us.call<{ intent: Intent }>("POST", "/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    const signature = await signIntent(authority, intent);
    const deadline = Number((intent.typedData.message as { deadline: string | number }).deadline);
    const now = Number((await rpc.getBlock("latest"))!.timestamp);
    await rpc.send("evm_increaseTime", [deadline - now + 1]);
    await rpc.send("evm_mine", []);
    // The gateway reads the chain clock at most once a second.
    await new Promise((r) => setTimeout(r, 1_100));

    const url = net.gateways.US!.url;
    const refused = await rawCall<{ status: number; detail: string }>(url, us.token, "POST", `/v1/intents/${intent.id}/signature`, { signature });
    expect(refused.status).toBe(410);
    expect(refused.body?.detail).toMatch(/expired: its deadline .* passed on chain; prepare the call again/);
    expect((await us.call<Intent>("GET", `/v1/intents/${intent.id}`)).status).toBe("expired");
    // Signed again, still gone; the SDK surfaces it as a typed error.
    await expect(us.sign(intent)).rejects.toSatisfy((e) => e instanceof GatewayRequestError && e.status === 410);

    // Its nonce is free again: the call prepared anew takes it and is mined.
    const again = await us.write<{ requestId: string; intent: Intent }>("/v1/requests", { dossier: dossierFor(net, "US", "MX") }, "mined");
    expect(again.intent.status).toBe("mined");
    expect((again.intent.typedData.message as { nonce: string | number }).nonce.toString()).toBe((intent.typedData.message as { nonce: string | number }).nonce.toString());
  });
});
