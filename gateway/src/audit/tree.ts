import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

/** The leaf encoding of audit batches: one `bytes32` (the entry's salted leaf value) per leaf. */
export const AUDIT_LEAF_ENCODING = ["bytes32"];

/**
 * The OpenZeppelin StandardMerkleTree of a batch's leaf values (leaves sorted, as the library does by
 * default, so the same set always gives the same root). `BatchAnchor.verify` checks its proofs on-chain.
 * @example const tree = auditTree(values); tree.root; tree.getProof([values[0]]);
 */
export function auditTree(leafValues: readonly string[]): StandardMerkleTree<[string]> {
  return StandardMerkleTree.of(
    leafValues.map((v) => [v.toLowerCase()] as [string]),
    AUDIT_LEAF_ENCODING,
  );
}

/**
 * The proof of each leaf value of a batch, by value.
 * @example auditProofs(values).get(values[0]) // ["0x…", …]
 */
export function auditProofs(leafValues: readonly string[]): { root: string; proofs: Map<string, string[]> } {
  const tree = auditTree(leafValues);
  const proofs = new Map<string, string[]>();
  for (const [i, [value]] of tree.entries()) proofs.set(value, tree.getProof(i));
  return { root: tree.root, proofs };
}
