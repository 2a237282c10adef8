import type { TransactionReceipt } from "ethers";
import { LEDGER_INTERFACES } from "../../../sdk/src/ledger/contracts";
import type { GatewayContext } from "../context";
import type { JobHandler, JobOutcome } from "../outbox/worker";
import type { Kysely, Transaction } from "kysely";
import type { IntentRow, JobRow, Tables } from "../store/tables";
import { refusalOf } from "./refusal";
import { RELAY_JOB } from "./sign";

const FORWARDER = LEDGER_INTERFACES.forwarder;
const EXECUTED = FORWARDER.getEvent("ExecutedForwardRequest")!;
/** How far back to look for a forward request some other relayer executed. */
const LOOKBACK_BLOCKS = 50_000;

/**
 * Relays signed intents through `ERC2771Forwarder.executeBatch`, many per transaction. Each actor's
 * intents go in nonce order; one whose predecessor is still unsigned waits. With a refund receiver set,
 * the forwarder skips an invalid request instead of reverting the batch, and reports each executed one in
 * `ExecutedForwardRequest(signer, nonce, success)`, which decides each intent's outcome. Re-running a
 * batch after a crash is safe: a consumed nonce is never executed twice, and its outcome is looked up.
 */
export function relayHandler(ctx: GatewayContext, batchSize: number): JobHandler {
  return { kind: RELAY_JOB, batchSize, run: (jobs) => relay(ctx, jobs) };
}

async function relay(ctx: GatewayContext, jobs: readonly JobRow[]): Promise<Map<string, JobOutcome>> {
  const { store, chain } = ctx;
  const outcomes = new Map<string, JobOutcome>();
  const jobOf = new Map<string, string>();
  for (const j of jobs) jobOf.set((JSON.parse(j.payload) as { intentId: string }).intentId, j.id);
  const intents = await store.db.selectFrom("intents").selectAll().where("id", "in", [...jobOf.keys()]).execute();
  const done = (intent: IntentRow, outcome: JobOutcome = { ok: true }) => outcomes.set(jobOf.get(intent.id)!, outcome);
  for (const id of jobOf.keys()) if (!intents.some((i) => i.id === id)) outcomes.set(jobOf.get(id)!, { ok: true });

  const ready: IntentRow[] = [];
  const byActor = new Map<string, IntentRow[]>();
  for (const i of intents) byActor.set(i.actor.toLowerCase(), [...(byActor.get(i.actor.toLowerCase()) ?? []), i]);
  for (const [actor, list] of byActor) {
    list.sort((a, b) => (BigInt(a.nonce) < BigInt(b.nonce) ? -1 : 1));
    let expected = await chain.contracts.forwarder.nonces(actor);
    for (const intent of list) {
      if (intent.status === "mined" || intent.status === "failed") {
        done(intent);
        continue;
      }
      const nonce = BigInt(intent.nonce);
      if (nonce < expected) {
        await settleConsumed(ctx, intent);
        done(intent);
      } else if (nonce === expected) {
        ready.push(intent);
        expected += 1n;
      } else {
        const blocked = await predecessorBlocked(ctx, intent, expected);
        if (blocked) {
          await markIntent(ctx.store.db, intent.id, { status: "failed", error: blocked });
          done(intent);
        } else {
          done(intent, { ok: false, error: "waiting for an earlier intent of the same account", retryInMs: 250 });
        }
      }
    }
  }
  if (ready.length === 0) return outcomes;

  const requests = ready.map((i) => ({
    from: i.actor,
    to: i.to_address,
    value: 0n,
    gas: BigInt(i.gas),
    deadline: i.deadline,
    data: i.data,
    signature: i.signature!,
  }));
  const data = FORWARDER.encodeFunctionData("executeBatch", [requests, chain.sender.address]);
  const gasLimit = requests.reduce((sum, r) => sum + r.gas + r.gas / 10n + 30_000n, 100_000n);
  const sent = await chain.sender.send({ to: chain.deployment.contracts.forwarder, data, gasLimit }, async (hash) => {
    await store.db.updateTable("intents").set({ status: "sent", tx_hash: hash, updated_at: Date.now() }).where("id", "in", ready.map((i) => i.id)).execute();
  });
  const receipt = await sent.wait();
  const results = executedIn(receipt);
  const refusals = new Map<string, string | undefined>();
  for (const i of ready) if (results.get(`${i.actor.toLowerCase()}:${i.nonce}`) === false) refusals.set(i.id, await refusalOf(ctx, i, receipt.blockNumber));
  // Requests this transaction did not execute may have been executed by an earlier relay of the same intent
  // still unmined when this one was sent (a relayer restarted, or its key rotated): settled from that one.
  const elsewhere = ready.filter((i) => !results.has(`${i.actor.toLowerCase()}:${i.nonce}`));
  // One transaction for the whole batch: one commit (one fsync) instead of one per intent.
  await store.db.transaction().execute(async (trx) => {
    for (const intent of ready) {
      if (elsewhere.includes(intent)) continue;
      const success = results.get(`${intent.actor.toLowerCase()}:${intent.nonce}`);
      await markIntent(trx, intent.id, outcomeFields(success, receipt, refusals.get(intent.id)));
      done(intent);
    }
  });
  for (const intent of elsewhere) {
    await settleConsumed(ctx, intent, outcomeFields(undefined, receipt));
    done(intent);
  }
  return outcomes;
}

/** `signer:nonce` → success of each forward request a receipt executed. */
function executedIn(receipt: TransactionReceipt): Map<string, boolean> {
  const results = new Map<string, boolean>();
  for (const log of receipt.logs) {
    if (log.topics[0] !== EXECUTED.topicHash) continue;
    const parsed = FORWARDER.parseLog({ topics: [...log.topics], data: log.data })!;
    results.set(`${String(parsed.args.signer).toLowerCase()}:${parsed.args.nonce}`, Boolean(parsed.args.success));
  }
  return results;
}

function outcomeFields(success: boolean | undefined, receipt: TransactionReceipt, refusal?: string): Partial<IntentRow> {
  if (success === true) return { status: "mined", tx_hash: receipt.hash, block_number: receipt.blockNumber, error: null };
  return {
    status: "failed",
    tx_hash: receipt.hash,
    block_number: receipt.blockNumber,
    error:
      success === false
        ? `the ledger refused the call when it was mined${refusal ? ` with ${refusal}` : ""} (its state changed after the intent was prepared); prepare it again`
        : "the forwarder skipped the request (signature deadline passed or nonce already used); prepare it again",
  };
}

/**
 * An intent whose nonce the forwarder already consumed: find the execution and record its outcome; `notFound`
 * when there is none.
 */
async function settleConsumed(
  ctx: GatewayContext,
  intent: IntentRow,
  notFound: Partial<IntentRow> = { status: "failed", error: "the nonce was used by another forward request of the same account" },
): Promise<void> {
  const { provider, deployment } = ctx.chain;
  if (intent.tx_hash) {
    const receipt = await provider.getTransactionReceipt(intent.tx_hash);
    const success = receipt ? executedIn(receipt).get(`${intent.actor.toLowerCase()}:${intent.nonce}`) : undefined;
    if (receipt && success !== undefined) {
      await markIntent(ctx.store.db, intent.id, outcomeFields(success, receipt));
      return;
    }
  }
  const head = await provider.getBlockNumber();
  const logs = await provider.getLogs({
    address: deployment.contracts.forwarder,
    topics: [EXECUTED.topicHash, "0x" + intent.actor.toLowerCase().slice(2).padStart(64, "0")],
    fromBlock: Math.max(deployment.deployBlock, head - LOOKBACK_BLOCKS),
    toBlock: head,
  });
  for (const log of logs) {
    const parsed = FORWARDER.parseLog({ topics: [...log.topics], data: log.data })!;
    if (String(parsed.args.nonce) !== intent.nonce) continue;
    const receipt = (await provider.getTransactionReceipt(log.transactionHash))!;
    await markIntent(ctx.store.db, intent.id, outcomeFields(Boolean(parsed.args.success), receipt));
    return;
  }
  await markIntent(ctx.store.db, intent.id, notFound);
}

/** Why an intent can never be relayed because an earlier nonce will never come, or undefined. */
async function predecessorBlocked(ctx: GatewayContext, intent: IntentRow, expected: bigint): Promise<string | undefined> {
  const previous = await ctx.store.db
    .selectFrom("intents")
    .select(["id", "status"])
    .where("actor", "=", intent.actor)
    .where("nonce", "=", String(expected))
    .executeTakeFirst();
  if (!previous || previous.status === "failed" || previous.status === "expired") {
    return `nonce ${expected} of ${intent.actor} will never be used (its intent was not signed or failed); prepare again`;
  }
  return undefined;
}

async function markIntent(db: Kysely<Tables> | Transaction<Tables>, id: string, fields: Partial<IntentRow>): Promise<void> {
  await db.updateTable("intents").set({ ...fields, updated_at: Date.now() }).where("id", "=", id).execute();
}
