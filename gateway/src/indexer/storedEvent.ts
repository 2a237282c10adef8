import type { LedgerEvent } from "../../../sdk/src/ledger/events";
import type { ChainEventRow } from "../store/tables";

/** A stored event's arguments: bigints became decimal strings, everything else as decoded. */
export type StoredArgs = Record<string, unknown>;

/** The request an event is about, if any. */
function requestIdOf(e: LedgerEvent): string | null {
  return e.contract === "requests" || e.name === "EvidenceRegistered" ? String(e.args.requestId) : null;
}

/** The evidence item an event is about, if any. */
function evidenceIdOf(e: LedgerEvent): string | null {
  return e.contract === "custody" ? String(e.args.evidenceId) : null;
}

/**
 * The row that stores a decoded ledger event.
 * @example toEventRow(event, blockTime)
 */
export function toEventRow(e: LedgerEvent, blockTime: number): ChainEventRow {
  return {
    block_number: e.blockNumber,
    log_index: e.logIndex,
    block_hash: e.blockHash,
    block_time: blockTime,
    tx_hash: e.transactionHash,
    contract: e.contract,
    name: e.name,
    args: JSON.stringify(e.args, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    request_id: requestIdOf(e),
    evidence_id: evidenceIdOf(e),
  };
}

/** Parses a stored event's arguments. */
export function argsOf(row: Pick<ChainEventRow, "args">): StoredArgs {
  return JSON.parse(row.args) as StoredArgs;
}

/** Event arguments that hold a digest of something stored off-chain. */
const DIGEST_ARGS = ["documentDigest", "payloadDigest", "manifestDigest", "digest"] as const;
const ZERO = "0x" + "00".repeat(32);

/** The off-chain digests an event commits to (zero digests left out). */
export function digestsOf(row: Pick<ChainEventRow, "args">): string[] {
  const a = argsOf(row);
  return [...new Set(DIGEST_ARGS.map((k) => a[k]).filter((v): v is string => typeof v === "string" && v !== ZERO).map((v) => v.toLowerCase()))];
}
