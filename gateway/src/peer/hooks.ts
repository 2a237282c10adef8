import type { Transaction } from "kysely";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { CustodyAction } from "../../../sdk/src/ledger/types";
import type { GatewayContext } from "../context";
import type { IndexerHooks } from "../indexer/indexer";
import { argsOf } from "../indexer/storedEvent";
import { enqueue } from "../outbox/enqueue";
import type { ChainEventRow, Tables } from "../store/tables";
import { actorStateOf } from "./commitments";
import { PUSH_JOB, pushJobId, type PushPayload } from "./push";

const ZERO = "0x" + "00".repeat(32);
const DISPOSITIONS = new Set<number>([CustodyAction.Returned, CustodyAction.Destroyed, CustodyAction.Released]);

async function held(trx: Transaction<Tables>, digest: unknown): Promise<boolean> {
  if (typeof digest !== "string" || digest === ZERO) return false;
  return (await trx.selectFrom("documents").select("digest").where("digest", "=", digest).executeTakeFirst()) !== undefined;
}

async function requestParties(trx: Transaction<Tables>, requestId: string): Promise<[string, string] | undefined> {
  const r = await trx.selectFrom("requests").select(["requesting_state", "requested_state"]).where("request_id", "=", requestId).executeTakeFirst();
  return r ? [r.requesting_state, r.requested_state] : undefined;
}

/** A request step of this state with a document it holds → the document goes to the counterpart. */
async function requestPushes(trx: Transaction<Tables>, e: ChainEventRow, state: string): Promise<PushPayload[]> {
  const a = argsOf(e);
  if (!(await held(trx, a.documentDigest))) return [];
  const parties = await requestParties(trx, e.request_id!);
  const counterpart = parties?.find((s) => s !== state);
  return counterpart ? [{ digest: String(a.documentDigest), toState: counterpart }] : [];
}

/**
 * A custody step of this state → its counterpart gets what it needs: on an offer the payload, the
 * manifest and the offer's document; on a rejection its document; on a disposition its document goes to
 * the requesting state.
 */
async function custodyPushes(trx: Transaction<Tables>, e: ChainEventRow, state: string): Promise<PushPayload[]> {
  const a = argsOf(e);
  const action = Number(a.action);
  const item = await trx.selectFrom("evidence").selectAll().where("evidence_id", "=", e.evidence_id!).executeTakeFirst();
  if (!item) return [];
  let to = fromStateBytes(String(a.counterpartState));
  const digests: unknown[] = [a.digest];
  if (action === CustodyAction.Offered) digests.push(item.payload_digest, item.manifest_digest);
  else if (DISPOSITIONS.has(action)) to = (await requestParties(trx, item.request_id))?.[0] ?? "";
  else if (action !== CustodyAction.OfferRejected) return [];
  if (!to || to === state) return [];
  const pushes: PushPayload[] = [];
  for (const d of digests) if (await held(trx, d)) pushes.push({ digest: String(d), toState: to });
  return pushes;
}

/** The pushes an indexed event calls for (only events of this state: each gateway pushes what it made). */
async function pushesFor(trx: Transaction<Tables>, e: ChainEventRow, state: string): Promise<PushPayload[]> {
  if (actorStateOf(argsOf(e)) !== state) return [];
  if (e.contract === "requests" && e.request_id) return requestPushes(trx, e, state);
  if (e.name === "CustodyRecorded" && e.evidence_id) return custodyPushes(trx, e, state);
  return [];
}

/**
 * Indexer hooks that enqueue peer pushes in the transaction that indexes the events (job ids
 * `push:<digest>:<state>`, so re-indexing after a restart or reorg never pushes twice), and wake the push
 * loop once they are committed.
 * @example const hooks = pushHooks(ctx);
 */
export function pushHooks(ctx: GatewayContext): IndexerHooks {
  const state = ctx.config.state;
  return {
    inTransaction: async (trx, events) => {
      for (const e of events) {
        for (const p of await pushesFor(trx, e, state)) {
          await enqueue(trx, { id: pushJobId(p.digest, p.toState), kind: PUSH_JOB, payload: { ...p } });
        }
      }
    },
    afterCommit: () => ctx.wake(PUSH_JOB),
  };
}
