import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { canonicalJson } from "../../../sdk/src/crypto/canonicalJson";
import { GroupCommit } from "../store/groupCommit";
import type { AuditEntryRow, Tables } from "../store/tables";

/** What an audit entry says: who did what to which record. Never plaintext, keys or tokens. */
export interface AuditFact {
  actor: string;
  actorState: string;
  /** e.g. `request.dossier.decrypt`, `evidence.content.decrypt`, `evidence.offer`. */
  action: string;
  /** The record acted on (request or evidence id, digest). */
  subject: string;
  detail?: Record<string, unknown>;
}

/**
 * The Merkle leaf value of an entry: SHA-256(salt ‖ canonical JSON of the entry). The salt is secret
 * until the entry is disclosed, so a proof for one entry reveals nothing about its neighbours.
 * @example auditLeafValue(row) === row.leaf_value
 */
export function auditLeafValue(e: Pick<AuditEntryRow, "id" | "at" | "actor" | "actor_state" | "action" | "subject" | "detail" | "salt">): string {
  const body = canonicalJson({
    id: e.id,
    at: e.at,
    actor: e.actor,
    actorState: e.actor_state,
    action: e.action,
    subject: e.subject,
    detail: JSON.parse(e.detail) as unknown,
  });
  return "0x" + createHash("sha256").update(Buffer.from(e.salt.slice(2), "hex")).update(body).digest("hex");
}

/** One group commit of audit entries per store: every audited read writes one. */
const writers = new WeakMap<Kysely<Tables>, GroupCommit<AuditEntryRow>>();

function writerOf(db: Kysely<Tables>): GroupCommit<AuditEntryRow> {
  let writer = writers.get(db);
  if (!writer) {
    writer = new GroupCommit((rows) =>
      db.transaction().execute(async (trx) => {
        for (const row of rows) await trx.insertInto("audit_entries").values(row).execute();
      }),
    );
    writers.set(db, writer);
  }
  return writer;
}

/**
 * Appends an audit entry: inside the caller's transaction when given, so it commits with the action;
 * otherwise in a group commit with the entries of concurrent requests (one fsync for all). Either way it
 * is durable when this resolves, so a decryption is served only once its entry is.
 * @example await recordAudit(trx, { actor, actorState: "MX", action: "evidence.content.decrypt", subject: evidenceId });
 */
export async function recordAudit(db: Kysely<Tables> | Transaction<Tables>, fact: AuditFact): Promise<AuditEntryRow> {
  const at = Date.now();
  const partial = {
    id: `${String(at).padStart(15, "0")}-${randomBytes(6).toString("hex")}`,
    at,
    actor: fact.actor,
    actor_state: fact.actorState,
    action: fact.action,
    subject: fact.subject,
    detail: JSON.stringify(fact.detail ?? {}),
    salt: "0x" + randomBytes(32).toString("hex"),
  };
  const row: AuditEntryRow = { ...partial, leaf_value: auditLeafValue(partial), batch_root: null };
  if (db.isTransaction) await db.insertInto("audit_entries").values(row).execute();
  else await writerOf(db).add(row);
  return row;
}
