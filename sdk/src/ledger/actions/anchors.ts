/** Batch anchoring (BatchAnchor). */
import type { LedgerClient } from "../client";
import { fromStateBytes } from "../stateCode";
import { eventOf, writeLedger, type LedgerWrite } from "../write";

/**
 * Anchors the root of a StandardMerkleTree of `leafCount` leaves as the signer's state.
 * @example const tree = StandardMerkleTree.of(leaves.map((l) => [l]), ["bytes32"]);
 *          await anchorBatch(gateway, { root: tree.root, leafCount: leaves.length, batchDigest });
 */
export function anchorBatch(
  client: LedgerClient,
  p: { root: string; leafCount: number; batchDigest: string },
): Promise<LedgerWrite<{ root: string; state: string; blockNumber: number }>> {
  return writeLedger(client, {
    contract: "anchors",
    method: "anchor",
    args: [p.root, p.leafCount, p.batchDigest],
    result: (events) => {
      const e = eventOf(events, "BatchAnchored");
      return { root: p.root, state: fromStateBytes(e.args.state as string), blockNumber: e.blockNumber };
    },
  });
}
