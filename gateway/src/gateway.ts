import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { parseIdentityFile } from "../../sdk/src/crypto/keys";
import { loadDeployment } from "../../sdk/src/ledger/deployment";
import { MembershipCache } from "./auth/membership";
import { authRoutes } from "./auth/routes";
import { SessionService } from "./auth/sessions";
import { BlobStore } from "./blobs/blobStore";
import { OrphanSweeper, orphanSweepMetrics } from "./blobs/orphans";
import { connectChain } from "./chain/chain";
import { useNativeKeccak } from "./chain/nativeKeccak";
import { StateDirectory } from "./chain/stateDirectory";
import type { GatewayConfig } from "./config/schema";
import type { GatewayContext } from "./context";
import { authenticate } from "./http/actor";
import { GatewayError } from "./http/errors";
import { jsonBody } from "./http/jsonBody";
import { jsonGuard } from "./http/jsonGuard";
import { problemHandler } from "./http/problem";
import { rateLimit } from "./http/rateLimit";
import { clientPace } from "./http/clientPace";
import { gatewayHttpServer, requireHost, type ClientTimeouts } from "./http/httpServer";
import { Indexer } from "./indexer/indexer";
import type { GatewayModule, ModuleDeps } from "./modules";
import { httpMetrics } from "./observability/httpMetrics";
import { metricsOf } from "./observability/metrics";
import { createLogger, type Logger } from "./observability/logger";
import { OutboxWorker } from "./outbox/worker";
import { FEATURE_MODULES } from "./features";
import { openStore } from "./store/database";

/** A running gateway. */
export interface Gateway {
  /** Base URL it listens on. */
  url: string;
  ctx: GatewayContext;
  /** The Express application (tests walk its routes). */
  app: express.Express;
  indexer: Indexer;
  outbox: OutboxWorker;
  /** The chain's memberships as this gateway caches them (tests check it cannot be grown from outside). */
  memberships: MembershipCache;
  /** Stops accepting, finishes work in progress, closes the store. */
  stop(): Promise<void>;
}

/** Options for tests and tools: a logger instead of stderr, and no background loops. */
export interface StartOptions {
  log?: Logger;
}

/**
 * Starts a gateway: opens the store (migrating it), connects to the chain, starts the indexer and the
 * outbox worker, and listens. Refuses to start, with one clear error, on a bad config, an unreadable
 * identity, a deployment of another chain, or a taken port.
 * @example const gw = await startGateway(loadConfig("gateway.json")); …; await gw.stop();
 */
export async function startGateway(config: GatewayConfig, options: StartOptions = {}): Promise<Gateway> {
  useNativeKeccak();
  const log = options.log ?? createLogger(config.logLevel, { state: config.state });
  const deployment = loadDeployment(config.deploymentFile);
  const identity = readIdentity(config.identityFile);
  const chain = connectChain(config.rpcUrl, deployment, config.relayerKey);
  await checkChain(chain.provider, deployment.chainId);
  const store = await openStore(config.storeUrl, config.storeSchema);
  const blobs = new BlobStore(config.blobDir);
  await blobs.sweepTemp(config.orphanGraceMs);

  let outbox: OutboxWorker | undefined;
  let publicUrl = config.publicUrl ?? "";
  const ctx: GatewayContext = {
    config,
    store,
    blobs,
    chain,
    identity,
    recipient: identity.recipient,
    log,
    wake: (kind) => outbox?.wake(kind),
    startedAt: Date.now(),
  };
  const sweeper = new OrphanSweeper(blobs, config.blobDir, store.db, {
    graceMs: config.orphanGraceMs,
    log,
    metrics: orphanSweepMetrics(metricsOf(ctx).registry),
  });
  sweeper.start();
  const directory = new StateDirectory(chain);
  const memberships = new MembershipCache(chain);
  const modules: GatewayModule[] = [];
  const indexer = new Indexer(
    store,
    chain,
    { confirmations: config.confirmations, pollIntervalMs: config.pollIntervalMs },
    {
      inTransaction: async (trx, events) => {
        for (const m of modules) await m.hooks?.inTransaction?.(trx, events);
      },
      afterCommit: (events) => {
        memberships.invalidate(events);
        directory.invalidate(events);
        for (const m of modules) m.hooks?.afterCommit?.(events);
      },
      afterReorg: (fork, orphaned) => {
        memberships.clear();
        // A key rotation or gateway change that left the chain must not stay in the state directory.
        directory.invalidate(orphaned);
        for (const m of modules) m.hooks?.afterReorg?.(fork, orphaned);
      },
    },
    log,
  );
  const deps: ModuleDeps = { ctx, directory, memberships, indexer, outbox: () => outbox! };
  modules.push(...FEATURE_MODULES.map((make) => make(deps)));
  outbox = new OutboxWorker(store, modules.flatMap((m) => m.jobs ?? []), log, { leaseMs: config.outboxLeaseMs, retentionMs: config.outboxRetentionMs });

  const sessions = new SessionService(store.db, memberships, {
    state: config.state,
    chainId: deployment.chainId,
    domain: () => new URL(publicUrl).host,
    ttlSeconds: config.sessionTtlSeconds,
  });
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(clientPace(config));
  app.use(httpMetrics(ctx));
  app.use(requireHost);
  app.use(rateLimit(config.rateLimitPerMinute));
  const rawBodyPaths = modules.flatMap((m) => m.rawBodyPaths ?? []);
  const isRaw = (req: express.Request) => rawBodyPaths.some((p) => p.test(req.path));
  app.use(jsonBody({ limitBytes: config.jsonLimitBytes, isRaw }));
  app.use(jsonGuard);
  app.use(authRoutes(sessions));
  for (const m of modules) if (m.publicRoutes) app.use(m.publicRoutes);
  app.use("/v1", authenticate(sessions, memberships, config.state));
  for (const m of modules) if (m.routes) app.use(m.routes);
  app.use((req, _res) => {
    throw new GatewayError("NOT_FOUND", `no route ${req.method} ${req.path}`);
  });
  app.use(problemHandler(log));

  const server = await listen(app, config.host, config.port, config);
  const port = (server.address() as AddressInfo).port;
  publicUrl ||= `http://${config.host}:${port}`;
  indexer.start();
  outbox.start();
  for (const m of modules) m.start?.();
  log.info("gateway listening", { url: publicUrl, relayer: chain.sender.address });

  return {
    url: `http://${config.host}:${port}`,
    ctx,
    app,
    indexer,
    outbox,
    memberships,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const m of modules) await m.stop?.();
      await sweeper.stop();
      await outbox!.stop();
      await indexer.stop();
      chain.provider.destroy();
      await store.close();
    },
  };
}

function readIdentity(file: string) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new GatewayError("CONFIG_INVALID", `cannot read the age identity file ${file}`, { cause });
  }
  const [identity] = parseIdentityFile(text);
  if (!identity) throw new GatewayError("CONFIG_INVALID", `${file} holds no age identity`);
  return identity;
}

async function checkChain(provider: { send(method: string, params: unknown[]): Promise<unknown> }, chainId: number): Promise<void> {
  let actual: number;
  try {
    actual = Number(await provider.send("eth_chainId", []));
  } catch (cause) {
    throw new GatewayError("CHAIN_UNAVAILABLE", "the chain node does not answer at the configured RPC URL", { cause });
  }
  if (actual !== chainId) throw new GatewayError("CONFIG_INVALID", `the RPC node is on chain ${actual}, the deployment on ${chainId}`);
}

function listen(app: express.Express, host: string, port: number, timeouts: ClientTimeouts): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Slow clients (docs/operations.md): headers in time, bodies and answers by progress, no total limit.
    const server = gatewayHttpServer(app, timeouts);
    server.listen(port, host);
    server.once("listening", () => resolve(server));
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new GatewayError("CONFIG_INVALID", `port ${port} on ${host} is taken; choose another with MLAT_PORT`)
          : e,
      ),
    );
  });
}
