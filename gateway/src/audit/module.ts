import { Router } from "express";
import type { GatewayModule, ModuleDeps } from "../modules";
import { anchorJobHandler } from "./anchorJob";
import { AuditProofs } from "./proofs";
import { resetReorgedBatches } from "./reorg";
import { auditRoutes } from "./routes";
import { AuditScheduler } from "./scheduler";

/**
 * The anchored audit log: seals entries into Merkle batches on a schedule, anchors each batch on-chain
 * through the outbox, puts a batch whose anchor was reorged away back in the queue, and serves
 * `GET /v1/audit` with proofs.
 * @example FEATURE_MODULES = [requestsModule, auditModule]
 */
export function auditModule({ ctx }: ModuleDeps): GatewayModule {
  const scheduler = new AuditScheduler(ctx, ctx.config.auditAnchorIntervalMs);
  const routes = Router();
  routes.use(auditRoutes(ctx, new AuditProofs()));
  return {
    name: "audit",
    routes,
    jobs: [anchorJobHandler(ctx)],
    hooks: {
      afterReorg: (forkBlock) => {
        resetReorgedBatches(ctx.store, forkBlock).then(
          (n) => n > 0 && ctx.log.warn("audit anchors reorged away; anchoring again", { forkBlock, batches: n }),
          (e: unknown) => ctx.log.error("could not requeue reorged audit batches", { error: e instanceof Error ? e.message : String(e) }),
        );
      },
    },
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
  };
}
