import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetReorgedBatches } from "../../../gateway/src/audit/reorg";
import { anchorJobId } from "../../../gateway/src/audit/seal";
import { createLogger } from "../../../gateway/src/observability/logger";
import { pruneFinishedJobs } from "../../../gateway/src/outbox/retention";
import { OutboxWorker } from "../../../gateway/src/outbox/worker";
import type { Store } from "../../../gateway/src/store/database";
import type { JobTable } from "../../../gateway/src/store/tables";
import { eventually, STORES } from "../../helpers/gateways";
import { openTestStore } from "../../helpers/testStore";

const DAY = 86_400_000;

/** A job row of `status`, last updated `ageMs` ago. */
function job(id: string, status: string, ageMs: number): JobTable {
  const at = Date.now() - ageMs;
  return { id, kind: "k", payload: "{}", status, attempts: 0, run_at: at, last_error: null, locked_until: null, created_at: at, updated_at: at };
}

async function jobIds(store: Store): Promise<string[]> {
  return (await store.db.selectFrom("jobs").select("id").orderBy("id").execute()).map((r) => r.id);
}

describe.each(STORES)("outbox retention (%s)", (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ store, close } = await openTestStore(kind));
  });
  afterEach(async () => {
    await close();
  });

  it("deletes finished jobs older than the retention, a batch at a time, and keeps every other job", async () => {
    const old = Array.from({ length: 2_345 }, (_, i) => job(`old-done-${String(i).padStart(4, "0")}`, "done", 8 * DAY));
    for (let i = 0; i < old.length; i += 500) await store.db.insertInto("jobs").values(old.slice(i, i + 500)).execute();
    await store.db
      .insertInto("jobs")
      .values([job("recent-done", "done", DAY), job("old-pending", "pending", 30 * DAY), job("old-running", "running", 30 * DAY), job("old-dead", "dead", 30 * DAY)])
      .execute();

    expect(await pruneFinishedJobs(store.db, Date.now() - 7 * DAY)).toBe(2_345);
    expect(await jobIds(store)).toEqual(["old-dead", "old-pending", "old-running", "recent-done"]);
    expect(await pruneFinishedJobs(store.db, Date.now() - 7 * DAY)).toBe(0);
  });

  it("the outbox worker prunes when it starts, with the configured retention", async () => {
    await store.db.insertInto("jobs").values([job("two-minutes-old", "done", 120_000), job("just-done", "done", 0)]).execute();
    const worker = new OutboxWorker(store, [], createLogger("silent"), { retentionMs: 60_000 });
    worker.start();
    try {
      await eventually(async () => ((await jobIds(store)).length === 1 ? true : undefined));
      expect(await jobIds(store)).toEqual(["just-done"]);
    } finally {
      await worker.stop();
    }
  });

  it("a reorg that takes an anchored audit batch off the chain enqueues its anchor job again, though retention deleted it", async () => {
    const root = `0x${"ab".repeat(32)}`;
    await store.db
      .insertInto("audit_batches")
      .values({ root, leaf_count: 1, batch_digest: `0x${"cd".repeat(32)}`, status: "anchored", tx_hash: `0x${"ef".repeat(32)}`, block_number: 12, created_at: Date.now() - 8 * DAY })
      .execute();
    // Its job finished long ago and was pruned: no row left.
    expect(await jobIds(store)).toEqual([]);

    expect(await resetReorgedBatches(store, 10)).toBe(1);
    const again = await store.db.selectFrom("jobs").selectAll().where("id", "=", anchorJobId(root)).executeTakeFirst();
    expect(again).toMatchObject({ kind: "anchor", status: "pending", attempts: 0 });
    expect(JSON.parse(again!.payload)).toEqual({ root });
    expect(await store.db.selectFrom("audit_batches").select(["status", "block_number"]).executeTakeFirst()).toEqual({ status: "pending", block_number: null });
  });
});
