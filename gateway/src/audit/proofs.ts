import type { Kysely } from "kysely";
import type { Tables } from "../store/tables";
import { auditProofs } from "./tree";

/** Batches whose proofs are kept in memory (a batch never changes once sealed). */
const CACHED_BATCHES = 32;

/**
 * Merkle proofs of audit entries, by batch root: the batch's leaves are loaded once, the tree rebuilt
 * and checked against the root it was sealed with, and its proofs cached (bounded, least recently used
 * first out).
 * @example const proof = await proofs.of(db, entry.batch_root, entry.leaf_value);
 */
export class AuditProofs {
  readonly #batches = new Map<string, Map<string, string[]>>();

  /** The proof of `leafValue` in the batch `root`. */
  async of(db: Kysely<Tables>, root: string, leafValue: string): Promise<string[]> {
    const batch = await this.batch(db, root);
    const proof = batch.get(leafValue.toLowerCase());
    if (!proof) throw new Error(`leaf ${leafValue} is not in audit batch ${root}`);
    return proof;
  }

  private async batch(db: Kysely<Tables>, root: string): Promise<Map<string, string[]>> {
    const hit = this.#batches.get(root);
    if (hit) {
      this.#batches.delete(root);
      this.#batches.set(root, hit);
      return hit;
    }
    const rows = await db.selectFrom("audit_entries").select("leaf_value").where("batch_root", "=", root).execute();
    const built = auditProofs(rows.map((r) => r.leaf_value));
    if (built.root !== root) throw new Error(`audit batch ${root} rebuilds to ${built.root}: its entries changed`);
    this.#batches.set(root, built.proofs);
    if (this.#batches.size > CACHED_BATCHES) this.#batches.delete(this.#batches.keys().next().value!);
    return built.proofs;
  }
}
