import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** Seconds; from a cached read to a long upload. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];

/** One gateway's Prometheus metrics, in a registry of its own (several gateways can share a process). */
export interface GatewayMetrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
}

const byOwner = new WeakMap<object, GatewayMetrics>();

/**
 * The metrics of the gateway that `owner` (its context) belongs to, created on first use with the
 * HTTP metrics and the process metrics (`process_*`, `nodejs_*`).
 * @example const { registry } = metricsOf(ctx); res.type(registry.contentType).send(await registry.metrics());
 */
export function metricsOf(owner: object): GatewayMetrics {
  let m = byOwner.get(owner);
  if (!m) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    m = {
      registry,
      httpRequests: new Counter({
        name: "mlat_http_requests_total",
        help: "HTTP requests answered, by method, route pattern and status",
        labelNames: ["method", "route", "status"],
        registers: [registry],
      }),
      httpDuration: new Histogram({
        name: "mlat_http_request_duration_seconds",
        help: "Time to answer HTTP requests (to the end of the response), by method, route pattern and status",
        labelNames: ["method", "route", "status"],
        buckets: DURATION_BUCKETS,
        registers: [registry],
      }),
    };
    byOwner.set(owner, m);
  }
  return m;
}
