import { toQuantity } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CODES, seededRandom, startChainNetwork, STORE_OF, storedCheckpoint, type ChainNetwork } from "./chainNetwork";
import { startHoldingRpcProxy, type HoldingRpcProxy } from "./holdingRpcProxy";
import { indexMismatches } from "./indexAudit";
import { LedgerDriver } from "./ledgerDriver";

/**
 * Reorgs at the two places where the indexer holds less than the whole chain: blocks it indexed in one
 * range without storing their hashes, and a reorg between its `eth_getLogs` and its `eth_getBlock`.
 * The gateways reach the node through a proxy that can hold one answer back.
 */
describe(`the indexer at the edges of a reorg (US on ${STORE_OF.US}, MX on ${STORE_OF.MX})`, () => {
  let proxy: HoldingRpcProxy;
  let cn: ChainNetwork<HoldingRpcProxy>;
  let driver: LedgerDriver;
  beforeAll(async () => {
    cn = await startChainNetwork({ proxy: startHoldingRpcProxy });
    proxy = cn.proxy;
    driver = new LedgerDriver(cn.rpc, cn.net.consortium, seededRandom(1), { US: 9, MX: 10 });
    // The tests poll by hand: no background polls racing them.
    for (const code of CODES) await cn.gateway(code).indexer.stop();
  });
  afterAll(async () => {
    await cn?.stop();
  });

  /** Polls until a poll that started now succeeded. */
  async function pollAll(): Promise<void> {
    for (const code of CODES) {
      const indexer = cn.gateway(code).indexer;
      do await indexer.poll();
      while (indexer.lastError !== undefined);
    }
  }

  /** The gateway's index equals the chain, and holds the request the replacing branch submitted. */
  async function expectCanonical(code: (typeof CODES)[number], requestId: string): Promise<void> {
    const gw = cn.gateway(code);
    expect(await storedCheckpoint(gw)).toBe(await cn.rpc.getBlockNumber());
    const { mismatches } = await indexMismatches(gw, cn.rpc);
    expect(mismatches, `${code} on ${STORE_OF[code]}`).toEqual([]);
    expect(await gw.ctx.store.db.selectFrom("requests").select("request_id").where("request_id", "=", requestId).execute()).toHaveLength(1);
  }

  /**
   * Replaces the chain above the block before the current head, plus `indexed` blocks the index already
   * holds, while one answer to `code`'s indexer is held back (`holdFor(checkpoint)`); the replacing branch
   * submits a request first.
   */
  async function reorgWhileHeld(
    code: (typeof CODES)[number],
    indexed: number,
    holdFor: (checkpoint: number) => { held: Promise<void>; release(): void },
  ): Promise<void> {
    await pollAll();
    const indexer = cn.gateway(code).indexer;
    const snapshot = await driver.rpc<string>("evm_snapshot");
    await driver.mine(indexed);
    await pollAll();
    const checkpoint = await storedCheckpoint(cn.gateway(code));
    await driver.mine(1);
    const hold = holdFor(checkpoint);
    const polling = indexer.poll();
    await hold.held;
    await driver.rpc("evm_revert", [snapshot]);
    await driver.rpc("evm_increaseTime", [1]);
    const requestId = await driver.submitNewRequest();
    await driver.mine(indexed);
    hold.release();
    await polling;
    await pollAll();
    await expectCanonical(code, requestId);
  }

  it("indexes the events of a replaced block whose hash the index never stored (indexed inside a range)", async () => {
    await pollAll();
    const snapshot = await driver.rpc<string>("evm_snapshot");
    // Two empty blocks indexed as one range: only the range's last block hash is stored.
    await driver.mine(2);
    await pollAll();
    await driver.rpc("evm_revert", [snapshot]);
    await driver.rpc("evm_increaseTime", [1]);
    // The replacing branch has an event in the first block and is as long as the orphaned one.
    const requestId = await driver.submitNewRequest();
    await driver.mine(1);
    await pollAll();
    for (const code of CODES) await expectCanonical(code, requestId);
  }, 20 * 60_000);

  it("never stores a range whose blocks were replaced between eth_getLogs and eth_getBlock", async () => {
    // The poll reads the logs of the old (empty) block; its answer waits while the block is replaced.
    for (const code of CODES) await reorgWhileHeld(code, 0, () => proxy.holdNext("eth_getLogs"));
  }, 20 * 60_000);

  it("never stores a range on top of a checkpoint that a reorg replaced after the parent check", async () => {
    // The checkpoint block itself is replaced (the reorg goes below what the index holds) while the answer
    // of the parent check (the first read of the block after the checkpoint) is held.
    for (const code of CODES) {
      await reorgWhileHeld(code, 1, (checkpoint) => proxy.holdNext("eth_getBlockByNumber", (params) => params[0] === toQuantity(checkpoint + 1)));
    }
  }, 20 * 60_000);
});
