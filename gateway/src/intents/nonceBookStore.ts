import type { Kysely, Transaction } from "kysely";
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
 * Since when an unsigned intent holds its nonce: prepared within `intentHoldMs`, and by this gateway
 * process — an intent prepared before a restart may never have reached its client (the gateway died
 * before answering), so it never holds a nonce the account's next call would otherwise wait behind.
 */
export function holdStart(ctx: Pick<GatewayContext, "config" | "startedAt">, now = Date.now()): number {
  return Math.max(now - ctx.config.intentHoldMs, ctx.startedAt);
}

/**
 * How many forward requests of the account the forwarder has executed: its nonce on chain, or — while
 * the node does not answer (signed work is still queued then) — past the latest this gateway saw mined.
 */
export async function executedNonces(ctx: GatewayContext, actor: string): Promise<bigint> {
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
