import { recoverTypedDataSigner } from "../chain/ecdsa";
import { GatewayError, notFound } from "../http/errors";
import { enqueue } from "../outbox/enqueue";
import type { GatewayContext } from "../context";
import type { IntentRow } from "../store/tables";
import type { Actor } from "./prepare";
import { intentTypedData } from "./typedData";

/** The outbox job kind that relays signed intents. */
export const RELAY_JOB = "relay";

/**
 * Accepts the actor's EIP-712 signature of its intent and queues the relay, in one transaction. The
 * signature must recover to the intent's actor; a second identical signature is accepted idempotently.
 * @example await acceptSignature(ctx, actor, intentId, signature)
 */
export async function acceptSignature(ctx: GatewayContext, actor: Actor, intentId: string, signature: string): Promise<IntentRow> {
  const intent = await ctx.store.db.selectFrom("intents").selectAll().where("id", "=", intentId).executeTakeFirst();
  if (!intent || intent.actor.toLowerCase() !== actor.address.toLowerCase()) throw notFound("intent", intentId);
  if (intent.status !== "awaiting-signature") {
    if (intent.signature === signature) return intent;
    throw new GatewayError("CONFLICT", `intent ${intentId} is already ${intent.status}`);
  }
  const t = intentTypedData(intent, ctx.chain.deployment.chainId, ctx.chain.deployment.contracts.forwarder);
  let signer: string;
  try {
    signer = recoverTypedDataSigner(t.domain, t.types, t.message, signature);
  } catch {
    throw new GatewayError("VALIDATION_FAILED", "the signature is not a valid 65-byte ECDSA signature");
  }
  if (signer.toLowerCase() !== intent.actor.toLowerCase()) {
    throw new GatewayError("VALIDATION_FAILED", `the signature is by ${signer}, not by the intent's account ${intent.actor}`);
  }
  const now = Date.now();
  const updated = await ctx.store.db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable("intents")
      .set({ signature, status: "queued", updated_at: now })
      .where("id", "=", intentId)
      .where("status", "=", "awaiting-signature")
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new GatewayError("CONFLICT", `intent ${intentId} changed meanwhile`);
    await enqueue(trx, { id: `relay:${intentId}`, kind: RELAY_JOB, payload: { intentId } });
    return trx.selectFrom("intents").selectAll().where("id", "=", intentId).executeTakeFirstOrThrow();
  });
  ctx.wake(RELAY_JOB);
  return updated;
}
