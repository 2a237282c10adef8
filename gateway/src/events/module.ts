import { Router } from "express";
import type { GatewayModule, ModuleDeps } from "../modules";
import { DeadlineWatcher } from "./deadlines";
import { EventHub } from "./hub";
import { eventStream } from "./stream";

/** Deadlines are looked for this often (and whenever new events are indexed or a stream opens). */
const DEADLINE_SCAN_MS = 30_000;
/** Open streams per replica, and per account. */
const LIMITS = { maxSubscribers: 256, maxPerAccount: 8 };

/**
 * Push to agency software: `GET /v1/events`, a Server-Sent Events stream of this state's request and
 * custody events as they are indexed, with `deadline-warning`s before acknowledgement and response
 * deadlines pass.
 * @example FEATURE_MODULES = [requestsModule, eventsModule]
 */
export function eventsModule({ ctx }: ModuleDeps): GatewayModule {
  const hub = new EventHub(ctx.store.db, ctx.config.state, LIMITS, ctx.log);
  const watcher = new DeadlineWatcher(ctx.store.db, ctx.config.state, ctx.config.deadlineWarningSeconds);
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> = Promise.resolve();
  const scan = (): Promise<void> => {
    if (hub.size === 0) return scanning;
    scanning = scanning
      .then(async () => {
        for (const w of await watcher.due()) hub.warn(w);
      })
      .catch((e: unknown) => ctx.log.warn("deadline scan failed", { error: e instanceof Error ? e.message : String(e) }));
    return scanning;
  };
  const routes = Router();
  routes.get("/v1/events", eventStream(ctx, hub, () => void scan()));
  return {
    name: "events",
    routes,
    hooks: {
      afterCommit: (events) => void hub.publish(events).then(scan),
      afterReorg: (forkBlock) => hub.reorg(forkBlock),
    },
    start: () => {
      timer = setInterval(() => void scan(), DEADLINE_SCAN_MS);
    },
    stop: async () => {
      clearInterval(timer);
      hub.closeAll();
      await scanning;
    },
  };
}
