import type { TransactionReceipt } from "ethers";
import { LEDGER_INTERFACES } from "../../../sdk/src/ledger/contracts";
import { encodeExecuteBatch } from "../chain/forwarderBatch";
import { broadcastState } from "../chain/sender";
import type { GatewayContext } from "../context";
import { failpoint } from "../failpoints";
import type { JobHandler, JobOutcome } from "../outbox/worker";
import type { Kysely, Transaction } from "kysely";
import type { IntentRow, JobRow, Tables } from "../store/tables";
import { readNonceBook, waitStart } from "./nonceBookStore";
import { refusalOf } from "./refusal";
import { RELAY_JOB } from "./sign";

const FORWARDER = LEDGER_INTERFACES.forwarder;
const EXECUTED = FORWARDER.getEvent("ExecutedForwardRequest")!;
/** How far back to look for a forward request some other relayer executed. */
const LOOKBACK_BLOCKS = 50_000;
/** How often an intent whose transaction is pending (sent before a restart) is looked at again. */
const PENDING_RECHECK_MS = 1_000;

/**
 * Relays signed intents through `ERC2771Forwarder.executeBatch`, many per transaction. Each actor's
 * intents go in nonce order; one whose predecessor is not executed yet waits. With a refund receiver set,
 * the forwarder skips an invalid request instead of reverting the batch, and reports each executed one in
 * `ExecutedForwardRequest(signer, nonce, success)`, which decides each intent's outcome. Re-running a
 * batch after a crash is safe: a consumed nonce is never executed twice, and its outcome is looked up; a
 * batch whose transaction is still pending is waited for, not sent again (the second transaction's receipt
 * would show the requests skipped, and the intents would be marked failed although the first executes them)
 * — unless a rotated-away relayer key sent it: the current key sends the batch again. Waiting uses none of
 * the job's attempts. A waiting intent fails ("prepare again") once no intent holds its predecessor's
 * nonce any more, or once its signature's deadline has passed on chain.
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
  let chainNow: number | undefined;
  const byActor = new Map<string, IntentRow[]>();
  for (const i of intents) byActor.set(i.actor.toLowerCase(), [...(byActor.get(i.actor.toLowerCase()) ?? []), i]);
  for (const [actor, list] of byActor) {
    list.sort((a, b) => (BigInt(a.nonce) < BigInt(b.nonce) ? -1 : 1));
    let expected = await chain.contracts.forwarder.nonces(actor);
    // Once one intent waits, every later one of the account waits on the same nonce: one look for them all.
    let predecessor: { blocked: string | undefined } | undefined;
    for (const intent of list) {
      if (intent.status === "mined" || intent.status === "failed" || intent.status === "expired") {
        done(intent);
        continue;
      }
      const nonce = BigInt(intent.nonce);
      if (nonce < expected) {
        await settleConsumed(ctx, intent);
        done(intent);
      } else if (nonce === expected) {
        // Sent before a crash and still pending: it may yet be mined; wait for it rather than send again.
        if (intent.status === "sent" && intent.tx_hash && (await broadcastState(chain.provider, intent.tx_hash, chain.sender.address)) === "pending") {
          done(intent, { ok: false, error: `its transaction ${intent.tx_hash} is still pending`, retryInMs: PENDING_RECHECK_MS, waiting: true });
          continue;
        }
        ready.push(intent);
        expected += 1n;
      } else {
        predecessor ??= { blocked: await predecessorBlocked(ctx, intent.actor, expected) };
        chainNow ??= await chain.clock();
        const expired = signatureExpired(intent, chainNow);
        const hopeless = predecessor.blocked ?? expired;
        if (hopeless) {
          await markIntent(ctx.store.db, intent.id, { status: predecessor.blocked ? "failed" : "expired", error: hopeless });
          done(intent);
        } else {
          done(intent, { ok: false, error: "waiting for an earlier intent of the same account", retryInMs: 250, waiting: true });
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
  const data = encodeExecuteBatch(requests, chain.sender.address);
  const gasLimit = requests.reduce((sum, r) => sum + r.gas + r.gas / 10n + 30_000n, 100_000n);
  const sent = await chain.sender.send({ to: chain.deployment.contracts.forwarder, data, gasLimit }, async (hash) => {
    await store.db.updateTable("intents").set({ status: "sent", tx_hash: hash, updated_at: Date.now() }).where("id", "in", ready.map((i) => i.id)).execute();
  });
  const receipt = await sent.wait();
  failpoint("relay.afterReceipt");
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

/**
 * Why an account's intents above `expected` can never be relayed because no intent holds the earlier
 * nonce `expected` any more (see `waitStart`), or undefined.
 */
async function predecessorBlocked(ctx: GatewayContext, actor: string, expected: bigint): Promise<string | undefined> {
  const held = await readNonceBook(ctx.store.db, actor, { heldSince: waitStart(ctx) });
  if (held.has(expected)) return undefined;
  return `nonce ${expected} of ${actor} will never be used (its intent was not signed in time, or failed); prepare again`;
}

/** Why a waiting intent can never be relayed because its signature's deadline has passed on chain (`chainNow`), or undefined. */
function signatureExpired(intent: IntentRow, chainNow: number): string | undefined {
  if (chainNow <= intent.deadline) return undefined;
  return `its signature expired on chain (deadline ${intent.deadline}) while it waited for an earlier intent; prepare again`;
}

async function markIntent(db: Kysely<Tables> | Transaction<Tables>, id: string, fields: Partial<IntentRow>): Promise<void> {
  await db.updateTable("intents").set({ ...fields, updated_at: Date.now() }).where("id", "=", id).execute();
}
