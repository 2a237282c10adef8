import { z } from "zod";
import type { ChainEventRow } from "../store/tables";
import { argsOf } from "../indexer/storedEvent";

/** `data` of a ledger event on the stream (`event:` is the contract event's name, `id:` `<block>:<logIndex>`). */
export const LedgerStreamEventSchema = z.object({
  id: z.string().regex(/^\d+:\d+$/),
  event: z.string(),
  contract: z.string(),
  blockNumber: z.number().int(),
  logIndex: z.number().int(),
  blockHash: z.string(),
  transactionHash: z.string(),
  at: z.iso.datetime(),
  requestId: z.string().nullable(),
  evidenceId: z.string().nullable(),
  args: z.record(z.string(), z.unknown()).describe("decoded event arguments; integers as decimal strings"),
});

/** `data` of `event: deadline-warning`: a deadline of a request this state is party to is near. */
export const DeadlineWarningSchema = z.object({
  requestId: z.string(),
  deadline: z.enum(["acknowledgement", "response"]),
  dueAt: z.iso.datetime(),
  secondsLeft: z.number().int(),
  requestingState: z.string(),
  requestedState: z.string(),
  status: z.string(),
});

/** `data` of `event: reorg`: the chain reorganized; events after `forkBlock` may be replaced. */
export const ReorgNoticeSchema = z.object({ forkBlock: z.number().int() });

export type LedgerStreamEvent = z.infer<typeof LedgerStreamEventSchema>;
export type DeadlineWarning = z.infer<typeof DeadlineWarningSchema>;

/** One Server-Sent Events message. */
export interface SseMessage {
  event: string;
  /** Only ledger events carry an id (so `Last-Event-ID` always names a chain position). */
  id?: string;
  data: unknown;
}

/**
 * The SSE id of a stored event: `<block>:<logIndex>`.
 * @example eventPosition(row) // "1234:0"
 */
export function eventPosition(e: Pick<ChainEventRow, "block_number" | "log_index">): string {
  return `${e.block_number}:${e.log_index}`;
}

/**
 * The stream message of a stored ledger event.
 * @example res.write(formatSse(ledgerMessage(row)))
 */
export function ledgerMessage(e: ChainEventRow): SseMessage {
  const data: LedgerStreamEvent = {
    id: eventPosition(e),
    event: e.name,
    contract: e.contract,
    blockNumber: e.block_number,
    logIndex: e.log_index,
    blockHash: e.block_hash,
    transactionHash: e.tx_hash,
    at: new Date(e.block_time * 1000).toISOString(),
    requestId: e.request_id,
    evidenceId: e.evidence_id,
    args: argsOf(e),
  };
  return { event: e.name, id: data.id, data };
}

/**
 * The wire form of a message (`event:`, `id:`, one `data:` line of JSON, blank line).
 * @example formatSse({ event: "deadline-warning", data: warning })
 */
export function formatSse(m: SseMessage): string {
  const id = m.id ? `id: ${m.id}\n` : "";
  return `event: ${m.event}\n${id}data: ${JSON.stringify(m.data)}\n\n`;
}
