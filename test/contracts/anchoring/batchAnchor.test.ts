import { describe, it, expect } from "vitest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ES, MX, US, digest, foundedConsortium, latestTimestamp, randomId, useFixture, type Ledger } from "../../helpers/ledger";
import { expectRevert } from "../../helpers/reverts";
import { StateStatus } from "../../../sdk/src/ledger/types";
import { addr, atNextBlock, fields, onlyEvent, suspendState } from "../requests/helpers";

const ledger = useFixture(foundedConsortium);
const ZERO = "0x" + "00".repeat(32);

/** A StandardMerkleTree over `n` random bytes32 values, as the gateway builds its batches. */
function batch(n: number) {
  const values = Array.from({ length: n }, () => randomId());
  return { values, tree: StandardMerkleTree.of(values.map((v) => [v]), ["bytes32"]) };
}

/** The value at position `i` of a tree. */
const valueAt = (tree: StandardMerkleTree<string[]>, i: number): string => tree.at(i)![0]!;

async function anchored(l: Ledger, n: number) {
  const b = batch(n);
  await (await l.anchors.connect(l.mx.gateway).anchor(b.tree.root, n, digest())).wait();
  return b;
}

describe("BatchAnchor.anchor", () => {
  it("anchors a root for the gateway's state and emits BatchAnchored", async () => {
    const l = ledger();
    const { tree } = batch(7);
    const batchDigest = digest();
    const now = (await latestTimestamp()) + 10;
    await atNextBlock(now);
    const tx = await l.anchors.connect(l.mx.gateway).anchor(tree.root, 7, batchDigest);
    const e = await onlyEvent(tx, l.anchors, l.anchors.getEvent("BatchAnchored"));
    expect(fields(e)).toEqual({ root: tree.root, state: MX, actor: await addr(l.mx.gateway), leafCount: 7, batchDigest });
    const receipt = await tx.wait();
    expect(fields(await l.anchors.anchorOf(MX, tree.root))).toEqual({
      leafCount: 7,
      anchoredAt: now,
      blockNumber: receipt!.blockNumber,
    });
  });

  it("lets a central authority anchor for its state", async () => {
    const l = ledger();
    const { tree } = batch(2);
    const e = await onlyEvent(
      l.anchors.connect(l.us.authority).anchor(tree.root, 2, digest()),
      l.anchors,
      l.anchors.getEvent("BatchAnchored"),
    );
    expect([e.state, e.actor]).toEqual([US, await addr(l.us.authority)]);
  });

  for (const role of ["agency", "verifier"] as const) {
    it(`refuses a state's ${role} with ConsortiumUnauthorizedAccount`, async () => {
      const l = ledger();
      await expectRevert(l.anchors.connect(l.mx[role]).anchor(randomId(), 1, digest()), "ConsortiumUnauthorizedAccount", [
        await addr(l.mx[role]),
        4 | 1,
      ]);
    });
  }

  it("refuses an account of no state with ConsortiumUnauthorizedAccount", async () => {
    const l = ledger();
    await expectRevert(
      l.anchors.connect(l.strangers[0]!).anchor(randomId(), 1, digest()),
      "ConsortiumUnauthorizedAccount",
      [await addr(l.strangers[0]!), 5],
    );
  });

  it("refuses the gateway of a suspended state", async () => {
    const l = ledger();
    await suspendState(l, MX);
    await expectRevert(l.anchors.connect(l.mx.gateway).anchor(randomId(), 1, digest()), "ConsortiumUnexpectedStateStatus", [
      MX,
      StateStatus.Suspended,
    ]);
  });

  it("refuses a root the same state anchored before with AnchorExists", async () => {
    const l = ledger();
    const root = randomId();
    await (await l.anchors.connect(l.mx.gateway).anchor(root, 3, digest())).wait();
    await expectRevert(l.anchors.connect(l.mx.gateway).anchor(root, 3, digest()), "AnchorExists", [root, MX]);
    expect((await l.anchors.anchorOf(MX, root)).leafCount).toBe(3n);
  });

  it("keeps roots per state: another state anchoring the same root first takes nothing from the owner", async () => {
    const l = ledger();
    const root = randomId();
    await (await l.anchors.connect(l.us.gateway).anchor(root, 5, digest())).wait();
    await (await l.anchors.connect(l.mx.gateway).anchor(root, 3, digest())).wait();
    expect((await l.anchors.anchorOf(US, root)).leafCount).toBe(5n);
    expect((await l.anchors.anchorOf(MX, root)).leafCount).toBe(3n);
    expect((await l.anchors.anchorOf(ES, root)).leafCount).toBe(0n);
  });

  it("refuses a zero root or a zero leaf count with AnchorInvalidBatch", async () => {
    const l = ledger();
    await expectRevert(l.anchors.connect(l.mx.gateway).anchor(ZERO, 1, digest()), "AnchorInvalidBatch", [ZERO, 1]);
    const root = randomId();
    await expectRevert(l.anchors.connect(l.mx.gateway).anchor(root, 0, digest()), "AnchorInvalidBatch", [root, 0]);
  });

  it("lists each state's batches in order by the indexed state topic (no per-state counter)", async () => {
    const l = ledger();
    const anchoredBy: Record<string, string[]> = { [US]: [], [MX]: [], [ES]: [] };
    const order = [l.mx, l.us, l.mx, l.es, l.mx, l.us];
    for (const s of order) {
      const root = randomId();
      await (await l.anchors.connect(s.gateway).anchor(root, 1, digest())).wait();
      anchoredBy[s.code]!.push(root);
    }
    for (const code of [US, MX, ES]) {
      const events = await l.anchors.queryFilter(l.anchors.filters.BatchAnchored(undefined, code));
      expect(events.map((e) => e.args.root)).toEqual(anchoredBy[code]);
    }
  });
});

describe("BatchAnchor.verify", () => {
  for (const n of [1, 2, 7, 64]) {
    it(`verifies every leaf of a ${n}-leaf StandardMerkleTree with its proof`, async () => {
      const l = ledger();
      const { values, tree } = await anchored(l, n);
      for (const [i, [v]] of tree.entries()) {
        expect(await l.anchors.verify(MX, tree.root, tree.getProof(i), v!), `leaf ${i}`).toBe(true);
      }
      expect([...tree.entries()].map(([, [v]]) => v).sort()).toEqual([...values].sort());
    });

    it(`rejects a value not in a ${n}-leaf tree, and a leaf with another leaf's proof`, async () => {
      const l = ledger();
      const { tree } = await anchored(l, n);
      const proof = tree.getProof(0);
      expect(await l.anchors.verify(MX, tree.root, proof, randomId())).toBe(false);
      if (n > 1) {
        expect(await l.anchors.verify(MX, tree.root, proof, valueAt(tree, 1))).toBe(false);
        expect(await l.anchors.verify(MX, tree.root, [...proof.slice(1), randomId()], valueAt(tree, 0))).toBe(false);
      }
    });
  }

  it("does not verify a leaf of one anchored tree against another anchored root", async () => {
    const l = ledger();
    const a = await anchored(l, 7);
    const b = await anchored(l, 7);
    expect(await l.anchors.verify(MX, b.tree.root, a.tree.getProof(0), valueAt(a.tree, 0))).toBe(false);
  });

  it("hashes the value itself: an inner node with its sub-proof does not pass as a value", async () => {
    const l = ledger();
    const { tree } = await anchored(l, 4);
    const nodes = (tree.dump() as unknown as { tree: string[] }).tree;
    expect(await l.anchors.verify(MX, tree.root, [nodes[2]!], nodes[1]!)).toBe(false);
  });

  it("refuses a root never anchored, or anchored by another state, with AnchorUnknownRoot", async () => {
    const l = ledger();
    const { tree } = batch(2);
    await expectRevert(l.anchors.verify(MX, tree.root, tree.getProof(0), valueAt(tree, 0)), "AnchorUnknownRoot", [
      MX,
      tree.root,
    ]);
    const { tree: mine } = await anchored(l, 2);
    await expectRevert(l.anchors.verify(US, mine.root, mine.getProof(0), valueAt(mine, 0)), "AnchorUnknownRoot", [
      US,
      mine.root,
    ]);
  });
});

describe("BatchAnchor.standardLeaf", () => {
  it("equals the StandardMerkleTree leaf hash of a bytes32 value", async () => {
    const l = ledger();
    const { values, tree } = batch(8);
    for (const v of [...values, ZERO, "0x" + "ff".repeat(32)]) {
      expect(await l.anchors.standardLeaf(v)).toBe(tree.leafHash([v]));
    }
  });

  it("gives the root of a one-leaf tree", async () => {
    const l = ledger();
    const { values, tree } = batch(1);
    expect(await l.anchors.standardLeaf(values[0]!)).toBe(tree.root);
  });
});

describe("BatchAnchor.anchorOf", () => {
  it("reads an empty record for a root never anchored", async () => {
    const l = ledger();
    expect(fields(await l.anchors.anchorOf(MX, randomId()))).toEqual({
      leafCount: 0,
      anchoredAt: 0,
      blockNumber: 0,
    });
  });
});
