/**
 * The network a load run needs: Hardhat's node over JSON-RPC, a US–MX consortium founded on it, the US
 * staffed with one account per simulated client, and both gateways as their own compiled processes (the
 * load generator must not share the measured gateway's event loop, nor its CPU profile).
 */
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { connectLedger } from "../../sdk/src/ledger/contracts";
import { Role, type RoleName } from "../../sdk/src/ledger/types";
import { startGatewayProcess, type GatewayProcess } from "../../scripts/lib/gatewayProcess";
import type { GatewayConfigInput } from "../../gateway/src/config/schema";
import { startTestNetwork, type StoreKind, type TestNetwork } from "../helpers/gateways";

/** How many accounts of each role a state gets on top of its founding ones. */
export type Staff = Partial<Record<RoleName, number>>;

/** A running load network. */
export interface LoadNetwork {
  net: TestNetwork;
  /** The gateway processes by state (`US` is the one under load). */
  gateways: Record<"US" | "MX", GatewayProcess>;
  /** The extra accounts of each state, by role. */
  staff: Record<"US" | "MX", Record<RoleName, Wallet[]>>;
  stop(): Promise<void>;
}

/**
 * Gateway settings of a load run. The rate limit stays on but above the offered load: every simulated
 * client connects from 127.0.0.1, where production clients come from their own addresses (and a load
 * balancer limits across replicas). Audit batches are anchored every 10 s so that the run sees sealed
 * batches and proofs; the indexer polls every 200 ms (Hardhat mines on demand, without confirmations).
 */
export const LOAD_GATEWAY_SETTINGS: Partial<GatewayConfigInput> = {
  rateLimitPerMinute: 10_000_000,
  pollIntervalMs: 200,
  auditAnchorIntervalMs: 10_000,
  logLevel: "warn",
};

/**
 * Starts the node, founds US and MX, adds `staff` to each state and starts both gateways as compiled
 * processes on `store`. `nodeArgs` go to the US gateway (e.g. `--cpu-prof`).
 * @example const ln = await startLoadNetwork("sqlite", { US: { AGENCY: 24 }, MX: { AGENCY: 4 } }); …; await ln.stop();
 */
export async function startLoadNetwork(
  store: StoreKind,
  staff: Record<"US" | "MX", Staff>,
  options: { nodeArgs?: string[] } = {},
): Promise<LoadNetwork> {
  const net = await startTestNetwork(store, { codes: ["US", "MX"], start: [], overrides: LOAD_GATEWAY_SETTINGS });
  const gateways: Partial<Record<"US" | "MX", GatewayProcess>> = {};
  const stop = async () => {
    for (const g of Object.values(gateways)) await g.stop().catch(() => undefined);
    await net.stop();
  };
  try {
    const provider = new JsonRpcProvider(net.node.url, undefined, { staticNetwork: true });
    const hired = {
      US: await hire(provider, net, "US", staff.US),
      MX: await hire(provider, net, "MX", staff.MX),
    };
    provider.destroy();
    gateways.MX = await startGatewayProcess(net.configs.MX!, { compiled: true });
    gateways.US = await startGatewayProcess(net.configs.US!, { compiled: true, nodeArgs: options.nodeArgs });
    return { net, gateways: gateways as Record<"US" | "MX", GatewayProcess>, staff: hired, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Adds `staff` accounts to `code`, each with one role, through its founding central authority. */
async function hire(provider: JsonRpcProvider, net: TestNetwork, code: string, staff: Staff): Promise<Record<RoleName, Wallet[]>> {
  // A local nonce: ethers caches eth_getTransactionCount for a moment, so back-to-back sends would collide.
  const authority = new NonceManager(net.consortium.states[code]!.authority.connect(provider));
  const ledger = connectLedger(net.consortium.deployment.contracts, authority);
  const hired = { CENTRAL_AUTHORITY: [], AGENCY: [], GATEWAY: [], VERIFIER: [] } as Record<RoleName, Wallet[]>;
  const sent = [];
  for (const [role, count] of Object.entries(staff) as [RoleName, number][]) {
    for (let i = 0; i < count; i++) {
      const w = Wallet.createRandom() as unknown as Wallet;
      hired[role].push(w);
      // Sent back to back with consecutive nonces; an automining node mines each as it arrives.
      sent.push(await ledger.consortium.setAccountRoles(w.address, Role[role]));
    }
  }
  for (const tx of sent) await tx.wait();
  return hired;
}
