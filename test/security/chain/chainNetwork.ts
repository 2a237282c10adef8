/**
 * The chain-fault suites' network: one Hardhat node, a US–MX consortium, the US gateway on SQLite and
 * the MX gateway on PostgreSQL. Both gateways follow the same chain, so one reorg, one outage or one
 * relay storm exercises both stores at once (half the wall time of running the suite once per store).
 * Each gateway's warnings and errors are kept, so a test can count nonce errors in its log.
 */
import { JsonRpcProvider } from "ethers";
import { join } from "node:path";
import { parseConfig } from "../../../gateway/src/config/loadConfig";
import type { GatewayConfigInput } from "../../../gateway/src/config/schema";
import { startGateway, type Gateway } from "../../../gateway/src/gateway";
import { createLogger } from "../../../gateway/src/observability/logger";
import { startHardhatNode } from "../../../scripts/lib/hardhatNode";
import { startTestNetwork, type StoreKind, type TestNetwork } from "../../helpers/gateways";

/** Which store each state's gateway runs on. */
export const STORE_OF: Record<"US" | "MX", StoreKind> = { US: "sqlite", MX: "postgres" };
export const CODES = ["US", "MX"] as const;
export type Code = (typeof CODES)[number];

/** Something between the gateways and the node (an RPC proxy that can fail or hold calls). */
export interface NodeFront {
  url: string;
  close(): Promise<void>;
}

/** A started chain-fault network. */
export interface ChainNetwork<P extends NodeFront | undefined = undefined> {
  net: TestNetwork;
  /** A provider on the node itself (never through a proxy), without ethers' response cache. */
  rpc: JsonRpcProvider;
  /** The proxy the gateways reach the node through, when one was asked for. */
  proxy: P;
  /** Warning and error lines each gateway logged (JSON lines), oldest first. */
  logs: Record<Code, string[]>;
  gateway(code: Code): Gateway;
  /** Stops `code`'s in-process gateway (to run it as its own process, say); `restart` starts it again. */
  stopGateway(code: Code): Promise<void>;
  /** Stops `code`'s gateway and starts it again with `overrides` merged into its configuration. */
  restart(code: Code, overrides?: Partial<GatewayConfigInput>): Promise<Gateway>;
  stop(): Promise<void>;
}

/**
 * Starts a Hardhat node, founds US and MX on it and starts their gateways: US on SQLite, MX on PostgreSQL
 * (its own schema in database `test`). With `proxy`, the gateways reach the node through the proxy it
 * starts in front of the node (the test's own `rpc` never does).
 * @example const cn = await startChainNetwork({ proxy: startRpcProxy }); cn.proxy.setDown(true); … await cn.stop();
 */
export async function startChainNetwork<P extends NodeFront | undefined = undefined>(
  options: { proxy?: (nodeUrl: string) => Promise<NonNullable<P>>; overrides?: Partial<GatewayConfigInput> } = {},
): Promise<ChainNetwork<P>> {
  const node = await startHardhatNode();
  const proxy = (options.proxy ? await options.proxy(node.url) : undefined) as P;
  // "postgres" gives every state a PostgreSQL schema (dropped by net.stop()); US is moved to SQLite below.
  const net = await startTestNetwork("postgres", { codes: [...CODES], start: [], node, rpcUrl: proxy?.url, overrides: options.overrides });
  net.configs.US = { ...net.configs.US!, storeUrl: `sqlite:${join(net.dir, "US", "gateway.sqlite")}`, storeSchema: undefined };
  const logs: Record<Code, string[]> = { US: [], MX: [] };
  const start = async (code: Code): Promise<Gateway> => {
    const log = createLogger(process.env.MLAT_TEST_LOG === "1" ? "debug" : "warn", { state: code }, (line) => {
      logs[code].push(line);
      if (process.env.MLAT_TEST_LOG === "1") process.stderr.write(line + "\n");
    });
    net.gateways[code] = await startGateway(parseConfig(net.configs[code]!), { log });
    return net.gateways[code]!;
  };
  for (const code of CODES) await start(code);
  const rpc = new JsonRpcProvider(net.node.url, undefined, { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 50 });
  return {
    net,
    rpc,
    proxy,
    logs,
    gateway: (code) => net.gateways[code]!,
    stopGateway: async (code) => {
      await net.gateways[code]?.stop();
      delete net.gateways[code];
    },
    restart: async (code, overrides = {}) => {
      await net.gateways[code]?.stop();
      delete net.gateways[code];
      net.configs[code] = { ...net.configs[code]!, ...overrides };
      return start(code);
    },
    stop: async () => {
      rpc.destroy();
      await net.stop();
      await proxy?.close();
      await node.stop();
    },
  };
}

/** The indexer checkpoint `gw` has committed to its store. */
export async function storedCheckpoint(gw: Gateway): Promise<number> {
  const row = await gw.ctx.store.db.selectFrom("meta").select("value").where("key", "=", "indexer.checkpoint").executeTakeFirst();
  return row ? Number(row.value) : -1;
}

/** A deterministic pseudo-random source (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: MLAT_CHAIN_SEED to replay one, else a fresh one (printed by the tests on failure). */
export function runSeed(): number {
  return process.env.MLAT_CHAIN_SEED ? Number(process.env.MLAT_CHAIN_SEED) : Math.floor(Math.random() * 2 ** 31);
}
