import { randomBytes } from "node:crypto";
import type { Transaction } from "kysely";
import { LEDGER_INTERFACES, type LedgerContractName } from "../../../sdk/src/ledger/contracts";
import { decodeLedgerError } from "../../../sdk/src/ledger/errors";
import type { GatewayContext } from "../context";
import { failpoint } from "../failpoints";
import type { IntentRow, Tables } from "../store/tables";
import { firstFreeNonce } from "./nonceBook";
import { holdStart, readNonceBook } from "./nonceBookStore";
import { serially } from "./serial";

/** A ledger call to prepare for an account's signature. */
export interface IntentSpec {
  /** What the call does, e.g. `request.submit`, `evidence.offer`. */
  kind: string;
  contract: LedgerContractName;
  method: string;
  args: readonly unknown[];
  requestId?: string;
  evidenceId?: string;
  documentDigest?: string;
}

/** The signed-in account an intent is prepared for. */
export interface Actor {
  address: string;
  state: string;
}

/** How long a prepared intent's signature stays valid on-chain (the forward request's deadline). */
export const INTENT_VALID_SECONDS = 3_600;
const perActor = new Map<string, Promise<unknown>>();

/**
 * Prepares a relayed call: simulates it as `actor` (a call the ledger would refuse is refused now with
 * its custom error, 422), assigns the lowest forwarder nonce of the actor's that no intent holds (see
 * `nonceBook.ts`), and stores
 * the intent. `before` runs inside the same transaction (store the record the call anchors there).
 * @example const intent = await prepareIntent(ctx, actor, { kind: "request.acknowledge", contract: "requests", method: "acknowledge", args: [id, digest] });
 */
export async function prepareIntent(
  ctx: GatewayContext,
  actor: Actor,
  spec: IntentSpec,
  before?: (trx: Transaction<Tables>) => Promise<void>,
): Promise<IntentRow> {
  return serially(perActor, actor.address.toLowerCase(), () => prepareNow(ctx, actor, spec, before));
}

async function prepareNow(
  ctx: GatewayContext,
  actor: Actor,
  spec: IntentSpec,
  before?: (trx: Transaction<Tables>) => Promise<void>,
): Promise<IntentRow> {
  const { chain, store } = ctx;
  // The book before the chain's nonce: an intent executed in between is still counted, never reused.
  const held = await readNonceBook(store.db, actor.address, { heldSince: holdStart(ctx) });
  const [{ to, data, estimated }, chainNonce, chainNow] = await Promise.all([
    simulateIntent(ctx, actor, spec),
    chain.contracts.forwarder.nonces(actor.address),
    chain.clock(),
  ]);
  const nonce = firstFreeNonce(chainNonce, held);
  const now = Date.now();
  const intent: IntentRow = {
    id: "0x" + randomBytes(16).toString("hex"),
    kind: spec.kind,
    actor: actor.address,
    actor_state: actor.state,
    request_id: spec.requestId ?? null,
    evidence_id: spec.evidenceId ?? null,
    to_address: to,
    data,
    // Room for the forwarder's own checks and the EIP-150 1/64 rule.
    gas: String(estimated + estimated / 4n + 20_000n),
    nonce: String(nonce),
    deadline: chainNow + INTENT_VALID_SECONDS,
    document_digest: spec.documentDigest ?? null,
    signature: null,
    status: "awaiting-signature",
    tx_hash: null,
    block_number: null,
    error: null,
    created_at: now,
    updated_at: now,
  };
  await store.db.transaction().execute(async (trx) => {
    await before?.(trx);
    await trx.insertInto("intents").values(intent).execute();
  });
  failpoint("intent.afterCommit");
  return intent;
}

/**
 * Simulates a ledger call as `actor` without storing anything: a call the ledger would refuse throws its
 * decoded custom error (422). Lets a use case refuse early, before it does expensive work.
 * @example await simulateIntent(ctx, actor, { kind: "evidence.register", contract: "custody", method: "registerEvidence", args });
 */
export async function simulateIntent(
  ctx: GatewayContext,
  actor: Actor,
  spec: Pick<IntentSpec, "contract" | "method" | "args">,
): Promise<{ to: string; data: string; estimated: bigint }> {
  const to = ctx.chain.deployment.contracts[spec.contract];
  const data = LEDGER_INTERFACES[spec.contract].encodeFunctionData(spec.method, spec.args);
  try {
    return { to, data, estimated: await ctx.chain.provider.estimateGas({ from: actor.address, to, data }) };
  } catch (e) {
    throw decodeLedgerError(e);
  }
}
