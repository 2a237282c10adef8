/**
 * The whole local stack `npm start` runs: anvil with its state file, the consortium (reused or founded),
 * `local.json`, and one gateway per state. Stopping takes the gateways down first, then the chain, which
 * dumps its state on the way out.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { GatewayConfigInput } from "../../../gateway/src/config/schema";
import type { GatewayProcess } from "../gatewayProcess";
import { startAnvil, type AnvilNode } from "./anvil";
import { ensureConsortium } from "./consortium";
import { startLocalGateways } from "./gateways";
import { dataLayout, LOCAL_STATES, stackPorts, type DataLayout } from "./layout";
import { writeLocalFile, type LocalFile } from "./localFile";
import { assertPortsFree } from "./ports";

/** Options of {@link startLocalStack}. */
export interface StartLocalStackParameters {
  dataDir: string;
  /** The chain listens on it, the gateways on the next three ports. */
  portBase: number;
  host?: string;
  /** Seconds between anvil's state dumps (besides the one on exit); default 5. */
  stateIntervalSeconds?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Extra anvil arguments (measurements only, e.g. `["--block-time", "1"]`). */
  anvilArgs?: readonly string[];
  /** Gateway settings for tests (e.g. a quieter log level). */
  gatewayOverrides?: Partial<GatewayConfigInput>;
}

/** A running local stack. */
export interface LocalStack {
  local: LocalFile;
  layout: DataLayout;
  chain: AnvilNode;
  gateways: Record<string, GatewayProcess>;
  /** True when the consortium was already on the chain (a restart). */
  reused: boolean;
  /** Gateways first (SIGTERM, waiting for each), then the chain (SIGINT: it saves its state). */
  stop(): Promise<void>;
}

/**
 * Starts the stack in `dataDir` on `portBase`…`portBase + 3`; refuses a taken port with a
 * `PortTakenError` before starting anything.
 * @example const stack = await startLocalStack({ dataDir: ".data", portBase: 7100, log: console.log }); …; await stack.stop();
 */
export async function startLocalStack(p: StartLocalStackParameters): Promise<LocalStack> {
  const log = p.log ?? (() => undefined);
  const host = p.host ?? "127.0.0.1";
  const layout = dataLayout(p.dataDir);
  const ports = stackPorts(p.portBase);
  await assertPortsFree(
    host,
    [{ port: ports.chain, purpose: "chain" }, ...LOCAL_STATES.map((c) => ({ port: ports.gateways[c], purpose: `${c} gateway` }))],
    { chainPidFile: layout.chainPid },
  );
  mkdirSync(dirname(layout.chainState), { recursive: true });
  mkdirSync(layout.keysDir, { recursive: true, mode: 0o700 });

  log(`starting the chain (anvil) on port ${ports.chain}, state file ${layout.chainState}`);
  const chain = await startAnvil({ host, port: ports.chain, stateFile: layout.chainState, stateIntervalSeconds: p.stateIntervalSeconds, extraArgs: p.anvilArgs });
  writeFileSync(layout.chainPid, `${chain.pid}\n`);
  const stopChain = async () => {
    await chain.stop();
    rmSync(layout.chainPid, { force: true });
  };
  let gateways: Record<string, GatewayProcess> = {};
  try {
    const gatewayUrls = Object.fromEntries(LOCAL_STATES.map((c) => [c, `http://${host}:${ports.gateways[c]}`]));
    const { local, reused } = await ensureConsortium({ layout, rpcUrl: chain.url, gatewayUrls, log });
    writeLocalFile(layout.localFile, local);
    log(`wrote ${layout.localFile}`);
    log("starting the gateways");
    gateways = await startLocalGateways(local, log, p.gatewayOverrides);
    let stopped: Promise<void> | undefined;
    return {
      local,
      layout,
      chain,
      gateways,
      reused,
      stop: () =>
        (stopped ??= (async () => {
          await Promise.all(Object.values(gateways).map((g) => g.stop()));
          await stopChain();
        })()),
    };
  } catch (e) {
    await stopChain();
    throw e;
  }
}
