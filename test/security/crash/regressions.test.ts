/**
 * Crash windows the suite found holes in, each replayed once on purpose (the random and failpoint suites
 * hit them only by chance): each test failed before its fix.
 */
import { randomBytes } from "node:crypto";
import { rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectGateway, type Intent } from "../../../sdk/src/gateway/client";
import { uploadEvidence } from "../../../sdk/src/gateway/evidence";
import { GatewayRequestError } from "../../../sdk/src/gateway/http";
import { dossierFor } from "../../helpers/gatewayFixtures";
import { STORES } from "../../helpers/gateways";
import { checkInvariants, clean, describeViolations, outboxDrained, recordsWithoutBlobs, sweptOrphans } from "./checks";
import { blobFiles, exited, startCrashRig, type CrashRig } from "./rig";
import { Workload } from "./workload";

describe.each(STORES)("crash safety: replayed crash windows (%s)", (store) => {
  let rig: CrashRig;
  beforeAll(async () => {
    rig = await startCrashRig(store, { requests: 1 });
  }, 600_000);
  afterAll(async () => {
    await rig?.close();
  });

  it("relays a call whose client never got its intent (gateway killed after the commit) and the account's next call too", async () => {
    const authority = rig.net.consortium.states.MX!.authority;
    const gw = await rig.start("intent.afterCommit=kill@1");
    const session = await connectGateway(gw.url, authority);
    // The first creation is committed, then the gateway dies before answering: the client never sees it.
    await expect(session.call("POST", "/v1/requests", { dossier: dossierFor(rig.net, "MX", "US") })).rejects.toThrow();
    await exited(gw);
    expect(gw.output()).toContain("failpoint intent.afterCommit hit 1: kill");
    const again = await rig.start();
    const restartedAt = Date.now();
    try {
      // The account's next call, prepared after the orphaned intent, is signed and acknowledged…
      const requestId = "0x" + randomBytes(32).toString("hex");
      rig.written.add(requestId);
      const { intent } = await session.call<{ intent: Intent }>("POST", "/v1/requests", { requestId, dossier: dossierFor(rig.net, "MX", "US") });
      const signed = await session.sign(intent, "none");
      expect(signed.status).toBe("queued");
      // …and mined within the outbox's 60 s, not left waiting behind the intent nobody will sign.
      await outboxDrained(rig, restartedAt);
      expect((await session.call<Intent>("GET", `/v1/intents/${intent.id}`)).status).toBe("mined");
      expect(Number((await rig.ledger.requests.request(requestId)).status)).toBeGreaterThan(0);
    } finally {
      await again.stop();
    }
  }, 600_000);

  it("does not relay twice a batch whose transaction is still pending when the gateway comes back (no instant mining)", async () => {
    const workload = new Workload(rig, { requestWriters: 1, uploadWriters: 0 });
    const gw = await rig.start("tx.afterBroadcast=kill@1");
    await workload.signIn(gw.url);
    await rig.provider.send("evm_setAutomine", [false]);
    try {
      // One request; its relay transaction is broadcast (and stays pending), then the gateway dies.
      await workload.resume(gw.url);
      await exited(gw);
      await workload.halt();
      expect(gw.output()).toContain("failpoint tx.afterBroadcast hit 1: kill");
      // One transaction relays what was signed so far (one or more intents).
      const sent = await rig.db.db.selectFrom("intents").select(["id", "tx_hash"]).where("status", "=", "sent").execute();
      expect(new Set(sent.map((i) => i.tx_hash)).size).toBe(1);
      const again = await rig.start();
      const restartedAt = Date.now();
      try {
        // The restarted gateway takes the relay job over (after the dead runner's lease) and looks at it.
        // (A wait spends no attempt: the job's last error tells that it was looked at.)
        for (;;) {
          const job = await rig.db.db.selectFrom("jobs").select(["attempts", "last_error"]).where("id", "=", `relay:${sent[0]!.id}`).executeTakeFirstOrThrow();
          const intent = await rig.db.db.selectFrom("intents").select("tx_hash").where("id", "=", sent[0]!.id).executeTakeFirstOrThrow();
          if (job.attempts > 0 || job.last_error !== null || intent.tx_hash !== sent[0]!.tx_hash) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await rig.provider.send("evm_setAutomine", [true]);
        await rig.provider.send("evm_mine", []);
        await workload.settle();
        await outboxDrained(rig, restartedAt);
        await sweptOrphans(again.url);
        const { violations } = await checkInvariants(rig, workload);
        expect(clean(violations), describeViolations(violations)).toBe(true);
      } finally {
        await again.stop();
      }
    } finally {
      await rig.provider.send("evm_setAutomine", [true]);
    }
  }, 600_000);

  /** Blob files no record refers to. */
  async function unreferenced(): Promise<string[]> {
    const docs = new Set((await rig.db.db.selectFrom("documents").select("digest").execute()).map((d) => d.digest));
    return [...blobFiles(rig.config.blobDir).blobs.keys()].filter((d) => !docs.has(d));
  }

  it("keeps the blobs of an upload whose records committed even when an error follows the commit", async () => {
    // `throw` right after the commit: the answer is a 500, as when the commit's acknowledgement is lost.
    const gw = await rig.start("intent.afterCommit=throw@1");
    try {
      const agency = await connectGateway(gw.url, rig.net.consortium.states.MX!.agency);
      const evidenceId = "0x" + randomBytes(32).toString("hex");
      rig.written.add(evidenceId);
      const upload = uploadEvidence(agency, rig.requestsInExecution[0]!, Readable.from([randomBytes(4096)]), { fileName: "a.bin", mediaType: "application/octet-stream", evidenceId }, "none");
      await expect(upload).rejects.toMatchObject({ status: 500 });
      expect(gw.output()).toContain("failpoint intent.afterCommit hit 1: throw");
      expect(await rig.db.db.selectFrom("documents").select("digest").where("evidence_id", "=", evidenceId).execute()).toHaveLength(2);
      expect(await recordsWithoutBlobs(rig)).toEqual([]);
    } finally {
      await gw.stop();
    }
  }, 600_000);

  it("leaves no blob behind a creation the ledger refuses", async () => {
    const gw = await rig.start();
    try {
      const authority = await connectGateway(gw.url, rig.net.consortium.states.MX!.authority);
      const before = await unreferenced();
      // The id of a request already on chain: the simulation refuses it (422), after the dossier was sealed.
      const refused = authority.call("POST", "/v1/requests", { requestId: rig.requestsInExecution[0], dossier: dossierFor(rig.net, "MX", "US") });
      await expect(refused).rejects.toBeInstanceOf(GatewayRequestError);
      await expect(refused).rejects.toMatchObject({ status: 422 });
      expect(await unreferenced()).toEqual(before);
    } finally {
      await gw.stop();
    }
  }, 600_000);

  it("removes what a crash left between a blob and its record even when the gateway restarts at once (grace > 0)", async () => {
    // Longer than a restart takes here, so the orphan is still too young for the start-up sweep.
    const grace = { MLAT_ORPHAN_GRACE_MS: "15000" };
    const before = await unreferenced();
    const gw = await rig.start("blob.afterRename=kill@1", grace);
    const authority = await connectGateway(gw.url, rig.net.consortium.states.MX!.authority);
    await expect(authority.call("POST", "/v1/requests", { dossier: dossierFor(rig.net, "MX", "US") })).rejects.toThrow();
    await exited(gw);
    expect(gw.output()).toContain("failpoint blob.afterRename hit 1: kill");
    expect((await unreferenced()).filter((d) => !before.includes(d))).toHaveLength(1);
    // Temp files: one a crashed writer left an hour ago, one another replica is writing now.
    const tmp = join(rig.config.blobDir, "tmp");
    writeFileSync(join(tmp, "stale"), "x");
    utimesSync(join(tmp, "stale"), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    writeFileSync(join(tmp, "live"), "x");
    const again = await rig.start(undefined, grace);
    try {
      // The start-up sweep keeps the young orphan (another replica may be about to record it)…
      await sweptOrphans(again.url, 1);
      expect(blobFiles(rig.config.blobDir).temps).toEqual(["live"]);
      // …and the sweep one grace period later removes it.
      await sweptOrphans(again.url, 2);
      expect(await unreferenced()).toEqual([]);
    } finally {
      await again.stop();
      rmSync(join(tmp, "live"), { force: true });
    }
  }, 600_000);
});

