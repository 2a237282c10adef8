import type { Kysely, Transaction } from "kysely";
import type { GatewayConfig } from "../config/schema";
import type { GatewayContext } from "../context";
import type { Tables } from "../store/tables";

/** Signed intents the forwarder has not executed yet. */
export const SIGNED_OPEN = ["queued", "sent"];

/**
 * The nonces an account's intents hold (see `nonceBook.ts`): those of its signed intents not executed
 * yet, and those of its unsigned intents prepared or renumbered at or after `heldSince`. `exceptId`
 * leaves one intent out (the one being signed).
 * @example const held = await readNonceBook(db, actor, { heldSince: holdStart(ctx) });
 */
export async function readNonceBook(
  db: Kysely<Tables> | Transaction<Tables>,
  actor: string,
  options: { heldSince: number; exceptId?: string },
): Promise<Set<bigint>> {
  let q = db
    .selectFrom("intents")
    .select("nonce")
    .where("actor", "=", actor)
    .where((eb) => eb.or([eb("status", "in", SIGNED_OPEN), eb.and([eb("status", "=", "awaiting-signature"), eb("updated_at", ">=", options.heldSince)])]));
  if (options.exceptId !== undefined) q = q.where("id", "!=", options.exceptId);
  return new Set((await q.execute()).map((r) => BigInt(r.nonce)));
}

/**
 * Since when an unsigned intent holds its nonce against new claims (prepare, sign): prepared within
 * `intentHoldMs`, and by this gateway process — an intent prepared before a restart may never have
 * reached its client (the gateway died before answering), so the account's next call takes its nonce
 * instead of waiting behind it. Whichever of the two is signed first keeps the nonce; the other is
 * renumbered when signed (409, the client signs again).
 */
export function holdStart(ctx: { config: Pick<GatewayConfig, "intentHoldMs">; startedAt: number }, now = Date.now()): number {
  return Math.max(now - ctx.config.intentHoldMs, ctx.startedAt);
}

/**
 * Since when an unsigned predecessor is waited for by a signed intent queued behind it: prepared within
 * `intentHoldMs`, before a restart too — its client may have got it and sign it once the gateway is back,
 * and until then (or until a new call takes its nonce) the signed intent cannot execute anyway.
 */
export function waitStart(ctx: { config: Pick<GatewayConfig, "intentHoldMs"> }, now = Date.now()): number {
  return now - ctx.config.intentHoldMs;
}

/**
 * How many forward requests of the account the forwarder has executed: its nonce on chain, or — while
 * the node does not answer (signed work is still queued then) — one past the highest nonce this gateway
 * saw mined. An account's nonces execute in order, so that nonce is in the latest block holding any of
 * its mined intents; a batch puts several there, so the highest of that block is taken, not any one.
 */
export async function executedNonces(ctx: GatewayContext, actor: string): Promise<bigint> {
  try {
    return await ctx.chain.contracts.forwarder.nonces(actor);
  } catch {
    const mined = (db: Kysely<Tables>) => db.selectFrom("intents").where("actor", "=", actor).where("status", "=", "mined");
    const latest = await mined(ctx.store.db).select("block_number").orderBy("block_number", "desc").limit(1).executeTakeFirst();
    if (!latest || latest.block_number === null) return 0n;
    const inBlock = await mined(ctx.store.db).select("nonce").where("block_number", "=", latest.block_number).execute();
    return inBlock.reduce((max, r) => (BigInt(r.nonce) + 1n > max ? BigInt(r.nonce) + 1n : max), 0n);
  }
}
