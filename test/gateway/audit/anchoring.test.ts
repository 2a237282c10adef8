import { JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditBatchDigest } from "../../../gateway/src/audit/batchDigest";
import { anchorJobHandler } from "../../../gateway/src/audit/anchorJob";
import { auditLeafValue, recordAudit } from "../../../gateway/src/audit/record";
import { anchorJobId, sealAuditBatch } from "../../../gateway/src/audit/seal";
import type { AuditEntryView } from "../../../gateway/src/audit/view";
import { openStore } from "../../../gateway/src/store/database";
import type { GatewaySession, Intent } from "../../../sdk/src/gateway/client";
import { connectLedger, LEDGER_INTERFACES } from "../../../sdk/src/ledger/contracts";
import { toStateBytes } from "../../../sdk/src/ledger/stateCode";
import { dossierFor, sessionOf } from "../../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../../helpers/gateways";

type Page = { items: AuditEntryView[]; nextCursor: string | null };

/** The row `auditLeafValue` hashes, rebuilt from what the API disclosed. */
const disclosedRow = (e: AuditEntryView) => ({
  id: e.id,
  at: Date.parse(e.at),
  actor: e.actor,
  actor_state: e.actorState,
  action: e.action,
  subject: e.subject,
  detail: JSON.stringify(e.detail),
  salt: e.salt,
});

describe.each(STORES)("audit anchoring (%s)", (store) => {
  let net: TestNetwork;
  let us: GatewaySession;
  let verifier: GatewaySession;
  let provider: JsonRpcProvider;
  let requestId: string;

  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"] });
    us = await sessionOf(net, "US");
    verifier = await sessionOf(net, "US", "verifier");
    provider = new JsonRpcProvider(net.node.url);
    ({ requestId } = await us.write<{ requestId: string; intent: Intent }>("/v1/requests", {
      dossier: dossierFor(net, "US", "MX"),
    }));
    await us.call("GET", `/v1/requests/${requestId}/dossier`);
    await us.call("GET", `/v1/requests/${requestId}/dossier`);
  });
  afterAll(async () => {
    provider?.destroy();
    await net?.stop();
  });

  const anchoredEntries = () =>
    eventually(async () => {
      const page = await verifier.call<Page>("GET", `/v1/audit?action=request.dossier.decrypt&subject=${requestId}`);
      return page.items.length === 2 && page.items.every((e) => e.batch?.status === "anchored") ? page.items : undefined;
    });

  describe("GET /v1/audit", () => {
    it("lists decryptions with proofs that BatchAnchor.verify accepts on-chain", async () => {
      const entries = await anchoredEntries();
      const anchors = connectLedger(net.consortium.deployment.contracts, provider).anchors;
      for (const e of entries) {
        expect(e.actor.toLowerCase()).toBe(us.address.toLowerCase());
        expect(e.detail).toHaveProperty("digest");
        expect(auditLeafValue(disclosedRow(e))).toBe(e.leafValue);
        expect(await anchors.verify(toStateBytes("US"), e.batch!.root, e.proof!, e.leafValue)).toBe(true);
        const forged = "0x" + (BigInt(e.leafValue) ^ 1n).toString(16).padStart(64, "0");
        expect(await anchors.verify(toStateBytes("US"), e.batch!.root, e.proof!, forged)).toBe(false);
      }
    });

    it("anchors each batch with the SHA-256 of its leaf values in entry order as batchDigest", async () => {
      const [e] = await anchoredEntries();
      const leaves = await net.gateways.US!.ctx.store.db
        .selectFrom("audit_entries")
        .select("leaf_value")
        .where("batch_root", "=", e!.batch!.root)
        .orderBy("id")
        .execute();
      expect(e!.batch!.leafCount).toBe(leaves.length);
      expect(e!.batch!.batchDigest).toBe(auditBatchDigest(leaves.map((l) => l.leaf_value)));
      const receipt = (await provider.getTransactionReceipt(e!.batch!.txHash!))!;
      expect(receipt.blockNumber).toBe(e!.batch!.blockNumber);
      const event = receipt.logs.map((l) => LEDGER_INTERFACES.anchors.parseLog(l)).find((l) => l?.name === "BatchAnchored")!;
      expect(event.args.root).toBe(e!.batch!.root);
      expect(event.args.batchDigest).toBe(e!.batch!.batchDigest);
      expect(Number(event.args.leafCount)).toBe(leaves.length);
    });

    it("pages newest first with a cursor", async () => {
      const first = await us.call<Page>("GET", "/v1/audit?limit=1");
      expect(first.items).toHaveLength(1);
      expect(first.nextCursor).not.toBeNull();
      const second = await us.call<Page>("GET", `/v1/audit?limit=1&cursor=${first.nextCursor}`);
      expect(second.items[0]!.id < first.items[0]!.id).toBe(true);
    });

    it("answers 403 to an agency and 401 without a session, 400 to a forged cursor", async () => {
      const agency = await sessionOf(net, "US", "agency");
      await expect(agency.call("GET", "/v1/audit")).rejects.toMatchObject({ status: 403, problem: { code: "FORBIDDEN" } });
      const anonymous = await fetch(`${us.url}/v1/audit`);
      expect(anonymous.status).toBe(401);
      await expect(us.call("GET", "/v1/audit?cursor=bm9wZQ")).rejects.toMatchObject({ status: 400 });
    });
  });

  describe("anchor job", () => {
    it("settles a batch anchored before a crash without sending a second transaction", async () => {
      const [e] = await anchoredEntries();
      const { ctx } = net.gateways.US!;
      const root = e!.batch!.root;
      await ctx.store.db.updateTable("audit_batches").set({ status: "pending", tx_hash: null, block_number: null }).where("root", "=", root).execute();
      const nonce = await provider.getTransactionCount(ctx.chain.sender.address, "latest");
      const job = await ctx.store.db.selectFrom("jobs").selectAll().where("id", "=", anchorJobId(root)).executeTakeFirstOrThrow();
      const outcomes = await anchorJobHandler(ctx).run([job]);
      expect(outcomes.get(job.id)).toEqual({ ok: true });
      const batch = await ctx.store.db.selectFrom("audit_batches").selectAll().where("root", "=", root).executeTakeFirstOrThrow();
      expect(batch).toMatchObject({ status: "anchored", tx_hash: e!.batch!.txHash, block_number: e!.batch!.blockNumber });
      expect(await provider.getTransactionCount(ctx.chain.sender.address, "latest")).toBe(nonce);
    });
  });

  describe("sealAuditBatch", () => {
    it("puts every entry in exactly one batch when two replicas seal at once", async () => {
      const config = net.configs.US!;
      const replica = await openStore(config.storeUrl, config.storeSchema);
      const { ctx } = net.gateways.US!;
      try {
        for (let i = 0; i < 60; i++) {
          await recordAudit(ctx.store.db, { actor: us.address, actorState: "US", action: "test.seal", subject: `s${i}` });
        }
        await eventually(async () => {
          await Promise.allSettled([sealAuditBatch(ctx.store, 7), sealAuditBatch(replica, 7), sealAuditBatch(ctx.store, 7), sealAuditBatch(replica, 7)]);
          const left = await ctx.store.db.selectFrom("audit_entries").select("id").where("batch_root", "is", null).execute();
          return left.length === 0 ? true : undefined;
        });
        const entries = await ctx.store.db.selectFrom("audit_entries").select(["batch_root"]).where("action", "=", "test.seal").execute();
        const roots = new Set(entries.map((r) => r.batch_root!));
        for (const root of roots) {
          const batch = await ctx.store.db.selectFrom("audit_batches").selectAll().where("root", "=", root).executeTakeFirstOrThrow();
          const members = await ctx.store.db.selectFrom("audit_entries").select("id").where("batch_root", "=", root).execute();
          expect(batch.leaf_count).toBe(members.length);
          const jobs = await ctx.store.db.selectFrom("jobs").select("id").where("id", "=", anchorJobId(root)).execute();
          expect(jobs).toHaveLength(1);
        }
      } finally {
        await replica.close();
      }
    });
  });
});
