import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../observability/logger";
import type { Tables } from "../store/tables";
import type { BlobStore } from "./blobStore";

/** Default of `orphanGraceMs`: blobs younger than this are left alone (another replica may be about to record them). */
export const DEFAULT_ORPHAN_GRACE_MS = 60_000;
/**
 * A blob this process wrote is kept this long without a record: its writer may still be on its way to
 * the transaction that records it (waiting for the chain, for the account's turn to prepare).
 */
const OWN_IN_FLIGHT_MS = 10 * 60_000;
/** After the start-up sweep and the one a grace period later, the directory is swept this often. */
const SWEEP_INTERVAL_MS = 3_600_000;

/** When a blob no record refers to may be removed. */
export interface SweepOptions {
  /** Unreferenced blobs younger than this (ms) are kept; default 60 s. */
  graceMs?: number;
  /** When this process started: a blob written since then is its own, kept {OWN_IN_FLIGHT_MS}. */
  startedAt?: number;
  /** The time to judge ages by (tests). */
  now?: number;
}

/**
 * Removes blobs no document record refers to: what a crash between writing a blob and committing its
 * record leaves behind (the blob is written first, so a record never lacks its blob). Returns how many
 * were removed.
 * @example await sweepOrphanBlobs(blobs, dir, db, { graceMs: 0, startedAt })
 */
export async function sweepOrphanBlobs(blobs: BlobStore, dir: string, db: Kysely<Tables>, options: SweepOptions = {}): Promise<number> {
  const { graceMs = DEFAULT_ORPHAN_GRACE_MS, startedAt, now = Date.now() } = options;
  let removed = 0;
  for (const a of await hexDirs(dir)) {
    for (const b of await hexDirs(join(dir, a))) {
      for (const name of await readdir(join(dir, a, b)).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        const digest = "0x" + name;
        if (await isRecorded(db, digest)) continue;
        const written = await stat(join(dir, a, b, name)).then((s) => s.mtimeMs, () => undefined);
        if (written === undefined) continue;
        const age = now - written;
        if (age < graceMs) continue;
        if (startedAt !== undefined && written >= startedAt && age < OWN_IN_FLIGHT_MS) continue;
        await blobs.remove(digest);
        removed++;
      }
    }
  }
  return removed;
}

/**
 * Removes blobs a failed or refused write stored whose record never committed, so it leaves nothing
 * behind. A blob a record refers to is kept: the error may have come after the commit (an answer lost
 * after COMMIT), and removing it would leave a record without its blob.
 * @example try { … } catch (e) { await discardUnrecorded(ctx.blobs, ctx.store.db, [doc.digest]); throw e; }
 */
export async function discardUnrecorded(blobs: BlobStore, db: Kysely<Tables>, digests: readonly string[]): Promise<void> {
  for (const digest of digests) {
    if (!(await isRecorded(db, digest))) await blobs.remove(digest);
  }
}

/** What the sweeper counts, for `/metrics`. */
export interface OrphanSweepMetrics {
  sweeps: Counter;
  removed: Counter;
}

/**
 * Registers the sweeper's counters in a gateway's registry.
 * @example const metrics = orphanSweepMetrics(metricsOf(ctx).registry);
 */
export function orphanSweepMetrics(registry: Registry): OrphanSweepMetrics {
  return {
    sweeps: new Counter({ name: "mlat_blob_orphan_sweeps_total", help: "Completed sweeps of the blob directory for blobs no record refers to", registers: [registry] }),
    removed: new Counter({ name: "mlat_blob_orphans_removed_total", help: "Blobs removed because no record refers to them (left by a crash)", registers: [registry] }),
  };
}

/**
 * Sweeps the blob directory for orphans at start-up, again once `graceMs` has passed (what a crash just
 * before this start left was too young the first time), then hourly. One sweep at a time.
 * @example const sweeper = new OrphanSweeper(blobs, dir, db, { graceMs: 60_000, log }); sweeper.start(); …; await sweeper.stop();
 */
export class OrphanSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;
  #startedAt = 0;

  constructor(
    private readonly blobs: BlobStore,
    private readonly dir: string,
    private readonly db: Kysely<Tables>,
    private readonly options: { graceMs: number; log: Logger; metrics?: OrphanSweepMetrics },
  ) {}

  start(): void {
    this.#stopped = false;
    this.#startedAt = Date.now();
    this.sweep(this.options.graceMs > 0 ? this.options.graceMs : SWEEP_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  private sweep(nextInMs: number): void {
    if (this.#stopped) return;
    const { graceMs, log, metrics } = this.options;
    this.#running = sweepOrphanBlobs(this.blobs, this.dir, this.db, { graceMs, startedAt: this.#startedAt }).then(
      (removed) => {
        metrics?.sweeps.inc();
        metrics?.removed.inc(removed);
        if (removed > 0) log.warn("removed blobs no record refers to (left by a crash)", { removed });
      },
      (e: unknown) => log.warn("orphan blob sweep failed", { error: e instanceof Error ? e.message : String(e) }),
    );
    void this.#running.then(() => {
      this.#running = undefined;
      if (!this.#stopped) this.#timer = setTimeout(() => this.sweep(SWEEP_INTERVAL_MS), nextInMs);
    });
  }
}

/** Whether a document record refers to the blob `digest`. */
async function isRecorded(db: Kysely<Tables>, digest: string): Promise<boolean> {
  return (await db.selectFrom("documents").select("digest").where("digest", "=", digest).executeTakeFirst()) !== undefined;
}

async function hexDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)).map((e) => e.name);
}
