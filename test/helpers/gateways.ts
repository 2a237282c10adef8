/**
 * Gateways against a real chain: Hardhat's node over JSON-RPC, a consortium founded on it, and one
 * gateway per state on SQLite or PostgreSQL (each in its own schema), with temp blob directories.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { foundLocalConsortium, type LocalConsortium } from "../../scripts/lib/localConsortium";
import { parseConfig } from "../../gateway/src/config/loadConfig";
import type { GatewayConfigInput } from "../../gateway/src/config/schema";
import { startGateway, type Gateway } from "../../gateway/src/gateway";
import { createLogger } from "../../gateway/src/observability/logger";
import { freePort } from "../../scripts/lib/freePort";
import { startHardhatNode, type HardhatNode } from "../../scripts/lib/hardhatNode";

/** The store flavours every gateway suite runs on. */
export const STORES = ["sqlite", "postgres"] as const;
export type StoreKind = (typeof STORES)[number];
export const POSTGRES_URL = process.env.MLAT_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A running test consortium with its gateways. */
export interface TestNetwork {
  node: HardhatNode;
  consortium: LocalConsortium;
  gateways: Record<string, Gateway>;
  configs: Record<string, GatewayConfigInput>;
  dir: string;
  /** Stops one gateway and starts it again on the same store, blobs and port. */
  restart(code: string): Promise<Gateway>;
  stop(): Promise<void>;
}

/**
 * Starts a Hardhat node, founds `codes` on it, and starts a gateway per state.
 * @example const net = await startTestNetwork("sqlite"); … await net.stop();
 */
export async function startTestNetwork(
  store: StoreKind,
  options: {
    codes?: string[];
    overrides?: Partial<GatewayConfigInput>;
    node?: HardhatNode;
    /** States whose gateways start in this process (default all; the others only get a configuration). */
    start?: string[];
    /** RPC URL the gateways use (e.g. a proxy in front of the node); default the node's. */
    rpcUrl?: string;
  } = {},
): Promise<TestNetwork> {
  const codes = options.codes ?? ["US", "MX", "ES"];
  const node = options.node ?? (await startHardhatNode());
  const dir = mkdtempSync(join(tmpdir(), "mlat-gw-"));
  const ports: Record<string, number> = {};
  for (const c of codes) ports[c] = await freePort();
  const urls = Object.fromEntries(codes.map((c) => [c, `http://127.0.0.1:${ports[c]}`]));
  const consortium = await foundLocalConsortium({ rpcUrl: node.url, dir, codes, gatewayUrls: urls });
  const schemas: string[] = [];
  const configs: Record<string, GatewayConfigInput> = {};
  for (const c of codes) {
    const schema = `gw_${c.toLowerCase()}_${Math.random().toString(36).slice(2, 10)}`;
    if (store === "postgres") schemas.push(schema);
    configs[c] = {
      state: c,
      rpcUrl: options.rpcUrl ?? node.url,
      deploymentFile: consortium.deploymentFile,
      relayerKey: consortium.states[c]!.gateway.privateKey,
      identityFile: consortium.states[c]!.identityFile,
      storeUrl: store === "sqlite" ? `sqlite:${join(dir, c, "gateway.sqlite")}` : POSTGRES_URL,
      storeSchema: store === "postgres" ? schema : undefined,
      blobDir: join(dir, c, "blobs"),
      port: ports[c],
      confirmations: 0,
      pollIntervalMs: 50,
      auditAnchorIntervalMs: 500,
      logLevel: "silent",
      ...(options.overrides ?? {}),
    };
  }
  const start = (c: string) => startGateway(parseConfig(configs[c]), { log: createLogger(process.env.MLAT_TEST_LOG === "1" ? "debug" : "silent", { state: c }) });
  const gateways: Record<string, Gateway> = {};
  for (const c of options.start ?? codes) gateways[c] = await start(c);
  return {
    node,
    consortium,
    gateways,
    configs,
    dir,
    restart: async (c) => {
      await gateways[c]!.stop();
      gateways[c] = await start(c);
      return gateways[c]!;
    },
    stop: async () => {
      for (const g of Object.values(gateways)) await g.stop().catch(() => undefined);
      if (!options.node) await node.stop();
      if (schemas.length > 0) await dropSchemas(schemas);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drops PostgreSQL schemas a test made (with everything in them). */
export async function dropSchemas(schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`drop schema if exists "${s}" cascade`);
  } finally {
    await client.end();
  }
}

/** Polls `probe` until it returns a value other than undefined (bounded by the test's own timeout). */
export async function eventually<T>(probe: () => Promise<T | undefined>, intervalMs = 50): Promise<T> {
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
