/** Where a local consortium keeps everything under its data directory (default `.data/`). */
import { join, resolve } from "node:path";

/** The states of the local consortium: the first two share a bilateral treaty, all three ratify UNTOC. */
export const LOCAL_STATES = ["US", "MX", "ES"] as const;
export type LocalStateCode = (typeof LOCAL_STATES)[number];

/** Paths of a data directory (all absolute). */
export interface DataLayout {
  root: string;
  /** `local.json`: what `npm start` runs and where the keys are (read by `npm run demo`). */
  localFile: string;
  deploymentFile: string;
  /** anvil's state file (loaded at start, dumped every few seconds and on exit). */
  chainState: string;
  /** Process id of the anvil this data directory runs (to name a leftover one). */
  chainPid: string;
  /** Age identities and development account keys. */
  keysDir: string;
  /** One directory per state: its gateway's SQLite file, blobs and log. */
  stateDir(code: string): string;
  store(code: string): string;
  blobs(code: string): string;
  gatewayLog(code: string): string;
  identityFile(code: string): string;
  accountsFile(code: string): string;
}

/**
 * The layout of `dataDir` (resolved against the working directory).
 * @example dataLayout(".data").store("US") // /…/.data/US/gateway.sqlite
 */
export function dataLayout(dataDir: string): DataLayout {
  const root = resolve(dataDir);
  const keysDir = join(root, "keys");
  const stateDir = (code: string) => join(root, code);
  return {
    root,
    localFile: join(root, "local.json"),
    deploymentFile: join(root, "deployment.json"),
    chainState: join(root, "chain", "state.json"),
    chainPid: join(root, "chain", "anvil.pid"),
    keysDir,
    stateDir,
    store: (code) => join(stateDir(code), "gateway.sqlite"),
    blobs: (code) => join(stateDir(code), "blobs"),
    gatewayLog: (code) => join(stateDir(code), "gateway.log"),
    identityFile: (code) => join(keysDir, `${code}.age-identity`),
    accountsFile: (code) => join(keysDir, `${code}.accounts.json`),
  };
}

/** The ports of a stack: the chain on `base`, the gateways on base+1, base+2, base+3. */
export function stackPorts(base: number): { chain: number; gateways: Record<LocalStateCode, number> } {
  return { chain: base, gateways: { US: base + 1, MX: base + 2, ES: base + 3 } };
}
