/**
 * Compares what a gateway indexed with what the node says now: the stored events with `eth_getLogs`, the
 * stored block hashes with the blocks, the digest index with the events' digests, and the request and
 * evidence projections with the contracts' own views read at the checkpoint block. Returns one line per
 * difference (empty when the index equals the canonical chain). With `since`, only what lies at or above
 * that block (what a reorg above it can have touched: events, digests, hashes, the requests and evidence
 * items submitted or changed there), to keep a long fuzz run's cost flat; 0 compares the whole index.
 */
import type { JsonRpcProvider } from "ethers";
import type { Gateway } from "../../../gateway/src/gateway";
import { digestsOf, toEventRow } from "../../../gateway/src/indexer/storedEvent";
import { connectLedger } from "../../../sdk/src/ledger/contracts";
import { decodeLedgerLogs } from "../../../sdk/src/ledger/events";
import { fromStateBytes } from "../../../sdk/src/ledger/stateCode";
import { storedCheckpoint } from "./chainNetwork";

const lower = (s: string | null | undefined): string | null => (s == null ? null : s.toLowerCase());

/** Keys of two lists that appear in one only, as difference lines. */
function setDiff(what: string, expected: readonly string[], actual: readonly string[]): string[] {
  const e = new Set(expected);
  const a = new Set(actual);
  return [
    ...[...e].filter((k) => !a.has(k)).map((k) => `${what} missing from the index: ${k}`),
    ...[...a].filter((k) => !e.has(k)).map((k) => `${what} in the index but not on the chain: ${k}`),
  ];
}

/**
 * The differences between `gw`'s index (up to its stored checkpoint) and the canonical chain.
 * @example expect(await indexMismatches(gw, rpc)).toEqual([]);
 */
export async function indexMismatches(gw: Gateway, rpc: JsonRpcProvider, since = 0): Promise<{ checkpoint: number; mismatches: string[] }> {
  const { deployment } = gw.ctx.chain;
  const db = gw.ctx.store.db;
  const checkpoint = await storedCheckpoint(gw);
  const out: string[] = [];
  const from = Math.max(since, deployment.deployBlock);
  const logs = await rpc.getLogs({ address: Object.values(deployment.contracts), fromBlock: from, toBlock: checkpoint });
  const events = decodeLedgerLogs(deployment.contracts, logs);
  const expectedRows = events.map((e) => toEventRow(e, 0));
  const rowKey = (r: { block_number: number; log_index: number; block_hash: string; tx_hash: string; name: string; args: string }) =>
    `${r.block_number}/${r.log_index} ${r.name} block ${r.block_hash.toLowerCase()} tx ${r.tx_hash.toLowerCase()} ${r.args}`;
  const stored = await db.selectFrom("chain_events").selectAll().where("block_number", ">=", from).orderBy("block_number").orderBy("log_index").execute();
  out.push(...setDiff("event", expectedRows.map(rowKey), stored.map(rowKey)));

  // Block times of the stored events are the blocks' own.
  const eventBlocks = [...new Set(stored.map((r) => r.block_number))];
  const blocks = await Promise.all(eventBlocks.map((n) => rpc.getBlock(n)));
  const timeOf = new Map(blocks.filter((b) => b !== null).map((b) => [b.number, b.timestamp]));
  for (const r of stored) {
    if (timeOf.has(r.block_number) && timeOf.get(r.block_number) !== r.block_time) out.push(`event ${r.block_number}/${r.log_index} has block time ${r.block_time}, the block ${timeOf.get(r.block_number)}`);
  }

  const hashes = await db.selectFrom("indexed_blocks").selectAll().where("number", ">=", since).execute();
  const onChain = await Promise.all(hashes.map((h) => (h.number <= checkpoint ? rpc.getBlock(h.number) : Promise.resolve(null))));
  hashes.forEach((h, i) => {
    if (h.number > checkpoint) out.push(`stored hash of block ${h.number}, above the checkpoint ${checkpoint}`);
    else if (onChain[i]?.hash?.toLowerCase() !== h.hash.toLowerCase()) out.push(`stored hash of block ${h.number} is ${h.hash}, the chain's ${onChain[i]?.hash}`);
  });
  if (!hashes.some((h) => h.number === checkpoint) && checkpoint >= deployment.deployBlock) out.push(`no stored hash for the checkpoint block ${checkpoint}`);

  const digestKeys = expectedRows.flatMap((r) => digestsOf(r).map((d) => `${d} @${r.block_number}/${r.log_index}`));
  const storedDigests = await db.selectFrom("event_digests").selectAll().where("block_number", ">=", from).execute();
  out.push(...setDiff("digest", digestKeys, storedDigests.map((d) => `${d.digest.toLowerCase()} @${d.block_number}/${d.log_index}`)));

  const ledger = connectLedger(deployment.contracts, rpc);
  const at = { blockTag: checkpoint };
  const requestIds = [...new Set(events.filter((e) => e.name === "RequestSubmitted").map((e) => String(e.args.requestId).toLowerCase()))];
  const touched = new Set(events.flatMap((e) => [e.args.requestId, e.args.evidenceId]).map((id) => String(id).toLowerCase()));
  const requestRows = (await db.selectFrom("requests").selectAll().execute()).filter(
    (r) => r.submitted_block >= from || r.updated_block >= from || touched.has(r.request_id.toLowerCase()),
  );
  out.push(...setDiff("request", requestIds, requestRows.filter((r) => r.submitted_block >= from).map((r) => r.request_id.toLowerCase())));
  const requestViews = await Promise.all(requestRows.map((r) => ledger.requests.request(r.request_id, at)));
  requestRows.forEach((row, i) => {
    const v = requestViews[i]!;
    const expected = {
      status: Number(v.status),
      accepted_types: Number(v.acceptedTypes),
      priority: Number(v.priority),
      acknowledge_by: Number(v.acknowledgeBy),
      respond_by: Number(v.respondBy),
      requesting_state: BigInt(v.requestingState) === 0n ? "" : fromStateBytes(v.requestingState),
      requested_state: BigInt(v.requestedState) === 0n ? "" : fromStateBytes(v.requestedState),
    };
    for (const [k, want] of Object.entries(expected)) {
      const got = row[k as keyof typeof row];
      if (got !== want) out.push(`request ${row.request_id}: ${k} is ${String(got)} in the index, ${String(want)} on the chain at block ${checkpoint}`);
    }
  });

  const evidenceIds = [...new Set(events.filter((e) => e.name === "EvidenceRegistered").map((e) => String(e.args.evidenceId).toLowerCase()))];
  const evidenceRows = (await db.selectFrom("evidence").selectAll().execute()).filter(
    (r) => r.registered_block >= from || r.updated_block >= from || touched.has(r.evidence_id.toLowerCase()),
  );
  out.push(...setDiff("evidence", evidenceIds, evidenceRows.filter((r) => r.registered_block >= from).map((r) => r.evidence_id.toLowerCase())));
  const evidenceViews = await Promise.all(evidenceRows.map((r) => ledger.custody.evidence(r.evidence_id, at)));
  evidenceRows.forEach((row, i) => {
    const v = evidenceViews[i]!;
    const offered = BigInt(v.offeredToState) !== 0n;
    const expected: Record<string, unknown> = {
      request_id: lower(v.requestId),
      payload_digest: lower(v.payloadDigest),
      head: lower(v.head),
      custodian_state: BigInt(v.custodianState) === 0n ? "" : fromStateBytes(v.custodianState),
      custodian_account: lower(v.custodianAccount),
      disposition: Number(v.disposition),
      offer_to_state: offered ? fromStateBytes(v.offeredToState) : null,
      offer_to_account: offered ? lower(v.offeredToAccount) : null,
      offer_expires_at_sec: offered ? Number(v.offerExpiresAt) : null,
    };
    const actual: Record<string, unknown> = {
      ...row,
      request_id: lower(row.request_id),
      payload_digest: lower(row.payload_digest),
      head: lower(row.head),
      custodian_account: lower(row.custodian_account),
      offer_to_account: lower(row.offer_to_account),
    };
    for (const [k, want] of Object.entries(expected)) {
      if (actual[k] !== want) out.push(`evidence ${row.evidence_id}: ${k} is ${String(actual[k])} in the index, ${String(want)} on the chain at block ${checkpoint}`);
    }
  });
  return { checkpoint, mismatches: out };
}
