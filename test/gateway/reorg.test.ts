import { JsonRpcProvider, NonceManager } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLedgerClient } from "../../sdk/src/ledger/client";
import { submitRequest } from "../../sdk/src/ledger/actions/requests";
import { assistanceMask } from "../../sdk/src/ledger/types";
import { sessionOf } from "../helpers/gatewayFixtures";
import { eventually, STORES, startTestNetwork, type TestNetwork } from "../helpers/gateways";

describe.each(STORES)("the indexer under chain reorganizations (%s)", (store) => {
  let net: TestNetwork;
  let rpc: JsonRpcProvider;
  beforeAll(async () => {
    net = await startTestNetwork(store, { codes: ["US", "MX"], start: ["MX"] });
    rpc = new JsonRpcProvider(net.node.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  });
  afterAll(async () => {
    rpc?.destroy();
    await net?.stop();
  });

  /** Submits a request straight to the ledger as the US authority (not through a gateway). */
  async function submitDirect(): Promise<string> {
    const signer = new NonceManager(net.consortium.states.US!.authority.connect(rpc));
    const client = createLedgerClient({ deployment: net.consortium.deployment, runner: signer });
    const w = await submitRequest(client, {
      requestedState: "MX",
      treatyId: net.consortium.bilateralTreaty,
      assistanceTypes: assistanceMask(["BANK_RECORDS"]),
      documentDigest: "0x" + "ab".repeat(32),
    });
    return (await w.wait()).requestId;
  }

  it("rolls back events of blocks that left the canonical chain, and indexes what replaced them, round after round", async () => {
    const mx = await sessionOf(net, "MX");
    const visible = async (id: string) => mx.call("GET", `/v1/requests/${id}`).then(() => true, () => false);
    for (let round = 0; round < 8; round++) {
      const snapshot = await rpc.send("evm_snapshot", []);
      const orphan = await submitDirect();
      await eventually(async () => ((await visible(orphan)) ? true : undefined));
      await rpc.send("evm_revert", [snapshot]);
      // A different history of at least the same length, so the orphaned block's number is reused.
      const depth = 1 + (round % 3);
      await rpc.send("hardhat_mine", ["0x" + (depth + 1).toString(16)]);
      const kept = await submitDirect();
      await eventually(async () => ((await visible(kept)) ? true : undefined));
      expect(await visible(orphan)).toBe(false);
      const db = net.gateways.MX!.ctx.store.db;
      const indexed = await db.selectFrom("chain_events").select("request_id").where("request_id", "=", orphan).execute();
      expect(indexed).toEqual([]);
    }
  });
});
