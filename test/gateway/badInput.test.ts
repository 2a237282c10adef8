import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession } from "../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../helpers/gatewayFixtures";
import { STORES, startTestNetwork, type TestNetwork } from "../helpers/gateways";

describe.each(STORES)("bad input to the request API (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"], overrides: { jsonLimitBytes: 64 * 1024 } });
    us = await sessionOf(net, "US");
  });
  afterAll(async () => net?.stop());

  /** Counts what the US gateway stores, to prove a refused call stored nothing. */
  async function stored() {
    const db = net.gateways.US!.ctx.store.db;
    const blobs = (dir: string): number =>
      readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? (e.name === "tmp" ? 0 : blobs(join(dir, e.name))) : 1), 0);
    return {
      documents: (await db.selectFrom("documents").select("digest").execute()).length,
      intents: (await db.selectFrom("intents").select("id").execute()).length,
      jobs: (await db.selectFrom("jobs").select("id").execute()).length,
      blobs: blobs(net.configs.US!.blobDir!),
    };
  }

  async function post(body: string, contentType = "application/json") {
    const res = await fetch(`${us.url}/v1/requests`, {
      method: "POST",
      headers: { authorization: `Bearer ${us.token}`, "content-type": contentType },
      body,
    });
    return { status: res.status, type: res.headers.get("content-type") ?? "", problem: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
  }

  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const cases: [string, () => string, number, string][] = [
    ["malformed JSON", () => '{"dossier": {', 400, "BAD_REQUEST"],
    ["a JSON array instead of an object", () => "[1,2]", 400, "VALIDATION_FAILED"],
    ["wrong types in the dossier", () => JSON.stringify({ dossier: { format: 7, language: [] } }), 400, "VALIDATION_FAILED"],
    ["an unknown top-level key", () => JSON.stringify({ dossier: {}, admin: true }), 400, "VALIDATION_FAILED"],
    ["a __proto__ key", () => '{"dossier": {}, "__proto__": {"polluted": true}}', 400, "BAD_REQUEST"],
    ["JSON nested 10,000 deep", () => JSON.stringify({ dossier: { x: "PLACEHOLDER" } }).replace('"PLACEHOLDER"', nested(10_000)), 400, "BAD_REQUEST"],
    ["a body over the size limit", () => JSON.stringify({ dossier: { facts: "x".repeat(70 * 1024) } }), 413, "PAYLOAD_TOO_LARGE"],
    ["a malformed request id", () => JSON.stringify({ requestId: "0x1234", dossier: {} }), 400, "VALIDATION_FAILED"],
  ];

  it.each(cases)("answers %s with a problem document and stores nothing", async (_name, body, status, code) => {
    const before = await stored();
    const r = await post(body());
    expect(r.status).toBe(status);
    expect(r.type).toMatch(/application\/problem\+json/);
    expect(r.problem).toMatchObject({ status, code });
    expect(await stored()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("names every missing item of an incomplete dossier (422) and stores nothing", async () => {
    const before = await stored();
    const dossier = dossierFor(net, "US", "MX", { persons: undefined, offences: undefined });
    const r = await post(JSON.stringify({ dossier }));
    expect(r.status).toBe(422);
    const missing = (r.problem!.missing as { path: string }[]).map((m) => m.path);
    expect(missing).toEqual(expect.arrayContaining(["persons", "offences"]));
    expect(await stored()).toEqual(before);
  });

  it("answers a well-formed unknown request id with 404 and a malformed one with 400", async () => {
    const unknown = await fetch(`${us.url}/v1/requests/0x${"cd".repeat(32)}`, { headers: { authorization: `Bearer ${us.token}` } });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${us.url}/v1/requests/not-an-id`, { headers: { authorization: `Bearer ${us.token}` } });
    expect(malformed.status).toBe(400);
  });

  it("answers an unknown route with a 404 problem document", async () => {
    const res = await fetch(`${us.url}/v1/nothing-here`, { headers: { authorization: `Bearer ${us.token}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("refuses a signature that is not the intent's account's, and keeps the intent open", async () => {
    const { intent } = await us.call<{ intent: { id: string; typedData: { domain: Record<string, unknown>; types: Record<string, never>; message: Record<string, unknown> } } }>(
      "POST",
      "/v1/requests",
      { dossier: dossierFor(net, "US", "MX") },
    );
    const t = intent.typedData;
    const forged = await net.consortium.states.US!.agency.signTypedData(t.domain, t.types, t.message);
    const res = await fetch(`${us.url}/v1/intents/${intent.id}/signature`, {
      method: "POST",
      headers: { authorization: `Bearer ${us.token}`, "content-type": "application/json" },
      body: JSON.stringify({ signature: forged }),
    });
    expect(res.status).toBe(400);
    expect((await us.call<{ status: string }>("GET", `/v1/intents/${intent.id}`)).status).toBe("awaiting-signature");
  });
});
