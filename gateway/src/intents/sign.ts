import { sql, type Kysely, type Transaction } from "kysely";
import { recoverTypedDataSigner } from "../chain/ecdsa";
import { failpoint } from "../failpoints";
import { GatewayError, notFound } from "../http/errors";
import { enqueue } from "../outbox/enqueue";
import type { GatewayContext } from "../context";
import type { IntentRow, Tables } from "../store/tables";
import type { Actor } from "./prepare";
import { intentTypedData } from "./typedData";
import { serially } from "./serial";
import { intentView } from "./view";

/** The outbox job kind that relays signed intents. */
export const RELAY_JOB = "relay";

/** Signed intents the forwarder has not executed yet. */
const SIGNED_OPEN = ["queued", "sent"];
const perActor = new Map<string, Promise<unknown>>();

/**
 * Accepts the actor's EIP-712 signature of its intent and queues the relay, in one transaction. The
 * signature must recover to the intent's actor; a second identical signature is accepted idempotently.
 *
 * Only a signature over the account's next forwarder nonce — right after its signed calls not yet
 * executed — is accepted. An intent prepared with a later nonce (an earlier intent of the account is still
 * unsigned: maybe it never will be, its client having never received it because the gateway crashed
 * before answering) is renumbered to that nonce and refused with 409 CONFLICT carrying the renumbered
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
  // Read the signed open intents before the chain's nonce: one executed in between is still counted.
  const signedBefore = await signedOpenNonces(db, intent.actor);
  const executed = await executedNonces(ctx, intent.actor);
  const now = Date.now();
  const outcome = await db.transaction().execute(async (trx): Promise<{ renumbered: boolean; row: IntentRow }> => {
    if (ctx.store.dialect === "postgres") await sql`select pg_advisory_xact_lock(hashtext(${intent.actor.toLowerCase()}))`.execute(trx);
    const signed = [...signedBefore, ...(await signedOpenNonces(trx, intent.actor))];
    // The signed open nonces run on from the executed ones without a gap: each was `next` when accepted.
    const next = signed.reduce((n, x) => (x >= n ? x + 1n : n), executed);
    if (BigInt(intent.nonce) !== next) {
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
      `intent ${intentId} was prepared for nonce ${intent.nonce}, but the account's next is ${outcome.row.nonce}: sign the renumbered intent again`,
      { extensions: { intent: intentView(ctx, outcome.row) } },
    );
  }
  failpoint("signature.afterCommit");
  ctx.wake(RELAY_JOB);
  return outcome.row;
}

/**
 * How many forward requests of the account the forwarder has executed: its nonce on chain, or — while
 * the node does not answer (signed work is still queued then) — past the latest this gateway saw mined.
 */
async function executedNonces(ctx: GatewayContext, actor: string): Promise<bigint> {
  try {
    return await ctx.chain.contracts.forwarder.nonces(actor);
  } catch {
    const latest = await ctx.store.db
      .selectFrom("intents")
      .select("nonce")
      .where("actor", "=", actor)
      .where("status", "=", "mined")
      .orderBy("block_number", "desc")
      .limit(1)
      .executeTakeFirst();
    return latest ? BigInt(latest.nonce) + 1n : 0n;
  }
}

/** Nonces of the account's signed intents the forwarder has not executed yet. */
async function signedOpenNonces(db: Kysely<Tables> | Transaction<Tables>, actor: string): Promise<bigint[]> {
  const rows = await db.selectFrom("intents").select("nonce").where("actor", "=", actor).where("status", "in", SIGNED_OPEN).execute();
  return rows.map((r) => BigInt(r.nonce));
}
