import { keccak256, toUtf8Bytes, type Signer } from "ethers";
import {
  BatchAnchor__factory,
  Consortium__factory,
  EvidenceCustody__factory,
  MlatForwarder__factory,
  RequestRegistry__factory,
  TreatyRegistry__factory,
} from "../../typechain-types";
import type { ContractAddresses } from "../../sdk/src/ledger/deployment";
import type { LedgerContracts } from "../../sdk/src/ledger/contracts";
import type { FoundingArgs } from "./founding";

export type { LedgerContracts };

/** What {deployLedger} returns besides the contracts. */
export interface DeployedLedger {
  contracts: LedgerContracts;
  addresses: ContractAddresses;
  deployBlock: number;
  chainId: number;
  deployer: string;
}

/** A hash over the ABIs of the suite, so a client can tell that its bindings match a deployment. */
export function abiHash(): string {
  const abis = [
    MlatForwarder__factory.abi,
    Consortium__factory.abi,
    TreatyRegistry__factory.abi,
    RequestRegistry__factory.abi,
    EvidenceCustody__factory.abi,
    BatchAnchor__factory.abi,
  ];
  return keccak256(toUtf8Bytes(JSON.stringify(abis)));
}

/**
 * Deploys the whole suite and founds the consortium in the same transactions: the founding states,
 * accounts and threshold go into the Consortium constructor, the founding treaties into the
 * TreatyRegistry constructor. Nobody holds an admin key afterwards.
 */
export async function deployLedger(
  deployer: Signer,
  founding: FoundingArgs,
  log: (line: string) => void = () => undefined,
): Promise<DeployedLedger> {
  const deploy = async <T extends { waitForDeployment(): Promise<unknown>; getAddress(): Promise<string> }>(
    name: string,
    pending: Promise<T>,
  ): Promise<T> => {
    const c = await pending;
    await c.waitForDeployment();
    log(`deployed ${name} at ${await c.getAddress()}`);
    return c;
  };
  const provider = deployer.provider;
  if (!provider) throw new Error("the deployer signer has no provider");
  const forwarder = await deploy("MlatForwarder", new MlatForwarder__factory(deployer).deploy());
  const fwd = await forwarder.getAddress();
  const firstReceipt = await forwarder.deploymentTransaction()?.wait();
  const deployBlock = firstReceipt?.blockNumber ?? (await provider.getBlockNumber());
  const consortium = await deploy(
    "Consortium",
    new Consortium__factory(deployer).deploy(fwd, founding.states, founding.thresholdBps),
  );
  const cons = await consortium.getAddress();
  const treaties = await deploy(
    "TreatyRegistry",
    new TreatyRegistry__factory(deployer).deploy(fwd, cons, founding.treaties),
  );
  const requests = await deploy(
    "RequestRegistry",
    new RequestRegistry__factory(deployer).deploy(fwd, cons, await treaties.getAddress()),
  );
  const custody = await deploy(
    "EvidenceCustody",
    new EvidenceCustody__factory(deployer).deploy(fwd, cons, await requests.getAddress()),
  );
  const anchors = await deploy("BatchAnchor", new BatchAnchor__factory(deployer).deploy(fwd, cons));

  const contracts = { forwarder, consortium, treaties, requests, custody, anchors };
  const addresses: ContractAddresses = {
    forwarder: fwd,
    consortium: cons,
    treaties: await treaties.getAddress(),
    requests: await requests.getAddress(),
    custody: await custody.getAddress(),
    anchors: await anchors.getAddress(),
  };
  const network = await provider.getNetwork();
  return {
    contracts,
    addresses,
    deployBlock,
    chainId: Number(network.chainId),
    deployer: await deployer.getAddress(),
  };
}
