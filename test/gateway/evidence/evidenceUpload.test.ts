import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { GatewayRequestError } from "../../../sdk/src/gateway/http";
import { acceptEvidenceCustody, offerEvidenceCustody, uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { caseSessions, randomFile, rawCall, requestInExecution, statusReached } from "./scenario";
import { settled } from "../../helpers/settled";

const LIMIT = 2 * 1024 * 1024;

/** Every file under a directory, recursively (the blob store's blobs and temp files). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe.each(STORES)("POST /v1/requests/{id}/evidence and custody refusals (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let mx: GatewaySession;
  let es: GatewaySession;
  let usAgency: GatewaySession;
  let mxAgency: GatewaySession;
  let requestId: string;

  beforeAll(async () => {
    net = await startTestNetwork(store, { overrides: { uploadLimitBytes: LIMIT } });
    ({ us, mx, es, usAgency, mxAgency } = await caseSessions(net));
    requestId = await requestInExecution(net, us, mx);
  });
  afterAll(async () => net?.stop());
  // Each test compares what the gateways hold before and after: an earlier step's peer push must have landed.
  beforeEach(() => settled(net));

  const mxBlobs = () => filesUnder(net.configs.MX!.blobDir);
  const mxRecords = async () => {
    const db = net.gateways.MX!.ctx.store.db;
    const [docs, intents] = await Promise.all([
      db.selectFrom("documents").select("digest").execute(),
      db.selectFrom("intents").select("id").execute(),
    ]);
    return { docs: docs.length, intents: intents.length };
  };
  const upload = (session: GatewaySession, id: string, body: RequestInit["body"], headers: Record<string, string> = {}) =>
    rawCall(session, "POST", `/v1/requests/${id}/evidence`, {
      body,
      headers: { "content-type": "application/pdf", "x-file-name": "statement.pdf", ...headers },
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);

  it("refuses the requesting state (403), a request not in execution (422) and bad metadata (400, 415), storing nothing", async () => {
    const { requestId: fresh } = await us.write<{ requestId: string; intent: Intent }>("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
    await statusReached(mx, fresh, "Submitted");
    await eventually(async () => (await mx.call("GET", `/v1/requests/${fresh}/dossier`)) ?? undefined);
    const before = { blobs: mxBlobs(), records: await mxRecords() };
    const fromUs = await upload(usAgency, requestId, "x");
    expect(fromUs.status).toBe(403);

    const early = await upload(mxAgency, fresh, Buffer.alloc(1024, 7));
    expect(early.status).toBe(422);
    expect(await early.json()).toMatchObject({ code: "LEDGER_REFUSED", ledgerError: "CustodyRequestNotInExecution" });

    const noName = await rawCall(mxAgency, "POST", `/v1/requests/${requestId}/evidence`, { body: "x", headers: { "content-type": "text/plain" } });
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: "fileName" })]);
    const badType = await upload(mxAgency, requestId, "x", { "content-type": "not a media type" });
    expect(badType.status).toBe(415);
    const badDate = await upload(mxAgency, requestId, "x", { "x-collected-at": "yesterday" });
    expect(badDate.status).toBe(400);
    const verifier = await sessionOf(net, "MX", "verifier");
    expect((await upload(verifier, requestId, "x")).status).toBe(403);

    expect(mxBlobs()).toEqual(before.blobs);
    expect(await mxRecords()).toEqual(before.records);
  });

  it("refuses a body over the upload limit (413), declared or streamed, and keeps nothing", async () => {
    const before = { blobs: mxBlobs(), records: await mxRecords() };
    const declared = await upload(mxAgency, requestId, Buffer.alloc(LIMIT + 1));
    expect(declared.status).toBe(413);
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 3; i++) yield Buffer.alloc(LIMIT / 2 + 1, i);
      })(),
    );
    const streamed = await upload(mxAgency, requestId, Readable.toWeb(chunks) as ReadableStream).catch(() => undefined);
    if (streamed) expect(streamed.status).toBe(413);
    await eventually(async () => (mxBlobs().length === before.blobs.length ? true : undefined));
    expect(mxBlobs()).toEqual(before.blobs);
    expect(await mxRecords()).toEqual(before.records);
  });

  it("leaves no blob and no record of an upload aborted half-way", async () => {
    const before = { blobs: mxBlobs(), records: await mxRecords() };
    const abort = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 1024 * 1024) {
          abort.abort();
          return;
        }
        sent += 256 * 1024;
        controller.enqueue(new Uint8Array(256 * 1024));
      },
    });
    const answer = await rawCall(mxAgency, "POST", `/v1/requests/${requestId}/evidence`, {
      body,
      signal: abort.signal,
      headers: { "content-type": "application/pdf", "x-file-name": "partial.pdf" },
      duplex: "half",
    } as RequestInit).catch((e: unknown) => e);
    expect(answer).toBeInstanceOf(Error);
    await eventually(async () => (mxBlobs().length === before.blobs.length ? true : undefined));
    expect(mxBlobs()).toEqual(before.blobs);
    expect(await mxRecords()).toEqual(before.records);
  });

  it("accepts only with the held ciphertext (409 while missing or corrupt), and shows an offered third state the record but not the content", async () => {
    const file = randomFile(net, "records.csv", 300_000);
    const stream = Readable.from([file.bytes]);
    const { evidenceId } = await uploadEvidence(mxAgency, requestId, stream, { fileName: "records.csv", mediaType: "text/csv; charset=utf-8" });

    // Offered to ES, a state outside the request: ES now sees the item (and receives its ciphertext) …
    expect((await rawCall(es, "GET", `/v1/evidence/${evidenceId}`)).status).toBe(404);
    await offerEvidenceCustody(mxAgency, evidenceId, { toState: "ES" });
    const esSession = await sessionOf(net, "ES", "agency");
    await eventually(async () => {
      const r = await rawCall(esSession, "GET", `/v1/evidence/${evidenceId}`);
      return r.status === 200 && ((await r.json()) as { held: { payload: boolean } }).held.payload ? true : undefined;
    });
    // … but it is not entitled to the plaintext (neither custodian nor requesting state).
    expect((await rawCall(esSession, "GET", `/v1/evidence/${evidenceId}/content`)).status).toBe(403);
    await mxAgency.write(`/v1/evidence/${evidenceId}/cancel-offer`, {});

    await offerEvidenceCustody(mxAgency, evidenceId, { toState: "US" });
    const us = net.gateways.US!;
    const payload = await eventually(async () => {
      const d = await usAgency.call<{ payloadDigest: string; held: { payload: boolean }; offer: unknown }>("GET", `/v1/evidence/${evidenceId}`);
      return d.held.payload && d.offer ? d.payloadDigest : undefined;
    });
    const path = us.ctx.blobs.pathOf(payload);
    writeFileSync(path, Buffer.alloc(1000));
    const corrupt = await acceptEvidenceCustody(usAgency, evidenceId).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(GatewayRequestError);
    expect(corrupt).toMatchObject({ status: 409 });
    rmSync(path);
    const missing = await acceptEvidenceCustody(usAgency, evidenceId).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 409, problem: { code: "CONFLICT" } });
    // MX may not accept its own offer: only the state the offer names.
    expect(await acceptEvidenceCustody(mxAgency, evidenceId).catch((e: unknown) => e)).toMatchObject({ status: 403 });
  });
});
