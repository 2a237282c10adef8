import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { GatewaySession, Intent, WaitFor } from "./client";
import { gatewayFetch, gatewayUpload } from "./http";

/**
 * What an uploader says about an evidence file. The media type goes as `Content-Type`; the other fields
 * as `X-…` headers (percent-encoded UTF-8).
 * @example const meta: EvidenceMeta = { fileName: "ledger.pdf", mediaType: "application/pdf", collectedBy: "FGR" };
 */
export interface EvidenceMeta {
  /** Bare file name (no directories); default: the source path's base name. */
  fileName?: string;
  mediaType: string;
  description?: string;
  /** Who collected it; default: the gateway writes the state and the uploading account. */
  collectedBy?: string;
  /** ISO 8601 UTC; default: the time of upload. */
  collectedAt?: string;
  /** The evidence id to register (bytes32 hex); default: a random one chosen by the gateway. */
  evidenceId?: string;
}

/**
 * The answer to an upload, with the registration intent once signed.
 * @example const { evidenceId, payloadDigest }: UploadEvidenceReturnType = await uploadEvidence(s, id, "a.pdf", meta);
 */
export interface UploadEvidenceReturnType {
  evidenceId: string;
  payloadDigest: string;
  contentCommitment: string;
  manifestDigest: string;
  /** SHA-256 of the plaintext, lower-case hex without `0x` (as `sha256sum` prints it). */
  plaintextSha256: string;
  size: number;
  intent: Intent;
}

/**
 * The answer to a custody step (offer, accept, reject, cancel, dispose), with its intent once signed.
 * @example const { intent }: CustodyStepReturnType = await acceptEvidenceCustody(us, evidenceId);
 */
export interface CustodyStepReturnType {
  evidenceId: string;
  documentDigest: string | null;
  intent: Intent;
}

/** A letter or decision that goes with a custody step (encrypted by the gateway to the states concerned). */
export type CustodyDocument = Record<string, unknown>;

/**
 * Uploads an evidence file to the session's gateway, streamed (never read whole into memory), then signs
 * the `registerEvidence` intent and waits as `wait` says (default: indexed). The session must be an agency
 * or central authority of the request's executing state, and the request in execution.
 * @example
 * const mx = await connectGateway(mxUrl, mxAgency);
 * const ev = await uploadEvidence(mx, requestId, "/evidence/ledger.pdf", { mediaType: "application/pdf", description: "bank ledger" });
 */
export async function uploadEvidence(
  session: GatewaySession,
  requestId: string,
  source: Readable | string,
  meta: EvidenceMeta,
  wait: WaitFor = "indexed",
): Promise<UploadEvidenceReturnType> {
  const fromPath = typeof source === "string";
  const fileName = meta.fileName ?? (fromPath ? source.split(/[/\\]/).pop()! : undefined);
  if (!fileName) throw new TypeError("uploadEvidence: meta.fileName is needed when the source is a stream");
  const headers: Record<string, string> = { "content-type": meta.mediaType, "x-file-name": encodeURIComponent(fileName) };
  if (meta.description !== undefined) headers["x-description"] = encodeURIComponent(meta.description);
  if (meta.collectedBy !== undefined) headers["x-collected-by"] = encodeURIComponent(meta.collectedBy);
  if (meta.collectedAt !== undefined) headers["x-collected-at"] = meta.collectedAt;
  if (meta.evidenceId !== undefined) headers["x-evidence-id"] = meta.evidenceId;
  if (fromPath) headers["content-length"] = String((await stat(source)).size);
  const body = fromPath ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
  const answer = await gatewayUpload<UploadEvidenceReturnType>(session.url, "POST", `/v1/requests/${requestId}/evidence`, body, {
    token: session.token,
    headers,
  });
  return { ...answer, intent: await session.sign(answer.intent, wait) };
}

/**
 * Offers custody of an evidence item to another state (optionally one of its accounts) for
 * `expiresInSeconds` (default 7 days, at most 30). The gateway pushes the ciphertext to that state.
 * @example await offerEvidenceCustody(mx, evidenceId, { toState: "US" });
 */
export function offerEvidenceCustody(
  session: GatewaySession,
  evidenceId: string,
  offer: { toState: string; toAccount?: string; expiresInSeconds?: number; document?: CustodyDocument },
  wait?: WaitFor,
): Promise<CustodyStepReturnType> {
  return session.write<CustodyStepReturnType>(`/v1/evidence/${evidenceId}/offer`, offer, wait);
}

/**
 * Accepts a pending offer; the gateway presents the payload digest it holds (409 until the ciphertext
 * has arrived).
 * @example await acceptEvidenceCustody(us, evidenceId);
 */
export function acceptEvidenceCustody(session: GatewaySession, evidenceId: string, wait?: WaitFor): Promise<CustodyStepReturnType> {
  return session.write<CustodyStepReturnType>(`/v1/evidence/${evidenceId}/accept`, {}, wait);
}

/**
 * Rejects a pending offer, optionally with a letter stating why.
 * @example await rejectEvidenceCustody(us, evidenceId, { reason: "chain of custody documents missing" });
 */
export function rejectEvidenceCustody(
  session: GatewaySession,
  evidenceId: string,
  document?: CustodyDocument,
  wait?: WaitFor,
): Promise<CustodyStepReturnType> {
  return session.write<CustodyStepReturnType>(`/v1/evidence/${evidenceId}/reject`, document ? { document } : {}, wait);
}

/**
 * Cancels the custodian's pending (or expired) offer.
 * @example await cancelEvidenceOffer(mx, evidenceId);
 */
export function cancelEvidenceOffer(session: GatewaySession, evidenceId: string, wait?: WaitFor): Promise<CustodyStepReturnType> {
  return session.write<CustodyStepReturnType>(`/v1/evidence/${evidenceId}/cancel-offer`, {}, wait);
}

/**
 * Records the final disposition of an item (returned, destroyed, released), optionally with its document.
 * @example await recordEvidenceDisposition(us, evidenceId, "destroyed", { order: "court order 12/2025" });
 */
export function recordEvidenceDisposition(
  session: GatewaySession,
  evidenceId: string,
  disposition: "returned" | "destroyed" | "released",
  document?: CustodyDocument,
  wait?: WaitFor,
): Promise<CustodyStepReturnType> {
  return session.write<CustodyStepReturnType>(`/v1/evidence/${evidenceId}/dispose`, document ? { disposition, document } : { disposition }, wait);
}

/**
 * Opens the decrypted content of an evidence item as a web stream, with its media type and size (only
 * for the current custodian's state and the requesting state).
 * @example const { body } = await openEvidenceContent(us, evidenceId); await pipeline(Readable.fromWeb(body), createWriteStream("out.pdf"));
 */
export async function openEvidenceContent(
  session: GatewaySession,
  evidenceId: string,
): Promise<{ body: ReadableStream<Uint8Array>; mediaType: string; size: number; sha256: string | null }> {
  const res = await gatewayFetch<Response>(session.url, "GET", `/v1/evidence/${evidenceId}/content`, { token: session.token, raw: true });
  if (!res.body) throw new TypeError("openEvidenceContent: the gateway answered without a body");
  return {
    body: res.body as ReadableStream<Uint8Array>,
    mediaType: res.headers.get("content-type") ?? "application/octet-stream",
    size: Number(res.headers.get("content-length") ?? -1),
    sha256: res.headers.get("x-content-sha256"),
  };
}
