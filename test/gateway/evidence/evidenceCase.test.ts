import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession } from "../../../sdk/src/gateway/client";
import { acceptEvidenceCustody, offerEvidenceCustody, uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";
import { caseSessions, randomFile, rawCall, requestInExecution } from "./scenario";

const SIZE = 6 * 1024 * 1024 + 12_345;

interface Detail {
  custodianState: string;
  offer: { toState: string } | null;
  held: { payload: boolean; manifest: boolean };
  entitled: boolean;
  manifest: { fileName: string; mediaType: string; size: number; sha256: string } | null;
  custody: { action: string; blockNumber: number; transactionHash: string }[];
}

describe.each(STORES)("an evidence item from upload to custody of the requesting state (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let mx: GatewaySession;
  let es: GatewaySession;
  let usAgency: GatewaySession;
  let mxAgency: GatewaySession;

  beforeAll(async () => {
    net = await startTestNetwork(store);
    ({ us, mx, es, usAgency, mxAgency } = await caseSessions(net));
  });
  afterAll(async () => net?.stop());

  it("uploads, offers, pushes, transfers, serves and verifies, and shows nothing to others", async () => {
    const requestId = await requestInExecution(net, us, mx);
    const file = randomFile(net, "bank-records.bin", SIZE);

    const uploaded = await uploadEvidence(mxAgency, requestId, file.path, {
      mediaType: "application/octet-stream",
      description: "Bank records of accounts 0042 and 0043",
      collectedBy: "FGR México / Unidad de Inteligencia Financiera",
      collectedAt: "2025-03-01T10:00:00Z",
    });
    expect(uploaded.intent.status).toBe("mined");
    expect(uploaded.size).toBe(SIZE);
    expect(uploaded.plaintextSha256).toBe(createHash("sha256").update(file.bytes).digest("hex"));
    const id = uploaded.evidenceId;

    const mine = await mx.call<Detail>("GET", `/v1/evidence/${id}`);
    expect(mine).toMatchObject({ custodianState: "MX", held: { payload: true, manifest: true }, entitled: true });
    expect(mine.manifest).toMatchObject({ fileName: "bank-records.bin", size: SIZE, sha256: uploaded.plaintextSha256 });
    const listed = await eventually(async () => {
      const l = await us.call<{ items: { evidenceId: string }[] }>("GET", `/v1/requests/${requestId}/evidence`);
      return l.items.length > 0 ? l : undefined;
    });
    expect(listed.items.map((i) => i.evidenceId)).toEqual([id]);

    const offered = await offerEvidenceCustody(mxAgency, id, { toState: "US", document: { note: "handed over under art. 12" } });
    expect(offered.intent.status).toBe("mined");
    const arrived = await eventually(async () => {
      const d = await usAgency.call<Detail>("GET", `/v1/evidence/${id}`);
      return d.held.payload && d.held.manifest && d.offer?.toState === "US" ? d : undefined;
    });
    expect(arrived.manifest?.sha256).toBe(uploaded.plaintextSha256);
    const usDb = net.gateways.US!.ctx.store.db;
    const pushed = await eventually(async () => {
      const docs = await usDb.selectFrom("documents").selectAll().where("evidence_id", "=", id).execute();
      return docs.length === 3 ? docs : undefined;
    });
    expect(pushed.map((d) => [d.kind, d.origin]).sort()).toEqual([
      ["evidence.document", "MX"],
      ["evidence.manifest", "MX"],
      ["evidence.payload", "MX"],
    ]);

    const accepted = await acceptEvidenceCustody(usAgency, id);
    expect(accepted.intent.status).toBe("mined");
    const after = await us.call<Detail>("GET", `/v1/evidence/${id}`);
    expect(after.custodianState).toBe("US");
    expect(after.custody.map((c) => c.action)).toEqual(["Registered", "Offered", "Transferred"]);
    expect(after.custody.every((c) => c.blockNumber > 0 && /^0x[0-9a-f]{64}$/.test(c.transactionHash))).toBe(true);

    const content = await rawCall(usAgency, "GET", `/v1/evidence/${id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("application/octet-stream");
    expect(Buffer.from(await content.arrayBuffer()).equals(file.bytes)).toBe(true);

    const report = await us.call<{ ok: boolean; checks: { id: string; verdict: string }[]; file: { path: string } }>(
      "GET",
      `/v1/evidence/${id}/verify`,
    );
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.verdict])).toEqual(report.checks.map((c) => [c.id, "pass"]));
    expect(report.checks).toHaveLength(7);
    expect(report.file.path).toBe("bank-records.bin");
    const bundle = await us.call<{ evidenceId: string; events: unknown[] }>("GET", `/v1/evidence/${id}/bundle`);
    expect(bundle).toMatchObject({ evidenceId: id });
    expect(bundle.events).toHaveLength(3);

    // MX handed custody over: it still sees the record, but not a byte of the content (403).
    await eventually(async () => ((await mx.call<Detail>("GET", `/v1/evidence/${id}`)).custodianState === "US" ? true : undefined));
    const former = await mx.call<Detail>("GET", `/v1/evidence/${id}`);
    expect(former).toMatchObject({ entitled: false, manifest: null });
    const refused = await rawCall(mxAgency, "GET", `/v1/evidence/${id}/content`);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(Buffer.from(await refused.arrayBuffer()).includes(file.bytes.subarray(0, 16))).toBe(false);
    expect((await rawCall(mxAgency, "GET", `/v1/evidence/${id}/bundle`)).status).toBe(403);

    // ES is named nowhere: every evidence route answers the 404 of an absent id.
    const absent = "0x" + "ab".repeat(32);
    for (const path of [`/v1/evidence/${id}`, `/v1/evidence/${id}/content`, `/v1/evidence/${id}/bundle`, `/v1/evidence/${id}/verify`]) {
      const r = await rawCall(es, "GET", path);
      const a = await rawCall(es, "GET", path.replace(id, absent));
      expect([r.status, a.status], path).toEqual([404, 404]);
      const [rd, ad] = [(await r.json()) as { detail: string }, (await a.json()) as { detail: string }];
      expect(rd.detail).toBe(ad.detail.replace(absent, id));
    }
    expect(await net.gateways.ES!.ctx.store.db.selectFrom("documents").select("digest").where("evidence_id", "=", id).execute()).toEqual([]);

    const audit = await net.gateways.US!.ctx.store.db.selectFrom("audit_entries").select("action").where("subject", "=", id).execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["evidence.accept", "evidence.content.decrypt", "evidence.verify", "evidence.bundle"]),
    );
    const mxAudit = await net.gateways.MX!.ctx.store.db.selectFrom("audit_entries").select("action").where("subject", "=", id).execute();
    expect(mxAudit.map((a) => a.action)).toEqual(expect.arrayContaining(["evidence.upload", "evidence.offer"]));
  });
});
