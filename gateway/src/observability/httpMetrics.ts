import type { Request, RequestHandler } from "express";
import { metricsOf } from "./metrics";

/**
 * Express middleware counting and timing every request by method, route pattern (`/v1/requests/:id`,
 * never the concrete path, so the label set stays small; `unmatched` when no route answered) and status.
 * @example app.use(httpMetrics(ctx));
 */
export function httpMetrics(owner: object): RequestHandler {
  const { httpRequests, httpDuration } = metricsOf(owner);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = (): void => {
      if (done) return;
      done = true;
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.once("finish", record);
    res.once("close", record);
    next();
  };
}

function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === "string" ? `${req.baseUrl}${path}` : "unmatched";
}
