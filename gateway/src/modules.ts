import type { Router } from "express";
import type { MembershipCache } from "./auth/membership";
import type { StateDirectory } from "./chain/stateDirectory";
import type { GatewayContext } from "./context";
import type { Indexer, IndexerHooks } from "./indexer/indexer";
import type { OutboxWorker, JobHandler } from "./outbox/worker";

/** What every feature module of the gateway gets. */
export interface ModuleDeps {
  ctx: GatewayContext;
  directory: StateDirectory;
  memberships: MembershipCache;
  indexer: Indexer;
  /** The outbox (for counts in health and metrics). */
  outbox: () => OutboxWorker;
}

/**
 * A feature of the gateway: its routes (behind sign-in, or public), its outbox job kinds, what it does
 * with indexed events, and background work it starts and stops.
 */
export interface GatewayModule {
  name: string;
  /** Routes that need a signed-in account of this state. */
  routes?: Router;
  /** Routes open to anyone (health, peer pushes checked by signature, published requirements, OpenAPI). */
  publicRoutes?: Router;
  jobs?: JobHandler[];
  hooks?: IndexerHooks;
  /** Paths (matched against the URL path) whose body the route streams itself: never parsed as JSON. */
  rawBodyPaths?: RegExp[];
  start?(): void;
  stop?(): Promise<void>;
}
