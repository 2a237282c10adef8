import { sql } from "kysely";
import { failpoint } from "../failpoints";
import type { Logger } from "../observability/logger";
import type { Store } from "../store/database";
import type { JobRow } from "../store/tables";
import { backoffMs } from "./backoff";
import { DEFAULT_RETENTION_MS, pruneFinishedJobs } from "./retention";

/**
 * The outcome of one job of a batch: done, or not done with a reason (retried later). `waiting` marks a
 * job that is fine but must wait for something else (an earlier intent, a pending transaction): it spends
 * none of its attempts.
 */
export type JobOutcome = { ok: true } | { ok: false; error: string; retryInMs?: number; permanent?: boolean; waiting?: boolean };

/** Runs jobs of one kind, several at a time when `batchSize` > 1. */
export interface JobHandler {
  kind: string;
  batchSize: number;
  run(jobs: readonly JobRow[]): Promise<Map<string, JobOutcome>>;
}

/** A job still failing after this many attempts is parked as `dead` (visible in /metrics and the log). */
const MAX_ATTEMPTS = 200;
/**
 * Default of `outboxLeaseMs`: a claimed job whose runner died (crash, kill -9) is claimed again after this
 * lease. Short, because every job is idempotent: a job taken over from a runner that was only slow does no
 * harm twice (a forward request's nonce executes once; a pushed or anchored digest is stored once).
 */
export const DEFAULT_LEASE_MS = 10_000;

/**
 * The outbox worker: claims due jobs (leased, so a crashed runner's jobs come back), runs them through
 * their kind's handler, and records success or schedules a retry with backoff. Each job kind runs in its
 * own loop so a slow peer never holds up relays.
 */
export class OutboxWorker {
  readonly #handlers: JobHandler[];
  #stopped = true;
  readonly #loops: Promise<void>[] = [];
  readonly #wakers = new Map<string, () => void>();
  #pruneTimer: NodeJS.Timeout | undefined;
  #pruning: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    handlers: JobHandler[],
    private readonly log: Logger,
    options: { idleMs?: number; leaseMs?: number; retentionMs?: number } = {},
  ) {
    this.#handlers = handlers;
    this.idleMs = options.idleMs ?? 200;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  }

  /** How long the loop of a kind with nothing due sleeps, unless woken. */
  private readonly idleMs: number;
  /** How long a claim holds its jobs (renewed while the handler runs). */
  private readonly leaseMs: number;
  /** How long a finished job is kept (then deleted; see retention.ts). */
  private readonly retentionMs: number;

  /** Starts a loop per job kind, and the pruning of finished jobs: now, then every quarter retention (at most hourly). */
  start(): void {
    this.#stopped = false;
    for (const h of this.#handlers) this.#loops.push(this.loop(h));
    this.prune();
    this.#pruneTimer = setInterval(() => this.prune(), Math.min(this.retentionMs / 4, 3_600_000));
    this.#pruneTimer.unref();
  }

  /** Deletes finished jobs older than the retention, unless a pruning still runs. */
  private prune(): void {
    if (this.#pruning) return;
    this.#pruning = pruneFinishedJobs(this.store.db, Date.now() - this.retentionMs)
      .then((n) => {
        if (n > 0) this.log.info("outbox: finished jobs pruned", { pruned: n, retentionMs: this.retentionMs });
      })
      .catch((e: unknown) => this.log.warn("outbox: pruning finished jobs failed", { error: e instanceof Error ? e.message : String(e) }))
      .finally(() => (this.#pruning = undefined));
  }

  /** Wakes the loop of `kind` now (after enqueueing) instead of at its next poll. */
  wake(kind: string): void {
    this.#wakers.get(kind)?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#pruneTimer);
    for (const w of this.#wakers.values()) w();
    await Promise.all([...this.#loops.splice(0), this.#pruning]);
  }

  private async loop(handler: JobHandler): Promise<void> {
    while (!this.#stopped) {
      let worked = false;
      try {
        worked = await this.runOnce(handler);
      } catch (e) {
        this.log.warn("outbox loop failed", { kind: handler.kind, error: e instanceof Error ? e.message : String(e) });
      }
      if (!worked && !this.#stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.idleMs);
          this.#wakers.set(handler.kind, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  /** Claims and runs one batch of due jobs of a kind; false when none was due. */
  async runOnce(handler: JobHandler): Promise<boolean> {
    const jobs = await this.claim(handler.kind, handler.batchSize);
    if (jobs.length === 0) return false;
    failpoint("outbox.afterClaim");
    let outcomes: Map<string, JobOutcome>;
    // While the handler runs, the lease is renewed: a long job (a 1 GiB push) is not taken over while its
    // runner is alive, and a dead runner's jobs come back within one lease.
    const renew = setInterval(() => {
      void this.store.db
        .updateTable("jobs")
        .set({ locked_until: Date.now() + this.leaseMs })
        .where("id", "in", jobs.map((j) => j.id))
        .where("status", "=", "running")
        .execute()
        .catch(() => undefined);
    }, this.leaseMs / 3);
    try {
      outcomes = await handler.run(jobs);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      outcomes = new Map(jobs.map((j) => [j.id, { ok: false, error }]));
    } finally {
      clearInterval(renew);
    }
    failpoint("outbox.beforeComplete");
    const now = Date.now();
    const succeeded = jobs.filter((j) => outcomes.get(j.id)?.ok === true).map((j) => j.id);
    if (succeeded.length > 0) {
      await this.store.db.updateTable("jobs").set({ status: "done", locked_until: null, last_error: null, updated_at: now }).where("id", "in", succeeded).execute();
    }
    for (const job of jobs) {
      const outcome = outcomes.get(job.id) ?? { ok: false, error: "the handler reported nothing for this job" };
      if (outcome.ok) continue;
      const attempts = outcome.waiting === true ? job.attempts : job.attempts + 1;
      const dead = outcome.permanent === true || attempts >= MAX_ATTEMPTS;
      // A scheduled wait (retryInMs) is expected; anything else is a failure the operator should see.
      if (!dead && outcome.retryInMs === undefined && outcome.waiting !== true) this.log.warn("outbox job failed; will retry", { id: job.id, kind: job.kind, attempts, reason: outcome.error });
      if (dead) this.log.error("outbox job abandoned", { id: job.id, kind: job.kind, attempts, reason: outcome.error });
      await this.store.db
        .updateTable("jobs")
        .set({
          status: dead ? "dead" : "pending",
          attempts,
          last_error: outcome.error.slice(0, 2000),
          run_at: now + (outcome.retryInMs ?? backoffMs(attempts)),
          locked_until: null,
          updated_at: now,
        })
        .where("id", "=", job.id)
        .execute();
    }
    return true;
  }

  /** Atomically leases up to `limit` due jobs of `kind` (SKIP LOCKED on PostgreSQL, so replicas share). */
  private async claim(kind: string, limit: number): Promise<JobRow[]> {
    const now = Date.now();
    return this.store.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom("jobs")
        .selectAll()
        .where("kind", "=", kind)
        .where((eb) =>
          eb.or([
            eb.and([eb("status", "=", "pending"), eb("run_at", "<=", now)]),
            eb.and([eb("status", "=", "running"), eb("locked_until", "<", now)]),
          ]),
        )
        .orderBy("run_at")
        .orderBy("id")
        .limit(limit);
      if (this.store.dialect === "postgres") q = q.forUpdate().skipLocked();
      const jobs = await q.execute();
      if (jobs.length === 0) return [];
      await trx
        .updateTable("jobs")
        .set({ status: "running", locked_until: now + this.leaseMs, updated_at: now })
        .where("id", "in", jobs.map((j) => j.id))
        .execute();
      return jobs;
    });
  }

  /** Counts of jobs per status (for /metrics and tests). */
  async counts(): Promise<Record<string, number>> {
    const rows = await this.store.db.selectFrom("jobs").select(["status", sql<number>`count(*)`.as("n")]).groupBy("status").execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
