import type { Manifest } from "../../../sdk/src/crypto/manifest";
import { createLedgerClient } from "../../../sdk/src/ledger/client";
import type { VerificationBundle } from "../../../sdk/src/verify/bundle";
import { createVerificationBundle } from "../../../sdk/src/verify/createBundle";
import { overall, type VerificationReport } from "../../../sdk/src/verify/report";
import { verifyEvidence } from "../../../sdk/src/verify/verifyEvidence";
import { recordAudit } from "../audit/record";
import type { GatewayContext } from "../context";
import { GatewayError } from "../http/errors";
import { eventHistory } from "../indexer/history";
import type { Actor } from "../intents/prepare";
import { heldManifest, heldPayloadDigest, withPlaintextFile } from "./heldPayload";
import { custodyEventsOf, evidenceView, type EvidenceDetail } from "./view";
import { entitledToContent, type EvidenceRecord } from "./visibility";

const nowSec = () => Math.floor(Date.now() / 1000);

function audit(ctx: GatewayContext, actor: Actor, action: string, record: EvidenceRecord, detail: Record<string, unknown> = {}) {
  return recordAudit(ctx.store.db, {
    actor: actor.address,
    actorState: actor.state,
    action,
    subject: record.evidence.evidence_id,
    detail: { requestId: record.evidence.request_id, ...detail },
  });
}

/**
 * The detail of an item: projection, custody chain with blocks and transactions, which blobs this
 * gateway holds, and the decrypted manifest when the chain entitles this state (audited).
 * @example res.json(await evidenceDetail(ctx, record, actor));
 */
export async function evidenceDetail(ctx: GatewayContext, record: EvidenceRecord, actor: Actor): Promise<EvidenceDetail> {
  const e = record.evidence;
  const events = await eventHistory(ctx.store.db, "evidence_id", e.evidence_id);
  const entitled = entitledToContent(ctx.config.state, record);
  const held = { payload: await ctx.blobs.has(e.payload_digest), manifest: await ctx.blobs.has(e.manifest_digest) };
  const manifest = entitled && held.manifest ? await heldManifest(ctx, e) : undefined;
  if (manifest) await audit(ctx, actor, "evidence.manifest.decrypt", record, { digest: e.manifest_digest });
  return { ...evidenceView(e, nowSec()), custody: custodyEventsOf(events), held, entitled, manifest: manifest ?? null };
}

/**
 * What serving the plaintext needs, once the chain's entitlement is checked (403 for a state that is not
 * the custodian nor the requesting state, before a byte is read), the ciphertext is held (409 otherwise)
 * and the decryption is audited.
 * @example const { manifest, payloadDigest } = await openContent(ctx, record, actor);
 */
export async function openContent(
  ctx: GatewayContext,
  record: EvidenceRecord,
  actor: Actor,
  action = "evidence.content.decrypt",
): Promise<{ manifest: Manifest; payloadDigest: string }> {
  const e = record.evidence;
  if (!entitledToContent(ctx.config.state, record)) {
    throw new GatewayError(
      "FORBIDDEN",
      `${ctx.config.state} is not entitled to the content of evidence ${e.evidence_id}: only its custodian ${e.custodian_state} and the requesting state are`,
    );
  }
  const manifest = await heldManifest(ctx, e);
  if (!manifest) throw new GatewayError("CONFLICT", `this gateway does not hold the manifest of evidence ${e.evidence_id} yet`, { retryAfter: 2 });
  const payloadDigest = await heldPayloadDigest(ctx, e);
  await audit(ctx, actor, action, record, { digest: payloadDigest });
  return { manifest, payloadDigest };
}

/**
 * The SDK verification bundle of an item (its plaintext hash and salt come from the manifest, so only an
 * entitled state gets it; audited).
 * @example res.json(await evidenceBundle(ctx, record, actor));
 */
export async function evidenceBundle(ctx: GatewayContext, record: EvidenceRecord, actor: Actor): Promise<VerificationBundle> {
  if (!entitledToContent(ctx.config.state, record)) {
    throw new GatewayError("FORBIDDEN", `${ctx.config.state} is not entitled to the verification bundle of evidence ${record.evidence.evidence_id}`);
  }
  const manifest = await heldManifest(ctx, record.evidence);
  if (!manifest)
    throw new GatewayError("CONFLICT", `this gateway does not hold the manifest of evidence ${record.evidence.evidence_id} yet`, { retryAfter: 2 });
  await audit(ctx, actor, "evidence.bundle", record, { digest: record.evidence.manifest_digest });
  const client = createLedgerClient({ deployment: ctx.chain.deployment, runner: ctx.chain.provider });
  return createVerificationBundle(client, record.evidence.evidence_id, { plaintextSha256: manifest.sha256, salt: manifest.salt });
}

/**
 * Runs the SDK verifier against the chain twice: on the decrypted plaintext (in a temp file, deleted
 * afterwards: content commitment, custody chain and head, custodian, request) and on the held age file
 * (payload digest), and answers one report whose `file` is the plaintext's, named by the manifest's file
 * name (never a path of this host).
 * @example res.json(await verifyHeldEvidence(ctx, record, actor));
 */
export async function verifyHeldEvidence(ctx: GatewayContext, record: EvidenceRecord, actor: Actor): Promise<VerificationReport> {
  const { manifest, payloadDigest } = await openContent(ctx, record, actor, "evidence.verify");
  const { chain } = ctx;
  const on = (file: string) =>
    verifyEvidence({ file, evidenceId: record.evidence.evidence_id, provider: chain.provider, deployment: chain.deployment, salt: manifest.salt });
  const plain = await withPlaintextFile(ctx, payloadDigest, on);
  const sealed = await on(ctx.blobs.pathOf(payloadDigest));
  const checks = plain.checks.map((c) => (c.id === "payload-digest" ? (sealed.checks.find((s) => s.id === c.id) ?? c) : c));
  return { ...plain, ok: overall(checks), checks, file: { ...plain.file, path: manifest.fileName } };
}
