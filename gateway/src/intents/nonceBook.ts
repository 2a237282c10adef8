/**
 * The nonce book of one account: which forwarder nonces its intents hold, and which an intent may take.
 * Pure logic; `nonceBookStore.ts` reads the book from the store.
 *
 * A nonce below `executed` is spent on chain. Above it, a nonce is *held* by a signed intent the forwarder
 * has not executed yet, or by an unsigned intent prepared (or renumbered) recently enough that its client
 * may still sign it. A signed intent can be relayed only once every lower nonce is executed, so its
 * signature is accepted only when every nonce between `executed` and its own is held: each gap below it is
 * then expected to fill. An intent nobody will sign (its client never got it, or gave up) stops holding
 * its nonce after the hold period, and the next intent takes that nonce instead of waiting behind it.
 */

/** The lowest nonce at or above `executed` that no intent holds. */
export function firstFreeNonce(executed: bigint, held: ReadonlySet<bigint>): bigint {
  let n = executed;
  while (held.has(n)) n += 1n;
  return n;
}

/**
 * Whether a signature over `nonce` may be queued: it is not spent, no other intent holds it, and every
 * nonce below it down to `executed` is held (so its predecessors are signed or expected to be).
 * `held` must not contain the signing intent's own hold.
 */
export function signableNonce(nonce: bigint, executed: bigint, held: ReadonlySet<bigint>): boolean {
  if (nonce < executed || held.has(nonce)) return false;
  // More missing nonces than holds: some gap is not held (and the loop below stays bounded by the book).
  if (nonce - executed > BigInt(held.size)) return false;
  for (let n = executed; n < nonce; n += 1n) if (!held.has(n)) return false;
  return true;
}
