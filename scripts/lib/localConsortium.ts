/**
 * A consortium on one machine: keys for every state (age identity and one wallet per role, from the
 * node's development mnemonic), the suite deployed and founded over JSON-RPC, and the files a gateway
 * needs (deployment record, identity files). Used by the gateway tests and by `npm start`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic, NonceManager, type Wallet } from "ethers";
import { formatIdentityFile, formatRecipient, generateIdentity, type AgeIdentity } from "../../sdk/src/crypto/keys";
import type { Deployment } from "../../sdk/src/ledger/deployment";
import type { RoleName } from "../../sdk/src/ledger/types";
import { abiHash, deployLedger } from "./deployLedger";
import { foundingArgs, treatyIdOf, type FoundingInput } from "./founding";

/** Hardhat's and anvil's development mnemonic: funded accounts on a local node. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** The keys of one state of a local consortium. */
export interface LocalState {
  code: string;
  identity: AgeIdentity;
  identityFile: string;
  authority: Wallet;
  agency: Wallet;
  gateway: Wallet;
  verifier: Wallet;
  gatewayUrl: string;
}

/** A founded local consortium. */
export interface LocalConsortium {
  deployment: Deployment;
  deploymentFile: string;
  states: Record<string, LocalState>;
  bilateralTreaty: string;
  untocTreaty: string;
}

const ROLES: RoleName[] = ["CENTRAL_AUTHORITY", "AGENCY", "GATEWAY", "VERIFIER"];

/** The development wallet at index `i` (m/44'/60'/0'/0/i). */
export function devWallet(i: number, provider: JsonRpcProvider): Wallet {
  const node = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${i}`);
  return node.connect(provider) as unknown as Wallet;
}

/**
 * Deploys and founds a consortium of `codes` (the first two share a bilateral treaty; all ratify UNTOC)
 * on the node at `rpcUrl`; writes `deployment.json` and `<code>.age-identity` into `dir`.
 * @example const c = await foundLocalConsortium({ rpcUrl, dir, codes: ["US", "MX", "ES"], gatewayUrls });
 */
export async function foundLocalConsortium(p: {
  rpcUrl: string;
  dir: string;
  codes: string[];
  gatewayUrls: Record<string, string>;
  /** First development-wallet index to use (each state takes four). */
  firstAccount?: number;
  log?: (line: string) => void;
}): Promise<LocalConsortium> {
  mkdirSync(p.dir, { recursive: true });
  const provider = new JsonRpcProvider(p.rpcUrl, undefined, { staticNetwork: true });
  const chainId = Number((await provider.getNetwork()).chainId);
  const deployer = devWallet(0, provider);
  let next = p.firstAccount ?? 1;
  const states: Record<string, LocalState> = {};
  for (const code of p.codes) {
    const identity = generateIdentity();
    const identityFile = join(p.dir, `${code}.age-identity`);
    writeFileSync(identityFile, formatIdentityFile(identity), { mode: 0o600 });
    const [authority, agency, gateway, verifier] = [0, 1, 2, 3].map(() => devWallet(next++, provider)) as [Wallet, Wallet, Wallet, Wallet];
    states[code] = { code, identity, identityFile, authority, agency, gateway, verifier, gatewayUrl: p.gatewayUrls[code]! };
  }
  const [a, b] = p.codes as [string, string];
  const input: FoundingInput = {
    thresholdBps: 5001,
    states: p.codes.map((code) => {
      const s = states[code]!;
      return {
        code,
        encryptionKey: formatRecipient(s.identity.recipient),
        gatewayUrl: s.gatewayUrl,
        accounts: [s.authority, s.agency, s.gateway, s.verifier].map((w, i) => ({ address: w.address, roles: [ROLES[i]!] })),
      };
    }),
    treaties: [
      {
        name: `${a}-${b} MLAT`,
        documentDigest: "0x" + "11".repeat(32),
        scope: "ALL",
        acknowledgeWithin: "5d",
        respondWithin: "90d",
        parties: [a, b],
        ratifiedBy: [a, b],
      },
      { name: "UNTOC art. 18", documentDigest: "0x" + "22".repeat(32), scope: "ALL", acknowledgeWithin: "10d", respondWithin: "180d", ratifiedBy: p.codes },
    ],
  };
  const ledger = await deployLedger(new NonceManager(deployer), foundingArgs(input), p.log);
  const deployment: Deployment = {
    format: "mlat-ledger/deployment/v1",
    network: "local",
    chainId,
    deployBlock: ledger.deployBlock,
    deployer: deployer.address,
    commit: "local",
    deployedAt: new Date().toISOString(),
    abiHash: abiHash(),
    contracts: ledger.addresses,
  };
  const deploymentFile = join(p.dir, "deployment.json");
  writeFileSync(deploymentFile, JSON.stringify(deployment, null, 2) + "\n");
  return { deployment, deploymentFile, states, bilateralTreaty: treatyIdOf(`${a}-${b} MLAT`), untocTreaty: treatyIdOf("UNTOC art. 18") };
}
