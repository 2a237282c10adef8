/** One gateway process per state of a local consortium, on SQLite and blobs under `.data/<state>/`. */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { GatewayConfigInput } from "../../../gateway/src/config/schema";
import { startGatewayProcess, type GatewayProcess } from "../gatewayProcess";
import { readAccountsFile, type LocalFile } from "./localFile";

/** Settings every local gateway shares (the chain is anvil: a block per transaction, no reorgs). */
export const LOCAL_GATEWAY_SETTINGS = {
  // anvil mines a block only when a transaction arrives: with confirmations > 0 the last write would wait
  // for the next one. A real network keeps the default (2).
  confirmations: 0,
  pollIntervalMs: 200,
  auditAnchorIntervalMs: 10_000,
  logLevel: "info",
} as const satisfies Partial<GatewayConfigInput>;

/**
 * The configuration of `code`'s gateway: the store, blobs and identity `local.json` names, its relayer key
 * from its accounts file, and the other states' gateways as peers (their URLs of this run).
 * @example const config = localGatewayConfig(local, "US");
 */
export function localGatewayConfig(local: LocalFile, code: string, overrides: Partial<GatewayConfigInput> = {}): GatewayConfigInput {
  const s = local.states[code];
  if (!s) throw new Error(`local.json has no state ${code}`);
  const url = new URL(s.gatewayUrl);
  const relayer = readAccountsFile(s.accountsFile).accounts.gateway;
  if (!relayer) throw new Error(`${s.accountsFile} has no gateway account`);
  return {
    state: code,
    rpcUrl: local.rpcUrl,
    deploymentFile: local.deploymentFile,
    relayerKey: relayer.privateKey,
    identityFile: s.identityFile,
    storeUrl: `sqlite:${s.storeFile}`,
    blobDir: s.blobDir,
    host: url.hostname,
    port: Number(url.port),
    publicUrl: s.gatewayUrl,
    peers: Object.fromEntries(Object.entries(local.states).map(([c, other]) => [c, other.gatewayUrl])),
    ...LOCAL_GATEWAY_SETTINGS,
    ...overrides,
  };
}

/**
 * Starts every state's gateway (in parallel) and appends each one's log to its `logFile`. If one fails,
 * the others are stopped and the error names the state and the gateway's last output.
 * @example const gateways = await startLocalGateways(local, (l) => console.log(l));
 */
export async function startLocalGateways(
  local: LocalFile,
  log: (line: string) => void,
  overrides: Partial<GatewayConfigInput> = {},
): Promise<Record<string, GatewayProcess>> {
  const codes = Object.keys(local.states);
  const started = await Promise.allSettled(
    codes.map(async (code) => {
      const s = local.states[code]!;
      mkdirSync(s.blobDir, { recursive: true });
      mkdirSync(dirname(s.logFile), { recursive: true });
      const gateway = await startGatewayProcess(localGatewayConfig(local, code, overrides), { compiled: process.env.MLAT_GATEWAY_COMPILED === "1" }).catch((e: unknown) => {
        throw new Error(`the ${code} gateway did not start: ${e instanceof Error ? e.message : String(e)}`);
      });
      const logFile = createWriteStream(s.logFile, { flags: "a" });
      logFile.write(gateway.output());
      gateway.child.stdout!.pipe(logFile);
      gateway.child.stderr!.pipe(logFile);
      log(`gateway ${code} listening on ${gateway.url} (log: ${s.logFile})`);
      return [code, gateway] as const;
    }),
  );
  const ok = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await Promise.all(ok.map(([, g]) => g.stop()));
    throw failed.reason;
  }
  return Object.fromEntries(ok);
}
