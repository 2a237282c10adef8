import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { pushJobId } from "../../../gateway/src/peer/push";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";

type Created = { requestId: string; documentDigest: string; intent: Intent };

describe.each(STORES)("peer push of what a state anchors (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;

  beforeAll(async () => {
    net = await startTestNetwork(store);
    us = await sessionOf(net, "US");
  });
  afterAll(async () => net?.stop());

  const job = (digest: string, to: string) =>
    net.gateways.US!.ctx.store.db.selectFrom("jobs").selectAll().where("id", "=", pushJobId(digest, to)).executeTakeFirst();

  it("delivers a submitted dossier to the requested state's gateway, which then serves it", async () => {
    const dossier = dossierFor(net, "US", "MX");
    const created = await us.write<Created>("/v1/requests", { dossier });
    const mx = await sessionOf(net, "MX");
    expect(await eventually(() => mx.call("GET", `/v1/requests/${created.requestId}/dossier`))).toEqual(dossier);
    const doc = await net.gateways
      .MX!.ctx.store.db.selectFrom("documents")
      .selectAll()
      .where("digest", "=", created.documentDigest)
      .executeTakeFirstOrThrow();
    expect(doc).toMatchObject({ kind: "dossier", origin: "US", request_id: created.requestId });
    expect(await eventually(async () => ((await job(created.documentDigest, "MX"))?.status === "done" ? true : undefined))).toBe(true);
    expect(await net.gateways.ES!.ctx.blobs.has(created.documentDigest)).toBe(false);
  });

  it("retries while the peer gateway is down and delivers once it is back, exactly once", async () => {
    await net.gateways.MX!.stop();
    const dossier = dossierFor(net, "US", "MX");
    const created = await us.write<Created>("/v1/requests", { dossier });
    const failed = await eventually(async () => {
      const j = await job(created.documentDigest, "MX");
      return j && j.attempts >= 2 ? j : undefined;
    });
    expect(failed).toMatchObject({ status: "pending" });
    expect(failed.last_error).toMatch(/unreachable/);

    await net.restart("MX");
    const mx = await sessionOf(net, "MX");
    expect(await eventually(() => mx.call("GET", `/v1/requests/${created.requestId}/dossier`))).toEqual(dossier);
    const done = await eventually(async () => {
      const j = await job(created.documentDigest, "MX");
      return j?.status === "done" ? j : undefined;
    });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const pushes = await net.gateways
      .US!.ctx.store.db.selectFrom("jobs")
      .select("id")
      .where("kind", "=", "push")
      .where("payload", "like", `%${created.documentDigest}%`)
      .execute();
    expect(pushes).toHaveLength(1);
  });
});
