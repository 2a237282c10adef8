import { Gauge, type Registry } from "prom-client";
import { sql } from "kysely";
import { countUnanchoredAuditEntries } from "../audit/pending";
import type { Indexer } from "../indexer/indexer";
import type { Store } from "../store/database";

/** What the gateway gauges read at scrape time. */
export interface GaugeSources {
  store: Store;
  indexer: Pick<Indexer, "checkpoint" | "lag" | "lastError">;
}

/**
 * Registers the gauges read at each scrape: indexer checkpoint, lag and failure, outbox jobs by kind and
 * status, relayed intents by status, and audit entries not yet anchored.
 * @example registerGatewayGauges(metricsOf(ctx).registry, { store: ctx.store, indexer });
 */
export function registerGatewayGauges(registry: Registry, { store, indexer }: GaugeSources): void {
  const db = store.db;
  new Gauge({
    name: "mlat_indexer_checkpoint_block",
    help: "Last block the indexer has stored",
    registers: [registry],
    collect() {
      this.set(indexer.checkpoint);
    },
  });
  new Gauge({
    name: "mlat_indexer_lag_blocks",
    help: "Blocks between the chain head and the indexer checkpoint (includes the confirmation depth)",
    registers: [registry],
    collect() {
      this.set(indexer.lag);
    },
  });
  new Gauge({
    name: "mlat_indexer_poll_failing",
    help: "1 while the indexer's last poll failed",
    registers: [registry],
    collect() {
      this.set(indexer.lastError === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: "mlat_outbox_jobs",
    help: "Outbox jobs by kind and status (pending, running, done, dead)",
    labelNames: ["kind", "status"],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom("jobs").select(["kind", "status", sql<number>`count(*)`.as("n")]).groupBy(["kind", "status"]).execute();
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: "mlat_intents",
    help: "Relayed ledger calls (intents) by status",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const rows = await db.selectFrom("intents").select(["status", sql<number>`count(*)`.as("n")]).groupBy("status").execute();
      this.reset();
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });
  new Gauge({
    name: "mlat_audit_entries_pending_anchor",
    help: "Audit entries not yet in an anchored batch (unbatched, or in a batch whose anchor is not mined)",
    registers: [registry],
    async collect() {
      this.set(await countUnanchoredAuditEntries(db));
    },
  });
}
