/**
 * The consortium of a local stack: the one `local.json` names when its contracts are on this chain,
 * otherwise a new one deployed and founded (US, MX, ES; a US–MX bilateral treaty and UNTOC).
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";
import { DEV_MNEMONIC, foundLocalConsortium, type LocalConsortium } from "../localConsortium";
import type { DataLayout } from "./layout";
import { LOCAL_STATES } from "./layout";
import {
  ACCOUNT_ROLES,
  DEV_KEYS_NOTE,
  readLocalFile,
  type AccountsFile,
  writeAccountsFile,
  type LocalFile,
  type LocalStateEntry,
} from "./localFile";

/** Options of {@link ensureConsortium}. */
export interface EnsureConsortiumParameters {
  layout: DataLayout;
  rpcUrl: string;
  gatewayUrls: Record<string, string>;
  log: (line: string) => void;
}

/** The consortium to run, and whether it was already on the chain. */
export interface EnsureConsortiumReturnType {
  local: LocalFile;
  reused: boolean;
}

/**
 * Reuses the deployment `local.json` names when its consortium contract has code on the chain at `rpcUrl`;
 * otherwise founds a new one (moving gateway data of a vanished chain aside). Returns the `local.json`
 * content for this run (not yet written).
 * @example const { local, reused } = await ensureConsortium({ layout, rpcUrl, gatewayUrls, log });
 */
export async function ensureConsortium(p: EnsureConsortiumParameters): Promise<EnsureConsortiumReturnType> {
  const provider = new JsonRpcProvider(p.rpcUrl, undefined, { staticNetwork: true });
  try {
    const chainId = Number((await provider.getNetwork()).chainId);
    const previous = existsSync(p.layout.localFile) ? readLocalFile(p.layout.localFile) : undefined;
    if (previous && previous.chainId === chainId && (await provider.getCode(previous.consortium)) !== "0x" && keysPresent(previous)) {
      p.log(`consortium ${previous.consortium} found on the chain: reusing it`);
      return { local: forThisRun(previous, p), reused: true };
    }
    if (previous) p.log(`the consortium in ${p.layout.localFile} is not on this chain (a new state file?): founding a new one`);
    moveStaleGatewayData(p.layout, p.log);
    p.log("deploying the contracts and founding US, MX and ES (a US–MX bilateral treaty and UNTOC)");
    const founded = await foundLocalConsortium({
      rpcUrl: p.rpcUrl,
      dir: p.layout.keysDir,
      codes: [...LOCAL_STATES],
      gatewayUrls: p.gatewayUrls,
      log: (line) => p.log(`  ${line}`),
    });
    renameSync(founded.deploymentFile, p.layout.deploymentFile);
    return { local: localFileOf(founded, p, chainId), reused: false };
  } finally {
    provider.destroy();
  }
}

function keysPresent(local: LocalFile): boolean {
  return Object.values(local.states).every((s) => existsSync(s.accountsFile) && existsSync(s.identityFile));
}

/** The previous run's file with this run's URLs (ports may have changed). */
function forThisRun(previous: LocalFile, p: EnsureConsortiumParameters): LocalFile {
  const states = Object.fromEntries(
    Object.entries(previous.states).map(([code, s]) => [code, { ...s, gatewayUrl: p.gatewayUrls[code] ?? s.gatewayUrl }]),
  );
  return { ...previous, rpcUrl: p.rpcUrl, states, startedAt: new Date().toISOString() };
}

/** Gateway stores of a consortium that is no longer on the chain would index a ledger that is gone. */
function moveStaleGatewayData(layout: DataLayout, log: (line: string) => void): void {
  const present = LOCAL_STATES.filter((code) => existsSync(layout.stateDir(code)));
  if (present.length === 0) return;
  const aside = join(layout.root, "stale", new Date().toISOString().replace(/[:.]/g, "-"));
  mkdirSync(aside, { recursive: true });
  for (const code of present) renameSync(layout.stateDir(code), join(aside, code));
  log(`moved the gateway data of the vanished consortium to ${aside}`);
}

/** `local.json` of a consortium just founded; writes each state's accounts file. */
function localFileOf(c: LocalConsortium, p: EnsureConsortiumParameters, chainId: number): LocalFile {
  const { layout } = p;
  const states: Record<string, LocalStateEntry> = {};
  LOCAL_STATES.forEach((code, stateIndex) => {
    const s = c.states[code]!;
    const wallets = { authority: s.authority, agency: s.agency, gateway: s.gateway, verifier: s.verifier };
    const accounts = Object.fromEntries(
      ACCOUNT_ROLES.map((role, roleIndex) => {
        // foundLocalConsortium hands out development accounts 1, 2, … in state order, four roles a state.
        const index = 1 + stateIndex * ACCOUNT_ROLES.length + roleIndex;
        const wallet = wallets[role];
        const hdPath = `m/44'/60'/0'/0/${index}`;
        if (HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), hdPath).address !== wallet.address) {
          throw new Error(`the ${code} ${role} account is not development account ${index}: foundLocalConsortium changed its order`);
        }
        return [role, { address: wallet.address, privateKey: wallet.privateKey, hdPath }];
      }),
    ) as AccountsFile["accounts"];
    writeAccountsFile(layout.accountsFile(code), { format: "mlat-ledger/dev-accounts/v1", note: DEV_KEYS_NOTE, state: code, accounts });
    states[code] = {
      gatewayUrl: p.gatewayUrls[code]!,
      accounts: { authority: s.authority.address, agency: s.agency.address, gateway: s.gateway.address, verifier: s.verifier.address },
      accountsFile: layout.accountsFile(code),
      identityFile: s.identityFile,
      storeFile: layout.store(code),
      blobDir: layout.blobs(code),
      logFile: layout.gatewayLog(code),
    };
  });
  return {
    format: "mlat-ledger/local/v1",
    note: DEV_KEYS_NOTE,
    rpcUrl: p.rpcUrl,
    chainId,
    deploymentFile: layout.deploymentFile,
    consortium: c.deployment.contracts.consortium,
    treaties: { bilateral: c.bilateralTreaty, untoc: c.untocTreaty },
    states,
    startedAt: new Date().toISOString(),
  };
}
