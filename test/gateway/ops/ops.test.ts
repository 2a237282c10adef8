import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";

describe.each(STORES)("operations endpoints (%s)", (store) => {
  let net: TestNetwork;
  let us: string;
  let mx: string;

  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"] });
    us = net.gateways.US!.url;
    mx = net.gateways.MX!.url;
  });
  afterAll(async () => net?.stop());

  describe("GET /healthz", () => {
    it("answers 200 ok without a session", async () => {
      const res = await fetch(`${us}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });
  });

  describe("GET /readyz", () => {
    it("answers 200 once chain, indexer, store and blobs are fine", async () => {
      const body = await eventually(async () => {
        const res = await fetch(`${us}/readyz`);
        return res.status === 200 ? ((await res.json()) as { status: string; checks: Record<string, { ok: boolean }> }) : undefined;
      });
      expect(body.status).toBe("ready");
      expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
    });

    it("answers 503 with reasons and Retry-After while the blob directory is unusable", async () => {
      const tmp = join(net.configs.US!.blobDir, "tmp");
      rmSync(tmp, { recursive: true, force: true });
      try {
        const res = await fetch(`${us}/readyz`);
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("5");
        const body = (await res.json()) as { status: string; reasons: string[] };
        expect(body.status).toBe("unavailable");
        expect(body.reasons).toEqual(["blobs: the blob directory is not writable"]);
      } finally {
        mkdirSync(tmp, { recursive: true });
      }
      expect((await fetch(`${us}/readyz`)).status).toBe(200);
    });
  });

  describe("GET /metrics", () => {
    it("serves this gateway's HTTP, indexer, outbox, intent, audit and process metrics", async () => {
      const session = await sessionOf(net, "US");
      await session.call("GET", "/v1/requests?limit=1");
      await fetch(`${mx}/no-such-route`);
      const res = await fetch(`${us}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/mlat_http_requests_total\{method="GET",route="\/v1\/requests",status="200"\} 1/);
      expect(text).toMatch(/mlat_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/v1\/requests",status="200"\}/);
      expect(text).toMatch(/^mlat_indexer_checkpoint_block \d+$/m);
      expect(text).toMatch(/^mlat_indexer_lag_blocks \d+$/m);
      expect(text).toMatch(/^mlat_audit_entries_pending_anchor \d+$/m);
      expect(text).toContain("# TYPE mlat_outbox_jobs gauge");
      expect(text).toContain("# TYPE mlat_intents gauge");
      expect(text).toContain("process_cpu_user_seconds_total");
      // Each gateway has its own registry: MX's 404 is not counted here.
      expect(text).not.toMatch(/route="unmatched",status="404"/);
      expect(await (await fetch(`${mx}/metrics`)).text()).toMatch(/route="unmatched",status="404"\} 1/);
    });

    it("counts relayed intents and outbox jobs by kind and status", async () => {
      const session = await sessionOf(net, "US");
      await session.write("/v1/requests", { dossier: dossierFor(net, "US", "MX") });
      const text = await (await fetch(`${us}/metrics`)).text();
      expect(text).toMatch(/mlat_intents\{status="mined"\} [1-9]/);
      expect(text).toMatch(/mlat_outbox_jobs\{kind="relay",status="done"\} [1-9]/);
    });
  });
});
