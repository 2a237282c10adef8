/**
 * Route × actor authorization matrix over REST, generated from the gateway's `/openapi.json`: every
 * operation (on a request, two evidence items, an intent, a document) × every actor (own-state central
 * authority, own-state agency and verifier, counterpart state, third state, anonymous; for the peer
 * endpoint also the counterpart's and a third state's gateway) → the status written in the table below.
 * The test fails when the OpenAPI document has an operation the table lacks. Every answer is searched for
 * plaintext markers planted in the dossier, a step's letter, an offer's letter and two evidence files
 * (content and manifest): none may reach a state the chain does not entitle — including the former
 * custodian after a custody move. Absent records and records of another state answer byte-identical 404s.
 * Lifecycle rules of one request are in test/gateway/requestAuthorization.test.ts; this covers every route.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { SiweMessage } from "siwe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peerPushMessage } from "../../../gateway/src/peer/message";
import { connectGateway, type GatewaySession, type Intent } from "../../../sdk/src/gateway/client";
import { acceptEvidenceCustody, offerEvidenceCustody, uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { statusReached } from "../../gateway/evidence/scenario";

/** The actors of every row: US is "own", MX the counterpart of the request, ES a third state. */
const ACTORS = ["ownCA", "ownAgency", "ownVerifier", "counterpart", "third", "anonymous"] as const;
type Actor = (typeof ACTORS)[number];
/** Extra actors of the peer endpoint: the counterpart's gateway, and a gateway the commitment does not name. */
const PEER_ACTORS = ["peerGateway", "nonPeerGateway"] as const;
type PeerActor = (typeof PEER_ACTORS)[number];

/** Records a row acts on: R (US → MX, in execution), E1 (custodian MX), E2 (moved from MX to US), I (an intent of US's CA), D (R's dossier). */
type Target = "-" | "R" | "E1" | "E2" | "I" | "R,D";

interface Row {
  op: string;
  on: Target;
  /** Every actor calls this state's gateway (default: its own; anonymous calls US's). */
  at?: "US";
  expect: Record<Actor, number> & Partial<Record<PeerActor, number>>;
}

const all = (status: number): Record<Actor, number> => Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<Actor, number>;
/** A read of a request or evidence item all of US's accounts and MX may make, ES may not even see. */
const partyRead = { ownCA: 200, ownAgency: 200, ownVerifier: 200, counterpart: 200, third: 404, anonymous: 401 };
/** A lifecycle step of the requested state (MX): the ledger judges MX's call (R is in execution). */
const requestedStep = (ledger: number) => ({ ownCA: 403, ownAgency: 403, ownVerifier: 403, counterpart: ledger, third: 404, anonymous: 401 });
/** A lifecycle step of the requesting state (US): the ledger judges US's CA's call. */
const requestingStep = (ledger: number) => ({ ownCA: ledger, ownAgency: 403, ownVerifier: 403, counterpart: 403, third: 404, anonymous: 401 });
/** A custody step of the custodian (MX for E1). */
const custodianStep = (ledger: number) => ({ ownCA: 403, ownAgency: 403, ownVerifier: 403, counterpart: ledger, third: 404, anonymous: 401 });

/**
 * The expectation table: every operation of the OpenAPI document, the record it acts on, and the status
 * each actor must get (each actor calls its own state's gateway; anonymous calls US's).
 */
const MATRIX: Row[] = [
  { op: "GET /v1/auth/nonce", on: "-", expect: all(200) },
  // A correctly signed SIWE message for US's gateway: only accounts of US get a session.
  { op: "POST /v1/auth/session", on: "-", at: "US", expect: { ownCA: 201, ownAgency: 201, ownVerifier: 201, counterpart: 403, third: 403, anonymous: 403 } },
  // Signing out a throwaway session of the actor's own (always 204, idempotent).
  { op: "DELETE /v1/auth/session", on: "-", expect: all(204) },
  { op: "GET /v1/info", on: "-", expect: all(200) },
  { op: "GET /v1/requirements", on: "-", expect: all(200) },
  { op: "POST /v1/requests", on: "-", expect: { ownCA: 201, ownAgency: 403, ownVerifier: 403, counterpart: 201, third: 201, anonymous: 401 } },
  { op: "GET /v1/requests", on: "-", expect: { ...all(200), anonymous: 401 } },
  { op: "GET /v1/requests/{id}", on: "R", expect: partyRead },
  { op: "GET /v1/requests/{id}/dossier", on: "R", expect: partyRead },
  { op: "GET /v1/requests/{id}/documents/{digest}", on: "R,D", expect: partyRead },
  { op: "POST /v1/requests/{id}/acknowledge", on: "R", expect: requestedStep(422) },
  { op: "POST /v1/requests/{id}/clarification-request", on: "R", expect: requestedStep(422) },
  { op: "POST /v1/requests/{id}/clarification", on: "R", expect: requestingStep(422) },
  { op: "POST /v1/requests/{id}/accept", on: "R", expect: requestedStep(422) },
  { op: "POST /v1/requests/{id}/partial-accept", on: "R", expect: requestedStep(422) },
  { op: "POST /v1/requests/{id}/refuse", on: "R", expect: requestedStep(422) },
  { op: "POST /v1/requests/{id}/start-execution", on: "R", expect: requestedStep(422) },
  { op: "POST /v1/requests/{id}/complete", on: "R", expect: requestedStep(201) },
  { op: "POST /v1/requests/{id}/close", on: "R", expect: requestingStep(422) },
  { op: "POST /v1/requests/{id}/withdraw", on: "R", expect: requestingStep(201) },
  { op: "POST /v1/requests/{id}/extend-deadline", on: "R", expect: requestingStep(201) },
  { op: "POST /v1/requests/{id}/priority", on: "R", expect: requestingStep(201) },
  // Only the executing state (MX) registers evidence; US's accounts are refused whatever their role.
  { op: "POST /v1/requests/{id}/evidence", on: "R", expect: { ownCA: 403, ownAgency: 403, ownVerifier: 403, counterpart: 201, third: 404, anonymous: 401 } },
  { op: "GET /v1/requests/{id}/evidence", on: "R", expect: partyRead },
  { op: "GET /v1/evidence/{id}", on: "E1", expect: partyRead },
  { op: "GET /v1/evidence/{id}", on: "E2", expect: partyRead },
  ...["content", "bundle", "verify"].flatMap((read): Row[] => [
    // E1: US is entitled (requesting state) but holds no ciphertext until an offer (409); MX is the custodian.
    { op: `GET /v1/evidence/{id}/${read}`, on: "E1", expect: { ownCA: 409, ownAgency: 409, ownVerifier: 409, counterpart: 200, third: 404, anonymous: 401 } },
    // E2: custody moved from MX to US: MX, the former custodian, is no longer entitled.
    { op: `GET /v1/evidence/{id}/${read}`, on: "E2", expect: { ownCA: 200, ownAgency: 200, ownVerifier: 200, counterpart: 403, third: 404, anonymous: 401 } },
  ]),
  { op: "POST /v1/evidence/{id}/offer", on: "E1", expect: custodianStep(201) },
  { op: "POST /v1/evidence/{id}/accept", on: "E1", expect: { ...custodianStep(403) } },
  { op: "POST /v1/evidence/{id}/reject", on: "E1", expect: { ...custodianStep(403) } },
  { op: "POST /v1/evidence/{id}/cancel-offer", on: "E1", expect: custodianStep(422) },
  { op: "POST /v1/evidence/{id}/dispose", on: "E1", expect: custodianStep(201) },
  // E2's custodian is US now: the custody steps are US's to take.
  { op: "POST /v1/evidence/{id}/offer", on: "E2", expect: { ownCA: 201, ownAgency: 201, ownVerifier: 403, counterpart: 403, third: 404, anonymous: 401 } },
  { op: "GET /v1/intents/{id}", on: "I", expect: { ownCA: 200, ownAgency: 404, ownVerifier: 404, counterpart: 404, third: 404, anonymous: 401 } },
  // A well-formed signature that is not the intent's account's: 400 for the owner, the same 404 for everyone else.
  { op: "POST /v1/intents/{id}/signature", on: "I", expect: { ownCA: 400, ownAgency: 404, ownVerifier: 404, counterpart: 404, third: 404, anonymous: 401 } },
  { op: "GET /v1/audit", on: "-", expect: { ownCA: 200, ownAgency: 403, ownVerifier: 200, counterpart: 200, third: 200, anonymous: 401 } },
  { op: "GET /v1/events", on: "-", expect: { ...all(200), anonymous: 401 } },
  // Sessions do not sign pushes: without the peer headers every actor gets 400; the counterpart's gateway
  // re-pushing R's dossier gets 200 (already held); a gateway the commitment does not name, 403.
  { op: "PUT /v1/peer/blobs/{digest}", on: "R,D", expect: { ...all(400), peerGateway: 200, nonPeerGateway: 403 } },
  { op: "GET /healthz", on: "-", expect: all(200) },
  { op: "GET /readyz", on: "-", expect: all(200) },
  { op: "GET /metrics", on: "-", expect: all(200) },
  { op: "GET /openapi.json", on: "-", expect: all(200) },
];

/** Which states the chain entitles to each planted plaintext (after E2 moved from MX to US). */
const ENTITLED = {
  dossier: ["US", "MX"],
  acknowledgement: ["US", "MX"],
  e1Content: ["MX", "US"],
  e1Manifest: ["MX", "US"],
  e2Content: ["US"],
  e2Manifest: ["US"],
  offerLetter: ["US", "MX"],
} as const satisfies Record<string, readonly string[]>;

interface Answer {
  status: number;
  contentType: string;
  headers: [string, string][];
  text: string;
}

describe.each(STORES)("route × actor authorization matrix (%s)", (store) => {
  let net: TestNetwork;
  let sessions: Record<Exclude<Actor, "anonymous">, GatewaySession>;
  let ids: { R: string; E1: string; E2: string; I: string; D: string };
  let markers: Record<keyof typeof ENTITLED, string>;
  let priority: string;
  let doc: { paths: Record<string, Record<string, unknown>> };
  const answers: { actor: string; state: string; row: string; answer: Answer }[] = [];

  beforeAll(async () => {
    net = await startTestNetwork(store);
    const tag = randomBytes(6).toString("hex");
    markers = Object.fromEntries(Object.keys(ENTITLED).map((k) => [k, `MARKER-${k}-${tag}`])) as typeof markers;
    const [usCa, usAgency, usVerifier, mxCa, mxAgency, esCa] = await Promise.all([
      sessionOf(net, "US"),
      sessionOf(net, "US", "agency"),
      sessionOf(net, "US", "verifier"),
      sessionOf(net, "MX"),
      sessionOf(net, "MX", "agency"),
      sessionOf(net, "ES"),
    ]);
    sessions = { ownCA: usCa, ownAgency: usAgency, ownVerifier: usVerifier, counterpart: mxCa, third: esCa };

    // R: US asks MX; MX acknowledges with a letter, accepts and starts execution.
    const base = dossierFor(net, "US", "MX");
    const { requestId: R, documentDigest: D } = await usCa.write<{ requestId: string; documentDigest: string; intent: Intent }>("/v1/requests", {
      dossier: { ...base, factsSummary: `${base.factsSummary} ${markers.dossier}` },
    });
    await statusReached(mxCa, R, "Submitted");
    await mxCa.write(`/v1/requests/${R}/acknowledge`, { document: { letter: markers.acknowledgement } });
    for (const step of ["accept", "start-execution"]) await mxCa.write(`/v1/requests/${R}/${step}`, {});
    await statusReached(usCa, R, "InExecution");

    // E1 stays with MX; E2 is offered (with a letter) to US and accepted: MX is its former custodian.
    const file = (name: string, marker: string) => {
      const path = join(net.dir, name);
      writeFileSync(path, `evidence file ${name}\n${marker}\n${randomBytes(2048).toString("base64")}\n`);
      return path;
    };
    const e1 = await uploadEvidence(mxAgency, R, file("e1.txt", markers.e1Content), { mediaType: "text/plain", description: markers.e1Manifest });
    const e2 = await uploadEvidence(mxAgency, R, file("e2.txt", markers.e2Content), { mediaType: "text/plain", description: markers.e2Manifest });
    await offerEvidenceCustody(mxAgency, e2.evidenceId, { toState: "US", document: { letter: markers.offerLetter } });
    await eventually(async () => ((await usAgency.call<{ held: { payload: boolean; manifest: boolean } }>("GET", `/v1/evidence/${e2.evidenceId}`)).held.manifest ? true : undefined));
    await acceptEvidenceCustody(usAgency, e2.evidenceId);
    await eventually(async () => ((await mxCa.call<{ custodianState: string }>("GET", `/v1/evidence/${e2.evidenceId}`)).custodianState === "US" ? true : undefined));

    // I: an intent of US's CA, prepared and left unsigned (last: an unsigned intent holds back the account's later relays).
    priority = (await usCa.call<{ priority: string }>("GET", `/v1/requests/${R}`)).priority;
    const flipped = priority === "urgent" ? "routine" : "urgent";
    const { intent } = await usCa.call<{ intent: Intent }>("POST", `/v1/requests/${R}/priority`, { priority: flipped });
    priority = flipped;
    ids = { R, E1: e1.evidenceId, E2: e2.evidenceId, I: intent.id, D };
    doc = (await (await fetch(`${net.gateways.US!.url}/openapi.json`)).json()) as typeof doc;
  });
  afterAll(async () => net?.stop());

  const gatewayOf = (actor: Actor | PeerActor) => (actor === "counterpart" ? "MX" : actor === "third" ? "ES" : "US");

  /** The path of a row with its record ids filled in (or the given ids). */
  function pathOf(row: Row, with_ = ids): string {
    const [template] = row.op.split(" ").slice(1);
    const id = row.on === "E1" ? with_.E1 : row.on === "E2" ? with_.E2 : row.on === "I" ? with_.I : with_.R;
    return template!.replace("{id}", id).replace("{digest}", with_.D);
  }

  /** A valid body for a row's operation, as `actor` would send it. */
  async function requestFor(row: Row, actor: Actor | PeerActor, path: string): Promise<{ headers: Record<string, string>; body?: string | Buffer; token?: string }> {
    const session = actor in sessions ? sessions[actor as Exclude<Actor, "anonymous">] : undefined;
    const json = (value: unknown) => ({ headers: { "content-type": "application/json" }, body: JSON.stringify(value), token: session?.token });
    const [method] = row.op.split(" ");
    switch (row.op) {
      case "POST /v1/auth/session": {
        const gw = net.gateways.US!;
        const signer = actor === "anonymous" ? Wallet.createRandom() : net.consortium.states[gatewayOf(actor)]![actor === "ownAgency" ? "agency" : actor === "ownVerifier" ? "verifier" : "authority"];
        const { nonce } = (await (await fetch(`${gw.url}/v1/auth/nonce`)).json()) as { nonce: string };
        const info = (await (await fetch(`${gw.url}/v1/info`)).json()) as { chainId: number };
        const message = new SiweMessage({ domain: new URL(gw.url).host, address: await signer.getAddress(), uri: gw.url, version: "1", chainId: info.chainId, nonce, issuedAt: new Date().toISOString() }).prepareMessage();
        return json({ message, signature: await signer.signMessage(message) });
      }
      case "DELETE /v1/auth/session": {
        if (!session) return { headers: {} };
        const throwaway = await connectGateway(session.url, net.consortium.states[gatewayOf(actor)]![actor === "ownAgency" ? "agency" : actor === "ownVerifier" ? "verifier" : "authority"]);
        return { headers: {}, token: throwaway.token };
      }
      case "POST /v1/requests":
        return json({ dossier: dossierFor(net, gatewayOf(actor), gatewayOf(actor) === "MX" ? "US" : "MX") });
      case "POST /v1/requests/{id}/partial-accept":
        return json({ acceptedTypes: ["BANK_RECORDS"] });
      case "POST /v1/requests/{id}/refuse":
        return json({ reason: "Other", document: { grounds: "matrix" } });
      case "POST /v1/requests/{id}/extend-deadline":
        return json({ respondBy: "2040-01-01T00:00:00Z" });
      case "POST /v1/requests/{id}/priority":
        return json({ priority });
      case "POST /v1/evidence/{id}/offer":
        return json({ toState: gatewayOf(actor) === "US" ? "MX" : "US" });
      case "POST /v1/evidence/{id}/dispose":
        return json({ disposition: "returned" });
      case "POST /v1/intents/{id}/signature":
        return json({ signature: await Wallet.createRandom().signMessage("not the intent") });
      case "POST /v1/requests/{id}/evidence":
        return { headers: { "content-type": "text/plain", "x-file-name": "matrix.txt" }, body: "a file uploaded by the matrix", token: session?.token };
      case "PUT /v1/peer/blobs/{digest}": {
        const peer = actor === "peerGateway" ? "MX" : actor === "nonPeerGateway" ? "ES" : undefined;
        const bytes = await net.gateways.US!.ctx.blobs.read(ids.D).toArray().then((chunks) => Buffer.concat(chunks as Buffer[]));
        if (!peer) return { headers: { "content-type": "application/octet-stream" }, body: bytes, token: session?.token };
        const signature = await net.consortium.states[peer]!.gateway.signMessage(peerPushMessage(ids.D, "US"));
        return { headers: { "content-type": "application/octet-stream", "x-mlat-from-state": peer, "x-mlat-signature": signature }, body: bytes };
      }
      default:
        return method === "POST" ? json({}) : { headers: {}, token: session?.token };
    }
  }

  /** Calls a row as `actor` at its gateway; never throws. */
  async function call(row: Row, actor: Actor | PeerActor, path = pathOf(row)): Promise<Answer> {
    const [method] = row.op.split(" ");
    const r = await requestFor(row, actor, path);
    const res = await fetch(new URL(path, net.gateways[row.at ?? gatewayOf(actor)]!.url), {
      method,
      headers: { ...r.headers, ...(r.token ? { authorization: `Bearer ${r.token}` } : {}) },
      body: r.body,
    });
    // An event stream never ends: its headers are the answer.
    const text = /event-stream/.test(res.headers.get("content-type") ?? "") ? (await res.body?.cancel(), "") : await res.text();
    return { status: res.status, contentType: res.headers.get("content-type") ?? "", headers: [...res.headers.entries()], text };
  }

  it("has a row for every operation of the OpenAPI document, and no row for an operation it lacks", () => {
    const published = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(published.length).toBeGreaterThan(40);
    expect(published.filter((op) => !MATRIX.some((r) => r.op === op))).toEqual([]);
    expect([...new Set(MATRIX.map((r) => r.op))].filter((op) => !published.includes(op))).toEqual([]);
  });

  it("publishes path parameter schemas that the real ids of each kind satisfy", () => {
    const params = (op: string) => {
      const [method, path] = op.split(" ");
      return ((doc.paths[path!]![method!.toLowerCase()] as { parameters?: { name: string; in: string; schema: { pattern?: string } }[] }).parameters ?? []).filter((p) => p.in === "path");
    };
    for (const row of MATRIX.filter((r) => r.on !== "-")) {
      const values: Record<string, string> = { id: row.on === "E1" ? ids.E1 : row.on === "E2" ? ids.E2 : row.on === "I" ? ids.I : ids.R, digest: ids.D };
      for (const p of params(row.op)) expect(values[p.name]!, `${row.op} {${p.name}}`).toMatch(new RegExp(p.schema.pattern!));
    }
  });

  describe.each(MATRIX.map((r) => [`${r.op} on ${r.on}`, r] as const))("%s", (_name, row) => {
    const actors = [...ACTORS, ...PEER_ACTORS.filter((a) => row.expect[a] !== undefined)];
    it.each(actors)("as %s", async (actor) => {
      const answer = await call(row, actor);
      answers.push({ actor, state: actor === "anonymous" ? "" : gatewayOf(actor), row: `${row.op} on ${row.on}`, answer });
      expect(answer.status, answer.text.slice(0, 300)).toBe(row.expect[actor]);
      if (answer.status >= 400) expect(answer.contentType).toMatch(/^application\/problem\+json/);
    });
  });

  it("never answers a byte of a plaintext to a state the chain does not entitle to it, and does answer the entitled", () => {
    expect(answers.length).toBeGreaterThan(MATRIX.length * ACTORS.length);
    const leaks: string[] = [];
    for (const { actor, state, row, answer } of answers) {
      const seen = answer.text + answer.headers.map(([k, v]) => `${k}: ${v}`).join("\n");
      for (const [name, marker] of Object.entries(markers)) {
        if ((ENTITLED[name as keyof typeof ENTITLED] as readonly string[]).includes(state)) continue;
        const forms = [marker, Buffer.from(marker).toString("hex"), Buffer.from(marker).toString("base64"), Buffer.from(marker).toString("base64url")];
        if (forms.some((f) => seen.includes(f))) leaks.push(`${name} → ${actor} (${state || "anonymous"}) via ${row}`);
      }
    }
    expect(leaks).toEqual([]);
    // The markers are where the entitled read them (so their absence elsewhere means something).
    const got = (row: string, actor: string) => answers.find((a) => a.row === row && a.actor === actor)!.answer.text;
    expect(got("GET /v1/requests/{id}/dossier on R", "ownCA")).toContain(markers.dossier);
    expect(got("GET /v1/requests/{id}/documents/{digest} on R,D", "counterpart")).toContain(markers.dossier);
    expect(got("GET /v1/requests/{id}/dossier on R", "counterpart")).toContain(markers.dossier);
    expect(got("GET /v1/evidence/{id}/content on E1", "counterpart")).toContain(markers.e1Content);
    expect(got("GET /v1/evidence/{id}/content on E2", "ownAgency")).toContain(markers.e2Content);
    expect(got("GET /v1/evidence/{id} on E2", "ownCA")).toContain(markers.e2Manifest);
    expect(got("GET /v1/evidence/{id} on E1", "counterpart")).toContain(markers.e1Manifest);
  });

  it("answers an absent record and another state's record with byte-identical 404s (but for the id asked for)", async () => {
    const absent = { R: "0x" + "a1".repeat(32), E1: "0x" + "b2".repeat(32), E2: "0x" + "c3".repeat(32), I: "0x" + "d4".repeat(16), D: "0x" + "e5".repeat(32) };
    const rows = MATRIX.filter((r) => r.on !== "-" && r.op !== "PUT /v1/peer/blobs/{digest}");
    let compared = 0;
    for (const row of rows) {
      // The third state for records of R; for the intent, an account of the same state that does not own it.
      const actor: Actor = row.on === "I" ? "ownAgency" : "third";
      if (row.expect[actor] !== 404) continue;
      const real = await call(row, actor);
      const missing = await call(row, actor, pathOf(row, absent));
      const scrub = (a: Answer, values: typeof ids) =>
        JSON.stringify([a.status, a.headers.filter(([k]) => k !== "date"), Object.entries(values).reduce((t, [k, v]) => t.replaceAll(v, `<${k}>`), a.text)]);
      expect(scrub(real, ids), `${row.op} on ${row.on}`).toBe(scrub(missing, absent));
      expect(real.status).toBe(404);
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });
});
