import type { Log, Provider } from "ethers";

/**
 * All logs of `address` whose first indexed topic is `key`, from `fromBlock` to the latest block, read in
 * chunks so that nodes that cap `eth_getLogs` ranges still answer.
 */
export async function logsByKey(
  provider: Provider,
  address: string,
  key: string,
  fromBlock: number,
  chunk = 50_000,
): Promise<Log[]> {
  const latest = await provider.getBlockNumber();
  const out: Log[] = [];
  for (let start = fromBlock; start <= latest; start += chunk) {
    const end = Math.min(latest, start + chunk - 1);
    out.push(...(await provider.getLogs({ address, topics: [null, key], fromBlock: start, toBlock: end })));
  }
  return out;
}
