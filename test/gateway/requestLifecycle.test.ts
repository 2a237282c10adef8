import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../helpers/gateways";

type Written = { requestId: string; documentDigest: string | null; intent: Intent };

describe.each(STORES)("a request's lifecycle through REST (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let mx: GatewaySession;

  beforeAll(async () => {
    net = await startTestNetwork(store);
    us = await sessionOf(net, "US");
    mx = await sessionOf(net, "MX");
  });
  afterAll(async () => net?.stop());

  const status = async (s: GatewaySession, id: string) => (await s.call<{ status: string }>("GET", `/v1/requests/${id}`)).status;

  it("goes from submission through clarification and execution to closure, seen alike by both gateways", async () => {
    const dossier = dossierFor(net, "US", "MX");
    const created = await us.write<Written>("/v1/requests", { dossier });
    expect(created.intent.status).toBe("mined");
    expect(await us.call("GET", `/v1/requests/${created.requestId}/dossier`)).toEqual(dossier);
    const id = created.requestId;
    await eventually(async () => ((await status(mx, id)) === "Submitted" ? true : undefined));

    const steps: [GatewaySession, string, object, string][] = [
      [mx, "acknowledge", {}, "Acknowledged"],
      [mx, "clarification-request", { document: { question: "Which accounts exactly?" } }, "ClarificationRequested"],
      [us, "clarification", { document: { answer: "Accounts ending 0042 and 0043." } }, "Acknowledged"],
      [mx, "accept", {}, "Accepted"],
      [mx, "start-execution", {}, "InExecution"],
      [mx, "complete", { document: { response: "Records attached as evidence." } }, "Executed"],
      [us, "close", {}, "Closed"],
    ];
    for (const [session, action, body, expected] of steps) {
      const w = await session.write<Written>(`/v1/requests/${id}/${action}`, body);
      expect(w.intent.status, action).toBe("mined");
      expect(await status(session, id)).toBe(expected);
    }
    await eventually(async () => ((await status(mx, id)) === "Closed" ? true : undefined));
    const detail = await mx.call<{ timeline: { event: string; status: string | null }[] }>("GET", `/v1/requests/${id}`);
    expect(detail.timeline.map((t) => t.status)).toEqual([
      "Submitted",
      "Acknowledged",
      "ClarificationRequested",
      "Acknowledged",
      "Accepted",
      "InExecution",
      "Executed",
      "Closed",
    ]);
  });

  it("lists requests by counterpart, status and role, with paging", async () => {
    for (let i = 0; i < 3; i++) await us.write<Written>("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    const page1 = await us.call<{ items: { requestId: string }[]; nextCursor: string | null }>("GET", "/v1/requests?counterpart=MX&status=Submitted&limit=2");
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await us.call<{ items: { requestId: string }[] }>("GET", `/v1/requests?counterpart=MX&status=Submitted&limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.length).toBeGreaterThanOrEqual(1);
    expect(page2.items.map((r) => r.requestId)).not.toContain(page1.items[0]!.requestId);
    const requested = await us.call<{ items: unknown[] }>("GET", "/v1/requests?role=requested");
    expect(requested.items).toHaveLength(0);
  });

  it("refuses a step the ledger would refuse, naming the ledger's error, and stores nothing for it", async () => {
    const { requestId } = await us.write<Written>("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    await eventually(async () => ((await status(mx, requestId)) === "Submitted" ? true : undefined));
    const before = await net.gateways.MX!.ctx.store.db.selectFrom("intents").select("id").execute();
    const error = await mx.call("POST", `/v1/requests/${requestId}/start-execution`, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, problem: { code: "LEDGER_REFUSED", ledgerError: "RequestUnexpectedStatus" } });
    const after = await net.gateways.MX!.ctx.store.db.selectFrom("intents").select("id").execute();
    expect(after).toHaveLength(before.length);
  });
});
