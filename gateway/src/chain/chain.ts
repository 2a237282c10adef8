import { FetchRequest, JsonRpcProvider, Network, Wallet } from "ethers";
import { connectLedger, type LedgerContracts } from "../../../sdk/src/ledger/contracts";
import type { Deployment } from "../../../sdk/src/ledger/deployment";
import { chainClock } from "./chainTime";
import { TransactionSender } from "./sender";

/** The gateway's view of the chain: a provider, the deployment, its contracts, and the relayer key. */
export interface Chain {
  provider: JsonRpcProvider;
  deployment: Deployment;
  /** Read-only contracts. */
  contracts: LedgerContracts;
  /** The state's GATEWAY account; one nonce sequence shared by every relay and anchor of this process. */
  sender: TransactionSender;
  /** The chain's clock (latest block's timestamp), read from the node at most once a second. */
  clock: () => Promise<number>;
}

/**
 * Connects to the consortium node. The network is pinned to the deployment's chain id, so a node of
 * another chain is refused at the first call instead of being used silently.
 * @example const chain = connectChain(config.rpcUrl, deployment, config.relayerKey);
 */
export function connectChain(rpcUrl: string, deployment: Deployment, relayerKey: string, timeoutMs = 10_000): Chain {
  const request = new FetchRequest(rpcUrl);
  request.timeout = timeoutMs;
  const provider = new JsonRpcProvider(request, Network.from(deployment.chainId), {
    staticNetwork: true,
    batchMaxCount: 20,
    // No response cache: the indexer compares block hashes to notice reorgs, and a cached block would hide one.
    cacheTimeout: -1,
    polling: true,
    pollingInterval: 250,
  });
  const wallet = new Wallet(relayerKey, provider);
  return {
    provider,
    deployment,
    contracts: connectLedger(deployment.contracts, provider),
    sender: new TransactionSender(wallet),
    clock: chainClock(provider),
  };
}
