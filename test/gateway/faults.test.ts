import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectLedger } from "../../sdk/src/ledger/contracts";
import { RequestStatus } from "../../sdk/src/ledger/types";
import type { GatewaySession, Intent } from "../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../helpers/gatewayFixtures";
import { startGatewayProcess, type GatewayProcess } from "../../scripts/lib/gatewayProcess";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../helpers/gateways";
import { startRpcProxy, type RpcProxy } from "../helpers/rpcProxy";
import { connectGateway } from "../../sdk/src/gateway/client";

/** Prepares and signs `n` requests without waiting for the chain; returns their intents as accepted (202). */
async function acceptedRequests(net: TestNetwork, s: GatewaySession, n: number): Promise<{ requestId: string; intent: Intent }[]> {
  const out: { requestId: string; intent: Intent }[] = [];
  for (let i = 0; i < n; i++) {
    const w = await s.call<{ requestId: string; intent: Intent }>("POST", "/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    out.push({ requestId: w.requestId, intent: await s.sign(w.intent, "none") });
  }
  return out;
}

/** Waits until every intent settled, and returns their final states. */
async function settled(s: GatewaySession, intents: { intent: Intent }[]): Promise<Intent[]> {
  return Promise.all(
    intents.map(({ intent }) =>
      eventually(async () => {
        const now = await s.call<Intent>("GET", `/v1/intents/${intent.id}`);
        return ["mined", "failed", "expired"].includes(now.status) ? now : undefined;
      }, 100),
    ),
  );
}

/** Every request is on-chain once: submitted, and exactly one RequestSubmitted event names it. */
async function anchoredExactlyOnce(net: TestNetwork, requestIds: string[]): Promise<void> {
  const ledger = connectLedger(net.consortium.deployment.contracts, net.consortium.states.US!.authority);
  const logs = await ledger.requests.queryFilter(ledger.requests.filters.RequestSubmitted(), 0, "latest");
  for (const id of requestIds) {
    expect(Number((await ledger.requests.request(id)).status)).toBe(RequestStatus.Submitted);
    expect(logs.filter((l) => l.args.requestId === id)).toHaveLength(1);
  }
}

describe.each(STORES)("faults: every accepted request ends anchored exactly once (%s)", (store) => {
  let net: TestNetwork;
  let proxy: RpcProxy;

  beforeAll(async () => {
    const node = await import("../../scripts/lib/hardhatNode").then((m) => m.startHardhatNode());
    proxy = await startRpcProxy(node.url);
    net = await startTestNetwork(store, { codes: ["US", "MX"], node, start: ["MX"], rpcUrl: proxy.url });
  });
  afterAll(async () => {
    await net?.stop();
    await proxy?.close();
    await net?.node.stop();
  });

  it("survives SIGKILL of the gateway at random moments while it relays, three times over", async () => {
    let gw: GatewayProcess = await startGatewayProcess(net.configs.US!);
    try {
      for (let round = 0; round < 3; round++) {
        const session = await connectGateway(gw.url, net.consortium.states.US!.authority);
        const accepted = await acceptedRequests(net, session, 8);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
        await gw.kill();
        gw = await startGatewayProcess(net.configs.US!);
        const final = await settled(session, accepted);
        expect(final.map((i) => i.status)).toEqual(final.map(() => "mined"));
        await anchoredExactlyOnce(net, accepted.map((a) => a.requestId));
      }
    } finally {
      await gw.stop();
    }
  });

  it("answers 503 with Retry-After while the chain node is down, queues signed work, and relays it once the node is back", async () => {
    const mx = await sessionOf(net, "MX");
    // The index catches up first: the founding's membership events, indexed later, would empty the cache
    // of memberships that lets the signed-in account act while the node is down.
    const head = await net.gateways.MX!.ctx.chain.provider.getBlockNumber();
    await eventually(async () => (net.gateways.MX!.indexer.checkpoint >= head ? true : undefined));
    const ready = await Promise.all([0, 1, 2, 3].map(() => mx.call<{ requestId: string; intent: Intent }>("POST", "/v1/requests", { dossier: dossierFor(net, "MX", "US") })));
    proxy.setDown(true);
    try {
      const refused = await fetch(`${mx.url}/v1/requests`, {
        method: "POST",
        headers: { authorization: `Bearer ${mx.token}`, "content-type": "application/json" },
        body: JSON.stringify({ dossier: dossierFor(net, "MX", "US") }),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBeTruthy();
      for (const r of ready) expect((await mx.sign(r.intent, "none")).status).toBe("queued");
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      proxy.setDown(false);
    }
    const final = await settled(mx, ready);
    expect(final.map((i) => i.status)).toEqual(final.map(() => "mined"));
    const ledger = connectLedger(net.consortium.deployment.contracts, net.consortium.states.MX!.authority);
    for (const r of ready) expect(Number((await ledger.requests.request(r.requestId)).status)).toBe(RequestStatus.Submitted);
  });
});
