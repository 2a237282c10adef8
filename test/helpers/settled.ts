/**
 * Waits for a test network to be quiet: every gateway has indexed the chain head, has no outbox job
 * waiting or running (a peer push in flight writes documents and blobs on the other side) and no upload half
 * written. A suite that compares a store census before and after a refused request takes its "before"
 * only then, or a push still landing from an earlier step shows up as something the refusal stored.
 */
import { JsonRpcProvider } from "ethers";
import type { Gateway } from "../../gateway/src/gateway";
import type { TestNetwork } from "./gateways";
import { countBlobFiles } from "./storeCensus";

/** What keeps one gateway busy, in words; empty when it is quiet. */
async function busyWith(code: string, gateway: Gateway, blobDir: string, head: number): Promise<string[]> {
  const busy: string[] = [];
  if (gateway.indexer.checkpoint < head) busy.push(`${code} indexed to ${gateway.indexer.checkpoint}, its confirmed head is ${head}`);
  const jobs = await gateway.outbox.counts();
  const open = (jobs.pending ?? 0) + (jobs.running ?? 0);
  if (open > 0) busy.push(`${code} has ${open} outbox job(s) pending or running`);
  const { tmp } = countBlobFiles(blobDir);
  if (tmp > 0) busy.push(`${code} has ${tmp} upload(s) half written`);
  return busy;
}

/**
 * Resolves once two checks 100 ms apart find every running gateway of `net` quiet; throws, naming what
 * is still busy, after `timeoutMs`.
 * @example await settled(net); const before = await census("MX");
 */
export async function settled(net: TestNetwork, timeoutMs = 60_000): Promise<void> {
  const rpc = new JsonRpcProvider(net.node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (let quiet = 0; quiet < 2; ) {
      const head = await rpc.getBlockNumber();
      const busy = (
        await Promise.all(Object.entries(net.gateways).map(([code, gw]) => busyWith(code, gw, net.configs[code]!.blobDir!, head - (net.configs[code]!.confirmations ?? 0))))
      ).flat();
      quiet = busy.length === 0 ? quiet + 1 : 0;
      if (busy.length > 0 && Date.now() > deadline) throw new Error(`the network did not settle in ${timeoutMs} ms: ${busy.join("; ")}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    rpc.destroy();
  }
}
