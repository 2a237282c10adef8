import type { Transaction } from "kysely";
import { decryptBytes } from "../../../sdk/src/crypto/ageDecrypt";
import { encryptBytes, type EncryptParameters } from "../../../sdk/src/crypto/ageEncrypt";
import { canonicalJson } from "../../../sdk/src/crypto/canonicalJson";
import { discardUnrecorded } from "../blobs/orphans";
import type { GatewayContext } from "../context";
import { GatewayError } from "../http/errors";
import type { DocumentRow, Tables } from "../store/tables";

/** A document sealed into the blob store, not yet recorded. */
export interface SealedDocument {
  digest: string;
  size: number;
}

/** Largest JSON document decrypted in memory (dossiers, letters, decisions). */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

/**
 * Encrypts a JSON document (canonical form) to `recipients` and stores the age file in the blob store.
 * The caller records it (see {recordDocument}) in the transaction that anchors it.
 * @example const doc = await sealJson(ctx, dossier, [usKey, mxKey]);
 */
export async function sealJson(ctx: GatewayContext, value: unknown, recipients: EncryptParameters["recipients"]): Promise<SealedDocument> {
  const ciphertext = encryptBytes(Buffer.from(canonicalJson(value)), { recipients });
  return ctx.blobs.putBytes(ciphertext);
}

/**
 * Runs `write` (which records `docs`), and when it fails removes the blobs of `docs` no record refers to:
 * a refused or failed write leaves nothing behind.
 * @example const intent = await discardOnFailure(ctx, [doc], () => prepareIntent(ctx, actor, spec, (trx) => recordDocument(trx, doc, …)));
 */
export async function discardOnFailure<T>(ctx: GatewayContext, docs: readonly (SealedDocument | undefined)[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    await discardUnrecorded(ctx.blobs, ctx.store.db, docs.flatMap((d) => (d ? [d.digest] : [])));
    throw e;
  }
}

/** Records a stored blob as a document (idempotent on its digest). */
export async function recordDocument(
  trx: Transaction<Tables>,
  doc: SealedDocument,
  fields: { kind: string; requestId?: string; evidenceId?: string; origin: string; createdBy?: string },
): Promise<void> {
  await trx
    .insertInto("documents")
    .values({
      digest: doc.digest,
      kind: fields.kind,
      request_id: fields.requestId ?? null,
      evidence_id: fields.evidenceId ?? null,
      size: doc.size,
      origin: fields.origin,
      created_by: fields.createdBy ?? null,
      created_at: Date.now(),
    })
    .onConflict((c) => c.column("digest").doNothing())
    .execute();
}

/** The document row of a digest, if this gateway holds it. */
export async function findDocument(ctx: GatewayContext, digest: string): Promise<DocumentRow | undefined> {
  return ctx.store.db.selectFrom("documents").selectAll().where("digest", "=", digest.toLowerCase()).executeTakeFirst();
}

/** Decrypts a held JSON document with the state's identity. */
export async function openJson(ctx: GatewayContext, digest: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.blobs.read(digest)) {
    size += (chunk as Buffer).length;
    if (size > MAX_DOCUMENT_BYTES) throw new GatewayError("PAYLOAD_TOO_LARGE", `document ${digest} is too large to open as JSON`);
    chunks.push(chunk as Buffer);
  }
  const plaintext = decryptBytes(Buffer.concat(chunks), { identities: [ctx.identity] });
  return JSON.parse(Buffer.from(plaintext).toString("utf8")) as unknown;
}
