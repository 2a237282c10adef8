/**
 * The crash-safety rig: a Hardhat node over JSON-RPC, a US–MX consortium, the US gateway in this process
 * (the peer MX pushes to), and the MX gateway as a child process running the compiled JavaScript — the
 * one that is killed. The chain and the stores stay up for the whole file; a round restarts only the MX
 * process, so hundreds of kills fit in CI.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { standbyGatewayProcess, type GatewayProcess, type GatewayStandby } from "../../../scripts/lib/gatewayProcess";
import { startHardhatNode } from "../../../scripts/lib/hardhatNode";
import type { GatewayConfigInput } from "../../../gateway/src/config/schema";
import { openStore, type Store } from "../../../gateway/src/store/database";
import { createLedgerClient } from "../../../sdk/src/ledger/client";
import { connectLedger, type LedgerContracts } from "../../../sdk/src/ledger/contracts";
import * as R from "../../../sdk/src/ledger/actions/requests";
import { assistanceMask } from "../../../sdk/src/ledger/types";
import { startTestNetwork, type StoreKind, type TestNetwork } from "../../helpers/gateways";
import { ensureCompiledGateway } from "./build";

/** What every crash rig's gateways run with: a dev chain (no confirmations), fast polls, one gateway alone on its blobs. */
export const RIG_CONFIG: Partial<GatewayConfigInput> = {
  confirmations: 0,
  pollIntervalMs: 50,
  auditAnchorIntervalMs: 300,
  // One gateway alone on its blob directory: a crash's leftovers are removed at the next start.
  orphanGraceMs: 0,
  // A killed gateway's claimed jobs come back after 2 s instead of 10 s: the same recovery, sooner.
  outboxLeaseMs: 2_000,
  sessionTtlSeconds: 86_400,
  rateLimitPerMinute: 0,
};

/** The killed gateway (MX), its chain and its peer, and direct read access to its store and blobs. */
export interface CrashRig {
  store: StoreKind;
  net: TestNetwork;
  /** The MX gateway's configuration (its process is started and killed by the test). */
  config: GatewayConfigInput;
  /** The MX store, opened by the test to check it (the real store: SQLite file or PostgreSQL schema). */
  db: Store;
  ledger: LedgerContracts;
  provider: JsonRpcProvider;
  /** US → MX requests in execution: MX's agency uploads evidence under them. */
  requestsInExecution: string[];
  /** Ids of every request and evidence item a client of this rig tried to write (anything else on chain is a stray). */
  written: Set<string>;
  /**
   * Spawns the next MX gateway process (compiled, with `MLAT_FAILPOINTS` when given) as a standby: its code
   * loads now, while the current process still runs; it touches nothing until started.
   */
  standby(failpoints?: string, env?: Record<string, string>): GatewayStandby;
  /** Starts an MX gateway process now and waits until it answers. */
  start(failpoints?: string, env?: Record<string, string>): Promise<GatewayProcess>;
  close(): Promise<void>;
}

/**
 * Builds the rig for `store`: node, consortium, US gateway in-process, and `requests` US → MX requests put
 * in execution straight on the ledger.
 * @example const rig = await startCrashRig("sqlite"); const gw = await rig.start("tx.afterBroadcast=kill@2");
 */
export async function startCrashRig(store: StoreKind, options: { requests?: number; overrides?: Partial<GatewayConfigInput> } = {}): Promise<CrashRig> {
  ensureCompiledGateway();
  const node = await startHardhatNode();
  const net = await startTestNetwork(store, { codes: ["US", "MX"], node, start: ["US"], overrides: { ...RIG_CONFIG, ...(options.overrides ?? {}) } });
  const config = net.configs.MX!;
  // No response cache: ethers keeps answers 250 ms by default, and a stale block number would let
  // outboxDrained() call the gateway at rest while a block it has not indexed yet is already mined.
  const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, polling: false, cacheTimeout: -1 });
  const ledger = connectLedger(net.consortium.deployment.contracts, provider);
  // Each account sends from one nonce sequence of its own (the consortium's wallets may lag behind the node).
  const signer = (w: Wallet) => new NonceManager(new Wallet(w.privateKey, provider));
  const client = (s: NonceManager) => createLedgerClient({ deployment: net.consortium.deployment, runner: s });
  const us = { authority: signer(net.consortium.states.US!.authority) };
  const mx = { authority: signer(net.consortium.states.MX!.authority) };
  const requestsInExecution: string[] = [];
  for (let i = 0; i < (options.requests ?? 3); i++) {
    const { requestId } = await (
      await R.submitRequest(client(us.authority), {
        requestedState: "MX",
        treatyId: net.consortium.bilateralTreaty,
        assistanceTypes: assistanceMask(["BANK_RECORDS", "ELECTRONIC_EVIDENCE"]),
        documentDigest: "0x" + createHash("sha256").update(`crash-rig-${i}-${Math.random()}`).digest("hex"),
      })
    ).wait();
    for (const step of [R.acknowledgeRequest, R.acceptRequest, R.startExecution]) {
      await (await step(client(mx.authority), { requestId, documentDigest: "0x" + "11".repeat(32) })).wait();
    }
    requestsInExecution.push(requestId);
  }
  const db = await openStore(config.storeUrl, config.storeSchema);
  const processes = new Set<{ cancel(): Promise<void> }>();
  const standby = (failpoints?: string, env: Record<string, string> = {}): GatewayStandby => {
    const next = standbyGatewayProcess(config, { env: { ...env, ...(failpoints ? { MLAT_FAILPOINTS: failpoints } : {}) } });
    let started: GatewayProcess | undefined;
    const handle = { cancel: async () => (started ? started.kill() : next.cancel()) };
    processes.add(handle);
    return {
      start: async () => (started = await next.start()),
      cancel: async () => {
        processes.delete(handle);
        await handle.cancel();
      },
    };
  };
  return {
    store,
    net,
    config,
    db,
    ledger,
    provider,
    requestsInExecution,
    written: new Set(),
    standby,
    start: (failpoints, env) => standby(failpoints, env).start(),
    close: async () => {
      for (const p of processes) await p.cancel();
      await db.close();
      provider.destroy();
      await net.stop();
      await node.stop();
    },
  };
}

/** Resolves when the process has exited (at once when it already has). */
export function exited(gw: GatewayProcess): Promise<void> {
  if (gw.child.exitCode !== null || gw.child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => gw.child.once("exit", () => r()));
}

/** The blob files under a blob directory (digest → path), and the temp files left in `tmp/`. */
export function blobFiles(blobDir: string): { blobs: Map<string, string>; temps: string[] } {
  const blobs = new Map<string, string>();
  const hex = (d: string) => {
    try {
      return readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name));
    } catch {
      return []; // no blob written yet
    }
  };
  for (const a of hex(blobDir)) {
    for (const b of hex(join(blobDir, a.name))) {
      for (const name of readdirSync(join(blobDir, a.name, b.name))) {
        if (/^[0-9a-f]{64}$/.test(name)) blobs.set("0x" + name, join(blobDir, a.name, b.name, name));
      }
    }
  }
  let temps: string[] = [];
  try {
    temps = readdirSync(join(blobDir, "tmp"));
  } catch {
    temps = [];
  }
  return { blobs, temps };
}

/** SHA-256 of a file, `0x`-prefixed. */
export function fileDigest(path: string): string {
  return "0x" + createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Size of a file in bytes, or -1 when it is gone. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}
