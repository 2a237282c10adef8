import type { Readable } from "node:stream";
import { recoverMessageSigner } from "../chain/ecdsa";
import { hasAnyRole, type MembershipCache } from "../auth/membership";
import type { GatewayContext } from "../context";
import { findDocument, recordDocument } from "../documents/documents";
import { GatewayError } from "../http/errors";
import { findCommitment } from "./commitments";
import { peerBodyLimit, peerPushMessage } from "./message";

/** A push as received: the digest named in the path, the sender's claims, and the body. */
export interface IncomingPush {
  digest: string;
  fromState: string;
  signature: string;
  body: Readable;
  declaredLength?: number;
}

/** What a push did: stored the blob now, or found it already held. */
export interface PushReceipt {
  digest: string;
  stored: boolean;
  size: number;
}

/** Seconds a pusher waits before retrying a digest this gateway has not indexed yet. */
const RETRY_UNKNOWN_SECONDS = 1;

/**
 * Checks that a push comes from a GATEWAY account of the (active) state it claims, over exactly this
 * digest and this gateway's state. Throws UNAUTHENTICATED (401) or FORBIDDEN (403).
 */
async function checkSender(ctx: GatewayContext, memberships: MembershipCache, push: IncomingPush): Promise<void> {
  const peers = ctx.config.peers;
  if (peers && !(push.fromState in peers)) throw new GatewayError("FORBIDDEN", `${push.fromState} is not a configured peer of this gateway`);
  let signer: string;
  try {
    signer = recoverMessageSigner(peerPushMessage(push.digest, ctx.config.state), push.signature);
  } catch {
    throw new GatewayError("UNAUTHENTICATED", "the push signature is not a valid EIP-191 signature");
  }
  const m = await memberships.get(signer);
  if (m.state !== push.fromState || !hasAnyRole(m, ["GATEWAY"]) || !m.stateActive) {
    throw new GatewayError("FORBIDDEN", `the push is signed by ${signer}, not by a GATEWAY account of the active state ${push.fromState}`);
  }
}

/**
 * Receives a pushed ciphertext: authenticates the sending gateway, accepts only a digest that the
 * chain commits to and that names both this state and the sender (409 with `Retry-After` while the
 * index does not know it), streams the body into the blob store against that digest (422 on mismatch,
 * nothing kept) and records the document with the sender as origin. Idempotent: a held blob is 200.
 * @example const receipt = await receivePush(ctx, memberships, { digest, fromState: "US", signature, body: req });
 */
export async function receivePush(ctx: GatewayContext, memberships: MembershipCache, push: IncomingPush): Promise<PushReceipt> {
  await checkSender(ctx, memberships, push);
  const limit = peerBodyLimit(ctx.config.uploadLimitBytes);
  if (push.declaredLength !== undefined && push.declaredLength > limit) {
    throw new GatewayError("PAYLOAD_TOO_LARGE", `a pushed blob may not be larger than ${limit} bytes`);
  }
  const commitment = await findCommitment(ctx.store.db, push.digest);
  if (!commitment) {
    throw new GatewayError("CONFLICT", `no on-chain commitment to ${push.digest} is indexed here yet`, { retryAfter: RETRY_UNKNOWN_SECONDS });
  }
  const state = ctx.config.state;
  if (!commitment.states.has(state) || !commitment.states.has(push.fromState)) {
    throw new GatewayError("FORBIDDEN", `the commitment to ${push.digest} does not name both ${state} and ${push.fromState}`);
  }
  const held = await findDocument(ctx, push.digest);
  if (held && (await ctx.blobs.has(push.digest))) return { digest: push.digest, stored: false, size: held.size };
  const blob = await ctx.blobs.put(push.body, { expected: push.digest, limit });
  await ctx.store.db.transaction().execute((trx) =>
    recordDocument(trx, blob, {
      kind: commitment.kind,
      requestId: commitment.requestId,
      evidenceId: commitment.evidenceId ?? undefined,
      origin: push.fromState,
    }),
  );
  ctx.log.info("peer blob received", { digest: push.digest, from: push.fromState, kind: commitment.kind, size: blob.size });
  return { digest: push.digest, stored: true, size: blob.size };
}
