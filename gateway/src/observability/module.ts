import { Router } from "express";
import type { GatewayModule, ModuleDeps } from "../modules";
import { openApiDocument } from "../http/openapi";
import { registerGatewayGauges } from "./gauges";
import { metricsOf } from "./metrics";
import { checkReadiness } from "./readiness";

/** Seconds a load balancer should wait before asking an unready replica again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Operations endpoints, public: `/healthz` (the process is up), `/readyz` (chain, indexer lag, store
 * and blob directory), `/metrics` (Prometheus text from this gateway's own registry) and `/openapi.json`.
 * @example FEATURE_MODULES = [requestsModule, opsModule]
 */
export function opsModule({ ctx, indexer }: ModuleDeps): GatewayModule {
  const { registry } = metricsOf(ctx);
  registerGatewayGauges(registry, { store: ctx.store, indexer });
  let openapi: string | undefined;
  const publicRoutes = Router();
  publicRoutes.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  publicRoutes.get("/readyz", async (_req, res) => {
    const r = await checkReadiness(ctx, indexer);
    res.set("Cache-Control", "no-store");
    if (!r.ready) res.set("Retry-After", String(RETRY_AFTER_SECONDS));
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "unavailable", reasons: r.reasons, checks: r.checks });
  });
  publicRoutes.get("/metrics", async (_req, res) => {
    res.set("Cache-Control", "no-store").type(registry.contentType).send(await registry.metrics());
  });
  publicRoutes.get("/openapi.json", (_req, res) => {
    openapi ??= JSON.stringify(openApiDocument({ state: ctx.config.state, serverUrl: ctx.config.publicUrl }));
    res.type("application/json").send(openapi);
  });
  return { name: "ops", publicRoutes, stop: async () => registry.clear() };
}
