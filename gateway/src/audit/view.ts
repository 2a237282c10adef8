import { z } from "zod";
import { Hex32 } from "../http/validate";
import type { AuditBatchRow, AuditEntryRow } from "../store/tables";

/** The anchoring of the batch an entry belongs to. */
export const AuditBatchViewSchema = z.object({
  root: Hex32,
  status: z.enum(["pending", "anchored"]),
  leafCount: z.number().int(),
  batchDigest: Hex32.describe("SHA-256 over the batch's leaf values in ascending entry-id order"),
  txHash: Hex32.nullable(),
  blockNumber: z.number().int().nullable(),
});

/**
 * One audit entry as `GET /v1/audit` discloses it: the facts, the salt, and the leaf value they hash to
 * (`SHA-256(salt ‖ canonicalJson({id, at: <unix ms>, actor, actorState, action, subject, detail}))`),
 * with its batch and Merkle proof once sealed.
 */
export const AuditEntryViewSchema = z.object({
  id: z.string(),
  at: z.iso.datetime().describe("when the action happened; the leaf hashes it as unix milliseconds"),
  actor: z.string(),
  actorState: z.string(),
  action: z.string(),
  subject: z.string(),
  detail: z.record(z.string(), z.unknown()),
  salt: Hex32,
  leafValue: Hex32,
  batch: AuditBatchViewSchema.nullable(),
  proof: z.array(Hex32).nullable().describe("StandardMerkleTree proof of leafValue (leaf type bytes32) against batch.root"),
});

/** A page of audit entries, newest first. */
export const AuditPageSchema = z.object({ items: z.array(AuditEntryViewSchema), nextCursor: z.string().nullable() });

/** An audit entry as the API shows it. */
export type AuditEntryView = z.infer<typeof AuditEntryViewSchema>;

/**
 * The API view of an entry, its batch (if sealed) and proof (if sealed).
 * @example auditEntryView(row, batchesByRoot.get(row.batch_root ?? ""), proof)
 */
export function auditEntryView(e: AuditEntryRow, batch: AuditBatchRow | undefined, proof: string[] | null): AuditEntryView {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    actorState: e.actor_state,
    action: e.action,
    subject: e.subject,
    detail: JSON.parse(e.detail) as Record<string, unknown>,
    salt: e.salt,
    leafValue: e.leaf_value,
    batch: batch
      ? {
          root: batch.root,
          status: batch.status === "anchored" ? "anchored" : "pending",
          leafCount: batch.leaf_count,
          batchDigest: batch.batch_digest,
          txHash: batch.tx_hash,
          blockNumber: batch.block_number,
        }
      : null,
    proof,
  };
}
