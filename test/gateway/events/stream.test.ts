import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { subscribeEvents, type EventSubscription, type GatewayEvent } from "../../../sdk/src/gateway/events";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";

type Written = { requestId: string; intent: Intent };
type Collected = { sub: EventSubscription; events: GatewayEvent[] };

const requestOf = (e: GatewayEvent) => (e.data as { requestId?: string }).requestId;

describe.each(STORES)("GET /v1/events (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let mx: GatewaySession;
  let es: GatewaySession;
  const open: EventSubscription[] = [];

  const collect = async (s: GatewaySession, lastEventId?: string): Promise<Collected> => {
    const events: GatewayEvent[] = [];
    const sub = subscribeEvents(s, (e) => events.push(e), { lastEventId, reconnect: false });
    open.push(sub);
    await sub.opened;
    return { sub, events };
  };

  beforeAll(async () => {
    // Every open request's deadlines fall inside a ten-year warning window.
    net = await startTestNetwork(store, { overrides: { deadlineWarningSeconds: 10 * 365 * 86_400 } });
    [us, mx, es] = await Promise.all([sessionOf(net, "US"), sessionOf(net, "MX"), sessionOf(net, "ES")]);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await net?.stop();
  });

  it("streams a party's request events with deadline warnings, and nothing to a third state", async () => {
    const [atMx, atEs] = await Promise.all([collect(mx), collect(es)]);
    const { requestId } = await us.write<Written>("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    const submitted = await eventually(async () => atMx.events.find((e) => e.event === "RequestSubmitted" && requestOf(e) === requestId));
    expect(submitted.id).toMatch(/^\d+:\d+$/);
    expect(submitted.data).toMatchObject({ contract: "requests", requestId, id: submitted.id });
    const warnings = await eventually(async () => {
      const w = atMx.events.filter((e) => e.event === "deadline-warning" && requestOf(e) === requestId);
      return w.length === 2 ? w : undefined;
    });
    expect(warnings.map((w) => (w.data as { deadline: string }).deadline).sort()).toEqual(["acknowledgement", "response"]);
    expect(warnings.every((w) => w.id === undefined)).toBe(true);
    // ES's stream delivers in chain order: once its own later request arrives, the earlier one would have.
    const { requestId: toEs } = await us.write<Written>("/v1/requests", { dossier: dossierFor(net, "US", "ES") });
    await eventually(async () => atEs.events.find((e) => e.event === "RequestSubmitted" && requestOf(e) === toEs));
    expect(atEs.events.filter((e) => requestOf(e) === requestId)).toEqual([]);
  });

  it("replays what came after Last-Event-ID before live events, without repeating it", async () => {
    const { requestId } = await us.write<Written>("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    await eventually(async () => ((await mx.call<{ status: string }>("GET", `/v1/requests/${requestId}`)).status === "Submitted" ? true : undefined));
    const fromStart = await collect(mx, "0:0");
    const submitted = await eventually(async () => fromStart.events.find((e) => e.event === "RequestSubmitted" && requestOf(e) === requestId));
    fromStart.sub.close();

    await mx.write<Written>(`/v1/requests/${requestId}/acknowledge`, {});
    const resumed = await collect(mx, submitted.id);
    const next = await eventually(async () => resumed.events.find((e) => e.id !== undefined && requestOf(e) === requestId));
    expect(next.event).toBe("RequestStatusChanged");
    expect(resumed.events.some((e) => e.id === submitted.id)).toBe(false);
    const ids = resumed.events.filter((e) => e.id).map((e) => e.id!);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("bounds streams per account and frees a slot when a client disconnects", async () => {
    const agency = await sessionOf(net, "MX", "agency");
    const subs: EventSubscription[] = [];
    for (let i = 0; i < 8; i++) {
      const s = subscribeEvents(agency, () => {}, { reconnect: false });
      open.push(s);
      await s.opened;
      subs.push(s);
    }
    const refused = subscribeEvents(agency, () => {}, { reconnect: false });
    await expect(refused.done).rejects.toMatchObject({ status: 429 });
    subs[0]!.close();
    const again = await eventually(async () => {
      const s = subscribeEvents(agency, () => {}, { reconnect: false });
      const ok = await Promise.race([s.opened.then(() => true), s.done.then(() => false, () => false)]);
      if (ok) open.push(s);
      return ok ? s : undefined;
    });
    expect(again.lastEventId).toBeUndefined();
  });

  it("answers 401 without a session and 400 to a malformed Last-Event-ID", async () => {
    expect((await fetch(`${mx.url}/v1/events`)).status).toBe(401);
    const bad = await fetch(`${mx.url}/v1/events`, { headers: { authorization: `Bearer ${mx.token}`, "last-event-id": "yesterday" } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/problem\+json/);
  });
});
