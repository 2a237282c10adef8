import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { ZeroAddress } from "ethers";
import { encryptManifest, manifestFor } from "../../../sdk/src/crypto/manifest";
import { prepareIntent, simulateIntent, type Actor, type IntentSpec } from "../intents/prepare";
import { recordAudit } from "../audit/record";
import { discardUnrecorded } from "../blobs/orphans";
import { failpoint } from "../failpoints";
import type { StateDirectory } from "../chain/stateDirectory";
import type { GatewayContext } from "../context";
import { recordDocument } from "../documents/documents";
import { GatewayError } from "../http/errors";
import type { IntentRow, RequestRow } from "../store/tables";
import { sealToBlob } from "./sealToBlob";
import type { UploadMeta } from "./uploadMeta";

/** What an upload produced: the registration's values and the intent that anchors them. */
export interface UploadedEvidence {
  evidenceId: string;
  payloadDigest: string;
  contentCommitment: string;
  manifestDigest: string;
  plaintextSha256: string;
  size: number;
  intent: IntentRow;
}

/** An upload: who, under which request, the bytes and what the uploader says about them. */
export interface UploadInput {
  actor: Actor;
  request: RequestRow;
  body: Readable;
  meta: UploadMeta;
  mediaType: string;
  /** `Content-Length`, when the client sent one. */
  declaredLength?: number;
}

const PLACEHOLDER = "0x" + "01".repeat(32);

function registration(
  evidenceId: string,
  requestId: string,
  digests: { payloadDigest: string; contentCommitment: string; manifestDigest: string },
): IntentSpec {
  return {
    kind: "evidence.register",
    contract: "custody",
    method: "registerEvidence",
    args: [{ evidenceId, requestId, ...digests, custodianAccount: ZeroAddress }],
    requestId,
    evidenceId,
    documentDigest: digests.payloadDigest,
  };
}

/**
 * Registers a piece of evidence from a plaintext stream: refuses early what the ledger would refuse (a
 * state other than the executing one, a request not in execution, a taken id), seals the plaintext to
 * this state and the requesting state in one pass into the blob store, encrypts the manifest as its own
 * blob, and prepares `registerEvidence` with both documents and an audit entry in one transaction. On any
 * failure before that commit both blobs are removed: nothing is left of a failed or aborted upload.
 * @example const uploaded = await uploadEvidence(ctx, directory, { actor, request, body: req, meta, mediaType });
 */
export async function uploadEvidence(ctx: GatewayContext, directory: StateDirectory, input: UploadInput): Promise<UploadedEvidence> {
  const { actor, request, meta } = input;
  const state = ctx.config.state;
  const limit = ctx.config.uploadLimitBytes;
  if (request.requested_state !== state) {
    throw new GatewayError("FORBIDDEN", `only the requested (executing) state ${request.requested_state} registers evidence for this request`);
  }
  if (input.declaredLength !== undefined && input.declaredLength > limit) {
    throw new GatewayError("PAYLOAD_TOO_LARGE", `the upload is larger than ${limit} bytes`);
  }
  const evidenceId = meta.evidenceId ?? "0x" + randomBytes(32).toString("hex");
  const requestId = request.request_id;
  const placeholders = { payloadDigest: PLACEHOLDER, contentCommitment: PLACEHOLDER, manifestDigest: PLACEHOLDER };
  await simulateIntent(ctx, actor, registration(evidenceId, requestId, placeholders));
  const requesting = await directory.get(request.requesting_state);
  const recipients = [ctx.recipient, requesting.recipient];

  const sealed = await sealToBlob(ctx.blobs, input.body, recipients, { limit, expectedLength: input.declaredLength });
  const stored: string[] = [sealed.payloadDigest];
  try {
    const manifest = manifestFor(sealed, {
      fileName: meta.fileName,
      mediaType: input.mediaType,
      description: meta.description,
      collectedBy: meta.collectedBy ?? `${state} ${actor.address}`,
      collectedAt: meta.collectedAt ?? new Date().toISOString(),
      requestId,
    });
    const { file, manifestDigest } = encryptManifest(manifest, { recipients });
    const manifestBlob = await ctx.blobs.putBytes(file);
    stored.push(manifestBlob.digest);
    failpoint("evidence.afterBlobs");
    const digests = { payloadDigest: sealed.payloadDigest, contentCommitment: sealed.contentCommitment, manifestDigest };
    const intent = await prepareIntent(ctx, actor, registration(evidenceId, requestId, digests), async (trx) => {
      const common = { requestId, evidenceId, origin: "local", createdBy: actor.address };
      await recordDocument(trx, { digest: sealed.payloadDigest, size: sealed.ciphertextSize }, { kind: "evidence.payload", ...common });
      await recordDocument(trx, manifestBlob, { kind: "evidence.manifest", ...common });
      await recordAudit(trx, {
        actor: actor.address,
        actorState: actor.state,
        action: "evidence.upload",
        subject: evidenceId,
        detail: { requestId, payloadDigest: sealed.payloadDigest, manifestDigest, size: sealed.plaintextSize },
      });
    });
    return { evidenceId, ...digests, plaintextSha256: sealed.plaintextSha256, size: sealed.plaintextSize, intent };
  } catch (e) {
    await discardUnrecorded(ctx.blobs, ctx.store.db, stored);
    throw e;
  }
}
