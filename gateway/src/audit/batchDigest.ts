import { createHash } from "node:crypto";

/**
 * The `batchDigest` anchored with an audit batch: SHA-256 over the batch's leaf values (32 bytes each)
 * concatenated in ascending entry-id order (the order the entries were written). It names the batch's
 * exact content off-chain, independently of the Merkle tree's own leaf sorting.
 * @example auditBatchDigest(["0x11…", "0x22…"]) // "0x…" (32 bytes)
 */
export function auditBatchDigest(leafValuesInIdOrder: readonly string[]): string {
  const hash = createHash("sha256");
  for (const value of leafValuesInIdOrder) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new TypeError(`not a 32-byte leaf value: ${value}`);
    hash.update(Buffer.from(value.slice(2), "hex"));
  }
  return "0x" + hash.digest("hex");
}
