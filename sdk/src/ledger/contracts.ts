import { Interface, type ContractRunner } from "ethers";
import {
  BatchAnchor__factory,
  Consortium__factory,
  EvidenceCustody__factory,
  MlatForwarder__factory,
  RequestRegistry__factory,
  TreatyRegistry__factory,
  type BatchAnchor,
  type Consortium,
  type EvidenceCustody,
  type MlatForwarder,
  type RequestRegistry,
  type TreatyRegistry,
} from "../../../typechain-types";
import type { ContractAddresses } from "./deployment";

/** The ledger's contracts, typed by typechain. */
export interface LedgerContracts {
  forwarder: MlatForwarder;
  consortium: Consortium;
  treaties: TreatyRegistry;
  requests: RequestRegistry;
  custody: EvidenceCustody;
  anchors: BatchAnchor;
}
/** The name of one of the ledger's contracts, as in a deployment record. */
export type LedgerContractName = keyof LedgerContracts;

const FACTORIES = {
  forwarder: MlatForwarder__factory,
  consortium: Consortium__factory,
  treaties: TreatyRegistry__factory,
  requests: RequestRegistry__factory,
  custody: EvidenceCustody__factory,
  anchors: BatchAnchor__factory,
} as const;

/**
 * Binds the deployed contracts to a runner (a provider to read, a signer to write).
 * @example const c = connectLedger(deployment.contracts, provider); await c.requests.request(id);
 */
export function connectLedger(addresses: ContractAddresses, runner: ContractRunner | null): LedgerContracts {
  return {
    forwarder: MlatForwarder__factory.connect(addresses.forwarder, runner),
    consortium: Consortium__factory.connect(addresses.consortium, runner),
    treaties: TreatyRegistry__factory.connect(addresses.treaties, runner),
    requests: RequestRegistry__factory.connect(addresses.requests, runner),
    custody: EvidenceCustody__factory.connect(addresses.custody, runner),
    anchors: BatchAnchor__factory.connect(addresses.anchors, runner),
  };
}

/** The ABI interface of each contract. */
export const LEDGER_INTERFACES: Record<LedgerContractName, Interface> = Object.fromEntries(
  Object.entries(FACTORIES).map(([name, f]) => [name, new Interface(f.abi)]),
) as Record<LedgerContractName, Interface>;

/**
 * Every custom error of the suite in one interface. Membership errors are raised by the consortium
 * inside calls to every other contract, so a revert is decoded against the union.
 */
export const LEDGER_ERRORS = new Interface(
  Object.values(FACTORIES)
    .flatMap((f) => f.abi as readonly { type: string; name?: string }[])
    .filter((f) => f.type === "error")
    .filter((f, i, all) => all.findIndex((g) => JSON.stringify(g) === JSON.stringify(f)) === i),
);
