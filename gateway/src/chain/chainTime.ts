import type { Provider } from "ethers";

/**
 * The chain's clock (the latest block's timestamp), read at most once per `maxAgeMs`: deadlines signed
 * into forward requests are compared with `block.timestamp`, never with this machine's clock.
 * @example const now = await chainTime(); deadline = now + 3600;
 */
export function chainClock(provider: Provider, maxAgeMs = 1_000): () => Promise<number> {
  let cached: { at: number; value: Promise<number> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > maxAgeMs) {
      const value = provider.getBlock("latest").then((b) => b?.timestamp ?? Math.floor(Date.now() / 1000));
      cached = { at: Date.now(), value };
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}
