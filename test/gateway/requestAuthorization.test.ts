import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession } from "../../sdk/src/gateway/client";
import { LIFECYCLE_ACTIONS } from "../../gateway/src/requests/actions";
import { sessionOf, submittedRequest } from "../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../helpers/gateways";

/** The status and body of a raw call, never throwing. */
async function raw(base: string, method: string, path: string, token?: string, json?: unknown) {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { "content-type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, text: await res.text() };
}

describe.each(STORES)("who may see and do what on a request (%s)", (store) => {
  let net: TestNetwork;
  let actors: Record<string, GatewaySession>;
  let requestId: string;
  let dossierMarker: string;

  beforeAll(async () => {
    net = await startTestNetwork(store);
    actors = {
      "requesting CA": await sessionOf(net, "US"),
      "requesting agency": await sessionOf(net, "US", "agency"),
      "requesting verifier": await sessionOf(net, "US", "verifier"),
      "requested CA": await sessionOf(net, "MX"),
      "third state CA": await sessionOf(net, "ES"),
    };
    requestId = await submittedRequest(net, actors["requesting CA"]!, "MX");
    dossierMarker = "Lorenzo";
    await eventually(async () => (await actors["requested CA"]!.call("GET", `/v1/requests/${requestId}`)) ?? undefined);
  });
  afterAll(async () => net?.stop());

  const call = (who: string | undefined, method: string, path: string, json?: unknown) => {
    const s = who ? actors[who]! : actors["requesting CA"]!;
    return raw(s.url, method, path, who ? s.token : undefined, json);
  };

  it.each([
    ["requesting CA", 200],
    ["requesting agency", 200],
    ["requesting verifier", 200],
    ["requested CA", 200],
    ["third state CA", 404],
    [undefined, 401],
  ] as const)("GET the request as %s → %i", async (who, expected) => {
    expect((await call(who, "GET", `/v1/requests/${requestId}`)).status).toBe(expected);
  });

  it.each([
    ["requesting CA", 200],
    ["third state CA", 404],
    [undefined, 401],
  ] as const)("GET the decrypted dossier as %s → %i, and never a byte of it otherwise", async (who, expected) => {
    const r = await call(who, "GET", `/v1/requests/${requestId}/dossier`);
    expect(r.status).toBe(expected);
    if (expected !== 200) expect(r.text).not.toContain(dossierMarker);
  });

  it("answers an absent request and another state's request with the same 404", async () => {
    const absent = "0x" + "ab".repeat(32);
    const other = await call("third state CA", "GET", `/v1/requests/${requestId}`);
    const missing = await call("third state CA", "GET", `/v1/requests/${absent}`);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.text.replaceAll(requestId, "ID")).toBe(missing.text.replaceAll(absent, "ID"));
  });

  describe.each(LIFECYCLE_ACTIONS.map((a) => [a.path, a] as const))("POST …/%s", (path, action) => {
    const own = action.party === "requesting" ? "requesting CA" : "requested CA";
    const other = action.party === "requesting" ? "requested CA" : "requesting CA";
    const body = { reason: "Other", acceptedTypes: ["BANK_RECORDS"], respondBy: "2030-01-01T00:00:00Z", priority: "urgent", document: { note: "x" } };
    const bodyFor = (a: typeof action) => Object.fromEntries(Object.entries(body).filter(([k]) => k === "document" || (a.body as { shape?: Record<string, unknown> }).shape?.[k]));

    it(`is refused to the other party (403), a non-CA (403), a third state (404) and anonymous callers (401)`, async () => {
      expect((await call(other, "POST", `/v1/requests/${requestId}/${path}`, bodyFor(action))).status).toBe(403);
      const nonCa = action.party === "requesting" ? "requesting agency" : undefined;
      if (nonCa) expect((await call(nonCa, "POST", `/v1/requests/${requestId}/${path}`, bodyFor(action))).status).toBe(403);
      expect((await call("third state CA", "POST", `/v1/requests/${requestId}/${path}`, bodyFor(action))).status).toBe(404);
      expect((await call(undefined, "POST", `/v1/requests/${requestId}/${path}`, bodyFor(action))).status).toBe(401);
    });

    it(`is judged by the ledger for its own party (201 prepared, or 422 naming the ledger's error)`, async () => {
      const r = await call(own, "POST", `/v1/requests/${requestId}/${path}`, bodyFor(action));
      expect([201, 422]).toContain(r.status);
      if (r.status === 422) expect(JSON.parse(r.text)).toMatchObject({ code: "LEDGER_REFUSED" });
    });
  });

  it("hides another account's intents behind the same 404", async () => {
    const { intent } = await actors["requesting CA"]!.call<{ intent: { id: string } }>("POST", `/v1/requests/${requestId}/priority`, { priority: "routine" });
    expect((await call("requesting agency", "GET", `/v1/intents/${intent.id}`)).status).toBe(404);
    expect((await call("requesting CA", "GET", `/v1/intents/${intent.id}`)).status).toBe(200);
  });
});
