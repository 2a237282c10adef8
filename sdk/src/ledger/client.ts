import type { ContractRunner, Provider, Signer, TransactionResponse } from "ethers";
import { MlatError } from "../errors/MlatError";
import { connectLedger, type LedgerContracts } from "./contracts";
import type { Deployment } from "./deployment";
import type { ForwardRequestData } from "./signForwardRequest";

/** Hands a signed forward request to whoever pays its gas (the state's gateway), returning its transaction. */
export type Relay = (request: ForwardRequestData) => Promise<TransactionResponse | string>;

/** What {createLedgerClient} needs. */
export interface LedgerClientParameters {
  /** Where the ledger lives (`deployments/<network>.json`). */
  deployment: Deployment;
  /** A provider to read; a signer to write. */
  runner: ContractRunner;
  /**
   * Relayed writes: the signer signs EIP-712 forward requests and `relay` submits them, so the signer
   * never needs gas or a node of its own.
   */
  relay?: Relay;
  /** Gas for a relayed call when estimation is not possible; default 500,000. */
  relayGas?: bigint;
}

/** A ledger client: the deployment, its contracts bound to the runner, and how writes are sent. */
export interface LedgerClient {
  readonly deployment: Deployment;
  readonly contracts: LedgerContracts;
  readonly provider: Provider;
  readonly signer?: Signer;
  readonly relay?: Relay;
  readonly relayGas: bigint;
}

/**
 * Creates a ledger client. Reads need a provider; writes a signer (sending directly, or signing for a
 * relay).
 * @example
 * const client = createLedgerClient({ deployment: loadDeployment("deployments/localhost.json"), runner: agencyWallet });
 * const write = await submitRequest(client, { requestedState: "MX", … });
 * const { requestId } = await write.wait();
 */
export function createLedgerClient(p: LedgerClientParameters): LedgerClient {
  const provider = p.runner.provider;
  if (!provider) throw new MlatError("LEDGER_NO_PROVIDER", "the ledger client's runner has no provider");
  const signer = "signTypedData" in p.runner ? (p.runner as Signer) : undefined;
  if (p.relay && !signer) {
    throw new MlatError("LEDGER_NO_SIGNER", "relayed writes need a signer to sign the forward requests");
  }
  return {
    deployment: p.deployment,
    contracts: connectLedger(p.deployment.contracts, p.runner),
    provider,
    signer,
    relay: p.relay,
    relayGas: p.relayGas ?? 500_000n,
  };
}
