import type { RequestHandler } from "express";
import { GatewayError } from "./errors";

/**
 * A token bucket per client address: `perMinute` requests, refilled continuously. Over the limit: 429
 * with `Retry-After`. In memory, per replica (a load balancer in front limits across replicas).
 */
export function rateLimit(perMinute: number): RequestHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000;
  return (req, _res, next) => {
    if (perMinute === 0) return next();
    const key = req.socket.remoteAddress ?? "unknown";
    const now = Date.now();
    const b = buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(key, b);
      throw new GatewayError("RATE_LIMITED", "too many requests from this address", { retryAfter: Math.ceil((1 - b.tokens) / rate / 1000) });
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > 100_000) buckets.clear();
    next();
  };
}
