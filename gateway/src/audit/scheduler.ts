import type { GatewayContext } from "../context";
import { ANCHOR_JOB, MAX_BATCH_LEAVES, sealAuditBatch } from "./seal";

/**
 * Seals audit batches every `intervalMs`: as many full batches as are waiting, then the remainder, and
 * wakes the anchor job loop. One tick at a time; a failed tick is logged and the next one retries.
 * @example const s = new AuditScheduler(ctx, 60_000); s.start(); …; await s.stop();
 */
export class AuditScheduler {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  constructor(
    private readonly ctx: GatewayContext,
    private readonly intervalMs: number,
    private readonly maxLeaves = MAX_BATCH_LEAVES,
  ) {}

  start(): void {
    this.#stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** Seals everything waiting now; resolves with the number of batches sealed. */
  async tick(): Promise<number> {
    let sealed = 0;
    for (;;) {
      const batch = await sealAuditBatch(this.ctx.store, this.maxLeaves);
      if (!batch) break;
      sealed += 1;
      this.ctx.wake(ANCHOR_JOB);
      if (batch.leaf_count < this.maxLeaves || this.#stopped) break;
    }
    return sealed;
  }

  private schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .then(() => undefined)
        .catch((e: unknown) => this.ctx.log.warn("audit batch sealing failed", { error: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          this.#running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
