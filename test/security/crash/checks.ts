/**
 * What must hold after a crash and a restart, checked against the chain, the killed gateway's store and
 * its blob directory: every acknowledged write on chain exactly once (and as acknowledged), nothing on
 * chain twice, no blob without a record, no record without its blob, every audit batch anchored once,
 * every landed request's dossier delivered to the peer, and the outbox empty within 60 s of the restart.
 */
import { sql } from "kysely";
import { countUnanchoredAuditEntries } from "../../../gateway/src/audit/pending";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import type { GatewayStandby } from "../../../scripts/lib/gatewayProcess";
import { blobFiles, fileDigest, type CrashRig } from "./rig";
import { isAcknowledged, type Workload } from "./workload";

/** The product's promise: after a restart (the chain up), the outbox is empty within this. */
export const OUTBOX_EMPTY_WITHIN_MS = 60_000;

/** Everything that went wrong, by kind (each list empty when the gateway kept its promises). */
export interface Violations {
  /** Acknowledged writes not on chain exactly once as acknowledged, or whose intent is not mined. */
  lost: string[];
  /** Ids on chain more than once, intents mined twice, anchors of a root twice, chain writes no client made. */
  duplicates: string[];
  /** Blob files no record refers to (after the start-up sweep). */
  orphans: string[];
  /** Records whose blob is missing or does not hash to its name. */
  recordsWithoutBlobs: string[];
  /** Temp files left in the blob store's `tmp/`. */
  temps: string[];
  /** Audit batches not anchored, or entries in none. */
  unanchored: string[];
  /** Landed requests whose dossier the peer does not hold. */
  undelivered: string[];
  /** 4xx answers the clients got (none is expected). */
  refused: string[];
}

/** What a check saw, for the figures. */
export interface Tally {
  writes: number;
  acknowledged: number;
  unacknowledgedLanded: number;
  unacknowledgedLost: number;
  blobs: number;
  auditBatches: number;
}

/** Records whose blob is missing: must hold at every moment, even right after a kill. */
export async function recordsWithoutBlobs(rig: CrashRig): Promise<string[]> {
  const { blobs } = blobFiles(rig.config.blobDir);
  const docs = await rig.db.db.selectFrom("documents").select(["digest", "kind"]).execute();
  return docs.filter((d) => !blobs.has(d.digest)).map((d) => `${d.kind} ${d.digest} has no blob`);
}

/**
 * Waits until the gateway is at rest: its indexer has reached the chain head (so every job an indexed
 * event calls for is enqueued), the outbox is empty (no job pending, running or dead) and every audit
 * entry is in an anchored batch; fails past {OUTBOX_EMPTY_WITHIN_MS} after `restartedAt`. Returns the time it took.
 */
export async function outboxDrained(rig: CrashRig, restartedAt: number): Promise<number> {
  const db = rig.db.db;
  for (;;) {
    // In this order: the checkpoint, then the work left, then the head. Indexed to a head read after the
    // outbox was seen empty, every event (and the jobs it calls for) was in the store before that look.
    const checkpoint = await db.selectFrom("meta").select("value").where("key", "=", "indexer.checkpoint").executeTakeFirst();
    const jobs = await db.selectFrom("jobs").select(["id", "status", "attempts", "last_error"]).where("status", "!=", "done").execute();
    const dead = jobs.filter((j) => j.status === "dead");
    if (dead.length > 0) throw new Error(`outbox jobs abandoned: ${JSON.stringify(dead)}`);
    const unanchored = await countUnanchoredAuditEntries(db);
    const head = await rig.provider.getBlockNumber();
    const indexed = Number(checkpoint?.value ?? -1) >= head;
    const elapsed = Date.now() - restartedAt;
    if (indexed && jobs.length === 0 && unanchored === 0) return elapsed;
    if (elapsed > OUTBOX_EMPTY_WITHIN_MS) {
      throw new Error(
        `outbox not empty ${elapsed} ms after the restart: ${JSON.stringify(jobs.slice(0, 10))}, ${unanchored} audit entries unanchored, indexed to ${checkpoint?.value} of ${head}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the gateway at `url` has completed `n` orphan sweeps since it started. */
export async function sweptOrphans(url: string, n = 1): Promise<void> {
  for (;;) {
    const text = await fetch(`${url}/metrics`).then((r) => r.text());
    const m = /^mlat_blob_orphan_sweeps_total (\d+)/m.exec(text);
    if (m && Number(m[1]) >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Checks everything against the chain, the MX store and blobs, and the US peer's store. Call with the
 * gateway up, the outbox drained ({outboxDrained}) and the start-up orphan sweep done ({sweptOrphans}).
 */
export async function checkInvariants(rig: CrashRig, workload: Workload): Promise<{ violations: Violations; tally: Tally }> {
  const v: Violations = { lost: [], duplicates: [], orphans: [], recordsWithoutBlobs: [], temps: [], unanchored: [], undelivered: [], refused: [] };
  const db = rig.db.db;
  const { ledger } = rig;

  // The chain.
  const submitted = new Map<string, { requesting: string; documentDigest: string }[]>();
  for (const e of await ledger.requests.queryFilter(ledger.requests.filters.RequestSubmitted(), 0, "latest")) {
    const list = submitted.get(e.args.requestId) ?? [];
    list.push({ requesting: fromStateBytes(e.args.requestingState), documentDigest: e.args.documentDigest });
    submitted.set(e.args.requestId, list);
  }
  const registered = new Map<string, { requestId: string; payloadDigest: string }[]>();
  for (const e of await ledger.custody.queryFilter(ledger.custody.filters.EvidenceRegistered(), 0, "latest")) {
    const list = registered.get(e.args.evidenceId) ?? [];
    list.push({ requestId: e.args.requestId, payloadDigest: e.args.payloadDigest });
    registered.set(e.args.evidenceId, list);
  }
  const anchors = new Map<string, number>();
  for (const e of await ledger.anchors.queryFilter(ledger.anchors.filters.BatchAnchored(), 0, "latest")) {
    if (fromStateBytes(e.args.state) === "MX") anchors.set(e.args.root, (anchors.get(e.args.root) ?? 0) + 1);
  }

  // Every write: acknowledged ones on chain exactly once, as acknowledged, their intent mined; none twice.
  const intents = new Map((await db.selectFrom("intents").select(["id", "status", "kind", "request_id", "evidence_id", "error"]).execute()).map((i) => [i.id, i]));
  const tally: Tally = { writes: workload.writes.length, acknowledged: 0, unacknowledgedLanded: 0, unacknowledgedLost: 0, blobs: 0, auditBatches: 0 };
  const known = rig.written;
  for (const w of workload.writes) {
    if (w.refused) v.refused.push(`${w.kind} ${w.id}: ${w.refused}`);
    const onChain = w.kind === "request" ? (submitted.get(w.id) ?? []) : (registered.get(w.id) ?? []);
    if (onChain.length > 1) v.duplicates.push(`${w.kind} ${w.id} is on chain ${onChain.length} times`);
    const acked = w.kind === "request" ? w.acked !== undefined : isAcknowledged(w);
    if (!acked) {
      if (onChain.length > 0) tally.unacknowledgedLanded++;
      else tally.unacknowledgedLost++;
      continue;
    }
    tally.acknowledged++;
    const intent = intents.get((w.acked ?? w.prepared)!.id);
    if (onChain.length !== 1) v.lost.push(`acknowledged ${w.kind} ${w.id} is on chain ${onChain.length} times (intent ${intent?.status} ${intent?.error ?? ""})`);
    else if (intent?.status !== "mined") v.lost.push(`acknowledged ${w.kind} ${w.id} is on chain but its intent is ${intent?.status}: ${intent?.error ?? ""}`);
    // On chain as acknowledged: the evidence's payload / the request's dossier is the one the client was answered.
    const anchored = onChain.length === 1 ? ("payloadDigest" in onChain[0]! ? onChain[0].payloadDigest : onChain[0]!.documentDigest) : undefined;
    const answered = w.kind === "evidence" ? w.payloadDigest : (w.acked ?? w.prepared)!.documentDigest;
    if (anchored !== undefined && anchored !== answered) v.lost.push(`acknowledged ${w.kind} ${w.id} is on chain with ${anchored}, not the acknowledged ${answered}`);
  }
  // Nothing on chain that no client wrote (MX's requests, evidence under the rig's requests).
  for (const [id, list] of submitted) if (list.some((s) => s.requesting === "MX") && !known.has(id)) v.duplicates.push(`request ${id} on chain was never written by a client`);
  const rigRequests = new Set(rig.requestsInExecution);
  for (const [id, list] of registered) if (list.some((r) => rigRequests.has(r.requestId)) && !known.has(id)) v.duplicates.push(`evidence ${id} on chain was never written by a client`);
  // No ledger call mined twice for one record.
  const minedPer = new Map<string, number>();
  for (const i of intents.values()) {
    if (i.status !== "mined") continue;
    const key = `${i.kind}:${i.evidence_id ?? i.request_id}`;
    minedPer.set(key, (minedPer.get(key) ?? 0) + 1);
  }
  for (const [key, n] of minedPer) if (n > 1) v.duplicates.push(`${key} mined by ${n} intents`);

  // Blobs and records.
  const { blobs, temps } = blobFiles(rig.config.blobDir);
  const docs = await db.selectFrom("documents").select(["digest", "kind"]).execute();
  const referenced = new Set(docs.map((d) => d.digest));
  for (const d of docs) {
    const path = blobs.get(d.digest);
    if (!path) v.recordsWithoutBlobs.push(`${d.kind} ${d.digest} has no blob`);
    else if (fileDigest(path) !== d.digest) v.recordsWithoutBlobs.push(`${d.kind} ${d.digest}: the blob does not hash to its name`);
  }
  for (const digest of blobs.keys()) if (!referenced.has(digest)) v.orphans.push(digest);
  v.temps.push(...temps);
  tally.blobs = blobs.size;

  // Audit anchors: each batch anchored once, each entry in a batch, no anchor the store does not know.
  const batches = await db.selectFrom("audit_batches").select(["root", "status", "leaf_count"]).execute();
  tally.auditBatches = batches.length;
  const members = new Map(
    (await db.selectFrom("audit_entries").select(["batch_root", sql<number>`count(*)`.as("n")]).where("batch_root", "is not", null).groupBy("batch_root").execute()).map((r) => [r.batch_root, Number(r.n)]),
  );
  for (const b of batches) {
    if (b.status !== "anchored") v.unanchored.push(`audit batch ${b.root} is ${b.status}`);
    // Each entry in exactly one anchored batch: a batch anchors as many leaves as entries name it.
    if ((members.get(b.root) ?? 0) !== b.leaf_count) v.duplicates.push(`audit batch ${b.root} anchors ${b.leaf_count} leaves but ${members.get(b.root) ?? 0} entries are in it`);
    const n = anchors.get(b.root) ?? 0;
    if (n !== 1) (n === 0 ? v.unanchored : v.duplicates).push(`audit batch ${b.root} is anchored ${n} times`);
  }
  const roots = new Set(batches.map((b) => b.root));
  for (const root of anchors.keys()) if (!roots.has(root)) v.duplicates.push(`anchor ${root} on chain belongs to no audit batch of the store`);
  const loose = await db.selectFrom("audit_entries").select(sql<number>`count(*)`.as("n")).where("batch_root", "is", null).executeTakeFirstOrThrow();
  if (Number(loose.n) > 0) v.unanchored.push(`${loose.n} audit entries in no batch`);
  // Every acknowledged upload's audit entry went with it.
  const uploads = new Set((await db.selectFrom("audit_entries").select("subject").where("action", "=", "evidence.upload").execute()).map((e) => e.subject));
  for (const w of workload.writes) if (w.kind === "evidence" && isAcknowledged(w) && !uploads.has(w.id)) v.lost.push(`acknowledged evidence ${w.id} has no audit entry`);

  // Delivery: the peer holds the dossier of every MX request on chain.
  const peer = rig.net.gateways.US!.ctx.store.db;
  const held = new Set((await peer.selectFrom("documents").select("digest").execute()).map((d) => d.digest));
  for (const [id, list] of submitted) {
    for (const s of list) {
      if (s.requesting !== "MX" || held.has(s.documentDigest)) continue;
      const job = await db.selectFrom("jobs").select(["status", "attempts", "last_error"]).where("id", "like", `push:${s.documentDigest}%`).executeTakeFirst();
      const doc = await db.selectFrom("documents").select("kind").where("digest", "=", s.documentDigest).executeTakeFirst();
      const indexed = await db.selectFrom("chain_events").select(["name", "block_number"]).where("request_id", "=", id).execute();
      v.undelivered.push(`request ${id}: dossier ${s.documentDigest} not at US (MX holds it: ${doc !== undefined}; push job ${JSON.stringify(job ?? null)}; MX indexed ${JSON.stringify(indexed)})`);
    }
  }
  return { violations: v, tally };
}

/** A one-line summary of violations (empty lists omitted). */
export function describeViolations(v: Violations): string {
  return Object.entries(v)
    .filter(([, list]) => (list as string[]).length > 0)
    .map(([k, list]) => `${k}: ${(list as string[]).length} (${(list as string[]).slice(0, 5).join("; ")})`)
    .join("\n");
}

/** True when nothing went wrong. */
export function clean(v: Violations): boolean {
  return Object.values(v).every((list) => (list as string[]).length === 0);
}

/**
 * The end of a phase: starts `standby` (no failpoint), lets the clients finish what they owe, waits until
 * the gateway is at rest (within 60 s of the restart) and its start-up orphan sweep is done, checks
 * everything, and stops the gateway cleanly.
 * @example const { violations, drainMs } = await restartAndCheck(rig, workload, rig.standby());
 */
export async function restartAndCheck(rig: CrashRig, workload: Workload, standby: GatewayStandby): Promise<{ violations: Violations; tally: Tally; drainMs: number }> {
  const gw = await standby.start();
  const restartedAt = Date.now();
  try {
    await workload.settle();
    const drainMs = await outboxDrained(rig, restartedAt);
    await sweptOrphans(gw.url);
    return { ...(await checkInvariants(rig, workload)), drainMs };
  } finally {
    await gw.stop();
  }
}
