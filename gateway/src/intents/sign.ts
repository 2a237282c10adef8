import { sql } from "kysely";
import { recoverTypedDataSigner } from "../chain/ecdsa";
import { failpoint } from "../failpoints";
import { GatewayError, notFound } from "../http/errors";
import { enqueue } from "../outbox/enqueue";
import type { GatewayContext } from "../context";
import type { IntentRow } from "../store/tables";
import type { Actor } from "./prepare";
import { firstFreeNonce, signableNonce } from "./nonceBook";
import { executedNonces, holdStart, readNonceBook } from "./nonceBookStore";
import { intentTypedData } from "./typedData";
import { serially } from "./serial";
import { intentView } from "./view";

/** The outbox job kind that relays signed intents. */
export const RELAY_JOB = "relay";

const perActor = new Map<string, Promise<unknown>>();

/**
 * Accepts the actor's EIP-712 signature of its intent and queues the relay, in one transaction. The
 * signature must recover to the intent's actor; a second identical signature is accepted idempotently.
 *
 * A signature is queued when every nonce of the account below the intent's, down to the executed ones, is
 * held by another intent (see `nonceBook.ts`): concurrent signatures of one account are accepted in any
 * order, and each waits for its predecessors. Otherwise (a lower nonce is free, or another intent holds
 * this one — a predecessor nobody signed was given up, or a second replica numbered the same nonce) the
 * intent is renumbered to the lowest free nonce and refused with 409 CONFLICT carrying the renumbered
 * `intent` to sign again (the SDK does). So a queued call never waits behind one that may never be signed.
 * @example await acceptSignature(ctx, actor, intentId, signature)
 */
export async function acceptSignature(ctx: GatewayContext, actor: Actor, intentId: string, signature: string): Promise<IntentRow> {
  // One signature of an account at a time in this process (PostgreSQL replicas also take a lock below).
  return serially(perActor, actor.address.toLowerCase(), () => acceptNow(ctx, actor, intentId, signature));
}

async function acceptNow(ctx: GatewayContext, actor: Actor, intentId: string, signature: string): Promise<IntentRow> {
  const db = ctx.store.db;
  const intent = await db.selectFrom("intents").selectAll().where("id", "=", intentId).executeTakeFirst();
  if (!intent || intent.actor.toLowerCase() !== actor.address.toLowerCase()) throw notFound("intent", intentId);
  if (intent.status === "expired") throw expiredError(intentId, intent.deadline);
  if (intent.status !== "awaiting-signature") {
    if (intent.signature === signature) return intent;
    throw new GatewayError("CONFLICT", `intent ${intentId} is already ${intent.status}`);
  }
  // Past its deadline the forwarder would skip it: say so now, not after a relay. With the node down the
  // relayer still catches it (relayHandler's signatureExpired).
  const chainNow = await ctx.chain.clock().catch(() => undefined);
  if (chainNow !== undefined && chainNow > intent.deadline) {
    await db
      .updateTable("intents")
      .set({ status: "expired", error: "its signature deadline passed on chain before it was signed", updated_at: Date.now() })
      .where("id", "=", intentId)
      .where("status", "=", "awaiting-signature")
      .execute();
    throw expiredError(intentId, intent.deadline);
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
  // The book before the chain's nonce: an intent executed in between is still counted.
  const book = { heldSince: holdStart(ctx), exceptId: intentId };
  const heldBefore = await readNonceBook(db, intent.actor, book);
  const executed = await executedNonces(ctx, intent.actor);
  const now = Date.now();
  const outcome = await db.transaction().execute(async (trx): Promise<{ renumbered: boolean; row: IntentRow }> => {
    if (ctx.store.dialect === "postgres") await sql`select pg_advisory_xact_lock(hashtext(${intent.actor.toLowerCase()}))`.execute(trx);
    // Read again under the lock: another replica may have queued a signature of the account meanwhile.
    const held = new Set([...heldBefore, ...(await readNonceBook(trx, intent.actor, book))]);
    if (!signableNonce(BigInt(intent.nonce), executed, held)) {
      const next = firstFreeNonce(executed, held);
      const moved = await trx
        .updateTable("intents")
        .set({ nonce: String(next), updated_at: now })
        .where("id", "=", intentId)
        .where("status", "=", "awaiting-signature")
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new GatewayError("CONFLICT", `intent ${intentId} changed meanwhile`);
      return { renumbered: true, row: await trx.selectFrom("intents").selectAll().where("id", "=", intentId).executeTakeFirstOrThrow() };
    }
    const changed = await trx
      .updateTable("intents")
      .set({ signature, status: "queued", updated_at: now })
      .where("id", "=", intentId)
      .where("status", "=", "awaiting-signature")
      .where("nonce", "=", intent.nonce)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new GatewayError("CONFLICT", `intent ${intentId} changed meanwhile`);
    await enqueue(trx, { id: `relay:${intentId}`, kind: RELAY_JOB, payload: { intentId } });
    return { renumbered: false, row: await trx.selectFrom("intents").selectAll().where("id", "=", intentId).executeTakeFirstOrThrow() };
  });
  if (outcome.renumbered) {
    throw new GatewayError(
      "CONFLICT",
      `intent ${intentId} was prepared for nonce ${intent.nonce}, which the account cannot use now; renumbered to ${outcome.row.nonce}: sign the renumbered intent again`,
      { extensions: { intent: intentView(ctx, outcome.row) } },
    );
  }
  failpoint("signature.afterCommit");
  ctx.wake(RELAY_JOB);
  return outcome.row;
}

/** 410: the intent's forward-request deadline passed on chain; it can never execute. */
function expiredError(intentId: string, deadline: number): GatewayError {
  return new GatewayError("GONE", `intent ${intentId} expired: its deadline ${new Date(deadline * 1000).toISOString()} passed on chain; prepare the call again`);
}
