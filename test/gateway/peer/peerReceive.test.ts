import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { statusReached } from "../evidence/scenario";
import { pushAs } from "./peerHelpers";

describe.each(STORES)("PUT /v1/peer/blobs/{digest} (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let mx: GatewaySession;
  let digest: string;
  let ciphertext: Buffer;

  beforeAll(async () => {
    net = await startTestNetwork(store);
    // US pushes to a dead address, so the test delivers the dossier to MX by hand.
    net.configs.US = { ...net.configs.US!, peers: { MX: "http://127.0.0.1:9", ES: net.gateways.ES!.url } };
    await net.restart("US");
    [us, mx] = await Promise.all([sessionOf(net, "US"), sessionOf(net, "MX")]);
    const created = await us.write<{ requestId: string; documentDigest: string; intent: Intent }>("/v1/requests", {
      dossier: dossierFor(net, "US", "MX"),
    });
    digest = created.documentDigest;
    ciphertext = readFileSync(net.gateways.US!.ctx.blobs.pathOf(digest));
    await statusReached(mx, created.requestId, "Submitted");
  });
  afterAll(async () => net?.stop());

  const mxUrl = () => net.gateways.MX!.url;
  const usGateway = () => net.consortium.states.US!.gateway;
  const mxHolds = (d: string) => net.gateways.MX!.ctx.blobs.has(d);
  const mxTemp = () => readdirSync(join(net.configs.MX!.blobDir, "tmp"));

  it("answers 409 with Retry-After for a digest the chain does not commit to (yet)", async () => {
    const unknown = "0x" + randomBytes(32).toString("hex");
    const res = await pushAs(mxUrl(), { digest: unknown, body: Buffer.from("x"), fromState: "US", toState: "MX", signer: usGateway() });
    expect(res.status).toBe(409);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await mxHolds(unknown)).toBe(false);
  });

  it("refuses a body that does not hash to its digest (422) and keeps nothing", async () => {
    const res = await pushAs(mxUrl(), { digest, body: randomBytes(ciphertext.length), fromState: "US", toState: "MX", signer: usGateway() });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: "DIGEST_MISMATCH" });
    expect(await mxHolds(digest)).toBe(false);
    expect(mxTemp()).toEqual([]);
  });

  it("refuses a malformed signature (401), a signature for another recipient, a non-GATEWAY signer and a state the commitment does not name (403)", async () => {
    const base = { digest, body: ciphertext, fromState: "US", toState: "MX" };
    const malformed = await pushAs(mxUrl(), { ...base, signer: usGateway(), signature: "0x" + "00".repeat(65) });
    expect(malformed.status).toBe(401);
    const forEs = await pushAs(mxUrl(), { ...base, toState: "ES", signer: usGateway() });
    expect(forEs.status).toBe(403);
    const agency = await pushAs(mxUrl(), { ...base, signer: net.consortium.states.US!.agency });
    expect(agency.status).toBe(403);
    const authority = await pushAs(mxUrl(), { ...base, signer: net.consortium.states.US!.authority });
    expect(authority.status).toBe(403);
    const thirdState = await pushAs(mxUrl(), { ...base, fromState: "ES", signer: net.consortium.states.ES!.gateway });
    expect(thirdState.status).toBe(403);
    const impostor = await pushAs(mxUrl(), { ...base, fromState: "ES", signer: usGateway() });
    expect(impostor.status).toBe(403);
    expect(await mxHolds(digest)).toBe(false);
  });

  it("stores a committed ciphertext from the counterpart's gateway once (201, then 200) and serves the dossier", async () => {
    const first = await pushAs(mxUrl(), { digest, body: ciphertext, fromState: "US", toState: "MX", signer: usGateway() });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ digest, stored: true, size: ciphertext.length });
    const again = await pushAs(mxUrl(), { digest, body: ciphertext, fromState: "US", toState: "MX", signer: usGateway() });
    expect(again.status).toBe(200);
    const doc = await net.gateways.MX!.ctx.store.db.selectFrom("documents").selectAll().where("digest", "=", digest).executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ kind: "dossier", origin: "US" });
    const detail = await mx.call<{ documentDigest: string; requestId: string }>("GET", `/v1/requests/${doc.request_id}`);
    expect(detail.documentDigest).toBe(digest);
    expect(await mx.call("GET", `/v1/requests/${doc.request_id}/dossier`)).toMatchObject({ requestingAuthority: { state: "US" } });
  });
});
