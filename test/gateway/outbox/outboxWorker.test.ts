import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../gateway/src/observability/logger";
import { enqueue } from "../../../gateway/src/outbox/enqueue";
import { OutboxWorker, type JobHandler, type JobOutcome } from "../../../gateway/src/outbox/worker";
import { openStore, type Store } from "../../../gateway/src/store/database";

/** A handler of kind `k` that answers every job with `outcome`. */
function answering(outcome: JobOutcome): JobHandler {
  return { kind: "k", batchSize: 10, run: async (jobs) => new Map(jobs.map((j) => [j.id, outcome])) };
}

describe("OutboxWorker.runOnce", () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore("sqlite::memory:");
    await enqueue(store.db, { id: "job-1", kind: "k", payload: {} });
  });
  afterEach(async () => {
    await store.close();
  });

  /** Runs the job `times` times (making it due again each time) and returns its row. */
  async function runRepeatedly(handler: JobHandler, times: number) {
    const worker = new OutboxWorker(store, [handler], createLogger("silent"));
    for (let i = 0; i < times; i++) {
      await store.db.updateTable("jobs").set({ run_at: 0 }).where("id", "=", "job-1").execute();
      expect(await worker.runOnce(handler)).toBe(true);
    }
    return store.db.selectFrom("jobs").selectAll().where("id", "=", "job-1").executeTakeFirstOrThrow();
  }

  it("spends no attempt on a job that waits for something else, however long it waits", async () => {
    const job = await runRepeatedly(answering({ ok: false, error: "waiting for an earlier intent", retryInMs: 250, waiting: true }), 250);
    expect(job).toMatchObject({ status: "pending", attempts: 0, last_error: "waiting for an earlier intent" });
  });

  it("abandons a failing job as dead after 200 attempts", async () => {
    const job = await runRepeatedly(answering({ ok: false, error: "node refused", retryInMs: 1 }), 200);
    expect(job).toMatchObject({ status: "dead", attempts: 200, last_error: "node refused" });
  });

  it("marks a job done once its handler succeeds", async () => {
    const job = await runRepeatedly(answering({ ok: true }), 1);
    expect(job).toMatchObject({ status: "done", last_error: null });
  });
});
