/**
 * Scenario builders for contract tests: a founded consortium of three states with every role, and
 * requests and evidence at any point of their lifecycle. Each builder returns what later steps need.
 */
import hre from "hardhat";
import { hexlify, randomBytes, type Signer } from "ethers";
import { deployLedger, type LedgerContracts } from "../../scripts/lib/deployLedger";
import { foundingArgs, treatyIdOf, type FoundingInput } from "../../scripts/lib/founding";
import { toStateBytes } from "../../sdk/src/ledger/stateCode";
import { assistanceMask, CustodyAction, Priority, type AssistanceTypeName } from "../../sdk/src/ledger/types";

export const US = toStateBytes("US");
export const MX = toStateBytes("MX");
export const ES = toStateBytes("ES");
export const FR = toStateBytes("FR");

/** The accounts of one state, one per role. */
export interface StateAccounts {
  code: string;
  authority: Signer;
  agency: Signer;
  gateway: Signer;
  verifier: Signer;
}

export interface Ledger extends LedgerContracts {
  us: StateAccounts;
  mx: StateAccounts;
  es: StateAccounts;
  /** Signers that belong to no state, free to be admitted or assigned. */
  strangers: Signer[];
  bilateral: string;
  untoc: string;
  keys: Record<string, string>;
}

export const BANK_AND_ELECTRONIC = assistanceMask(["BANK_RECORDS", "ELECTRONIC_EVIDENCE"]);
export const BILATERAL_SCOPE: AssistanceTypeName[] = [
  "TAKING_EVIDENCE",
  "BANK_RECORDS",
  "ELECTRONIC_EVIDENCE",
  "SEARCH_AND_SEIZURE",
  "WITNESS_HEARING",
];
export const DAY = 86_400;
export const ACK_WITHIN = 5 * DAY;
export const RESPOND_WITHIN = 90 * DAY;

export const randomId = (): string => hexlify(randomBytes(32));
export const digest = randomId;

/**
 * A consortium of US, MX and ES (threshold 50.01 %), with a bilateral US–MX treaty and UNTOC (open,
 * ratified by all three), each state with one account per role.
 */
export async function foundedConsortium(): Promise<Ledger> {
  const signers = await hre.ethers.getSigners();
  const [deployer, ...rest] = signers as unknown as [Signer, ...Signer[]];
  const take = (code: string): StateAccounts => {
    const [authority, agency, gateway, verifier] = rest.splice(0, 4) as [Signer, Signer, Signer, Signer];
    return { code, authority, agency, gateway, verifier };
  };
  const us = take(US);
  const mx = take(MX);
  const es = take(ES);
  const keys: Record<string, string> = { US: randomId(), MX: randomId(), ES: randomId() };
  const stateInput = async (name: string, s: StateAccounts, port: number) => ({
    code: name,
    encryptionKey: keys[name]!,
    gatewayUrl: `https://gateway.${name.toLowerCase()}.example:${port}`,
    accounts: [
      { address: await s.authority.getAddress(), roles: ["CENTRAL_AUTHORITY" as const] },
      { address: await s.agency.getAddress(), roles: ["AGENCY" as const] },
      { address: await s.gateway.getAddress(), roles: ["GATEWAY" as const] },
      { address: await s.verifier.getAddress(), roles: ["VERIFIER" as const] },
    ],
  });
  const input: FoundingInput = {
    thresholdBps: 5001,
    states: [await stateInput("US", us, 7101), await stateInput("MX", mx, 7102), await stateInput("ES", es, 7103)],
    treaties: [
      {
        name: "US-MX MLAT",
        documentDigest: digest(),
        scope: BILATERAL_SCOPE,
        acknowledgeWithin: ACK_WITHIN,
        respondWithin: RESPOND_WITHIN,
        parties: ["US", "MX"],
        ratifiedBy: ["US", "MX"],
      },
      {
        name: "UNTOC art. 18",
        documentDigest: digest(),
        scope: "ALL",
        acknowledgeWithin: "10d",
        respondWithin: "180d",
        ratifiedBy: ["US", "MX", "ES"],
      },
    ],
  };
  const { contracts } = await deployLedger(deployer, foundingArgs(input));
  return {
    ...contracts,
    us,
    mx,
    es,
    strangers: rest,
    bilateral: treatyIdOf("US-MX MLAT"),
    untoc: treatyIdOf("UNTOC art. 18"),
    keys,
  };
}

/** A request from the US to MX under the bilateral treaty, just submitted. */
export async function submittedRequest(l: Ledger, overrides: Partial<{ respondBy: number; priority: Priority }> = {}) {
  const requestId = randomId();
  const documentDigest = digest();
  const tx = await l.requests.connect(l.us.authority).submitRequest({
    requestId,
    requestedState: MX,
    treatyId: l.bilateral,
    assistanceTypes: BANK_AND_ELECTRONIC,
    priority: overrides.priority ?? Priority.Routine,
    documentDigest,
    respondBy: overrides.respondBy ?? 0,
  });
  return { requestId, documentDigest, tx };
}

/** Moves a submitted request from the US to MX to Acknowledged. */
export async function acknowledgedRequest(l: Ledger) {
  const r = await submittedRequest(l);
  await l.requests.connect(l.mx.authority).acknowledge(r.requestId, digest());
  return r;
}

/** Moves a request from the US to MX to InExecution. */
export async function requestInExecution(l: Ledger) {
  const r = await acknowledgedRequest(l);
  await l.requests.connect(l.mx.authority).accept(r.requestId, digest());
  await l.requests.connect(l.mx.authority).startExecution(r.requestId, digest());
  return r;
}

/** Evidence registered by MX's agency under a request in execution; MX holds it. */
export async function registeredEvidence(l: Ledger, custodianAccount?: string) {
  const { requestId } = await requestInExecution(l);
  const registration = {
    evidenceId: randomId(),
    requestId,
    payloadDigest: digest(),
    contentCommitment: digest(),
    manifestDigest: digest(),
    custodianAccount: custodianAccount ?? hre.ethers.ZeroAddress,
  };
  const tx = await l.custody.connect(l.mx.agency).registerEvidence(registration);
  return { ...registration, tx };
}

/** Evidence offered by MX to the US for a day. */
export async function offeredEvidence(l: Ledger) {
  const e = await registeredEvidence(l);
  const expiresAt = (await latestTimestamp()) + DAY;
  await l.custody.connect(l.mx.agency).offerCustody(e.evidenceId, US, hre.ethers.ZeroAddress, expiresAt, digest());
  return { ...e, expiresAt };
}

export async function latestTimestamp(): Promise<number> {
  const block = await hre.ethers.provider.getBlock("latest");
  return block!.timestamp;
}

/** Moves the chain's clock forward. */
export async function increaseTime(seconds: number): Promise<void> {
  await hre.network.provider.send("evm_increaseTime", [seconds]);
  await hre.network.provider.send("evm_mine", []);
}

/** Snapshot/revert so each test starts from the same founded consortium without redeploying. */
export async function snapshot(): Promise<() => Promise<void>> {
  const id = (await hre.network.provider.send("evm_snapshot", [])) as string;
  return async () => {
    await hre.network.provider.send("evm_revert", [id]);
  };
}

export { CustodyAction };

