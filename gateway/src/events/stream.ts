import type { Request, RequestHandler, Response } from "express";
import type { Kysely } from "kysely";
import type { GatewayContext } from "../context";
import { actorOf } from "../http/actor";
import type { ChainEventRow, Tables } from "../store/tables";
import type { EventHub, EventSink } from "./hub";
import { formatSse, ledgerMessage, type SseMessage } from "./messages";
import { isAfter, parsePosition, type Position } from "./position";
import { relevantEvents } from "./relevance";

/** A comment line is sent this often so proxies and the socket's idle timer keep the stream open. */
export const HEARTBEAT_MS = 15_000;
/** Events read per replay query. */
const REPLAY_PAGE = 500;
/** A client that lets this much output pile up unread is disconnected (it reconnects with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * `GET /v1/events`: a Server-Sent Events stream of the ledger events that concern this state, as they
 * are indexed, plus `deadline-warning` and `reorg` notices. With `Last-Event-ID` (header, or the
 * `lastEventId` query parameter for clients that cannot set headers) the stream first replays the
 * relevant stored events after that position; live events that arrive meanwhile are held and sent after
 * the replay, without duplicates.
 * @example router.get("/v1/events", eventStream(ctx, hub, () => void scanDeadlines()))
 */
export function eventStream(ctx: GatewayContext, hub: EventHub, onOpen: () => void = () => {}): RequestHandler {
  // `onOpen` runs once the stream is live (after any replay): the module scans deadlines for newcomers.
  return async (req: Request, res: Response) => {
    const actor = actorOf(res);
    const lastId = req.get("last-event-id") ?? (typeof req.query.lastEventId === "string" ? req.query.lastEventId : undefined);
    const from = lastId ? parsePosition(lastId) : undefined;
    let last: Position | undefined = from;
    let replaying = true;
    const held: ChainEventRow[] = [];
    let closed = false;

    const write = (m: SseMessage | string): void => {
      if (closed) return;
      res.write(typeof m === "string" ? m : formatSse(m));
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        ctx.log.warn("event stream dropped: the client does not read", { account: actor.address });
        end();
      }
    };
    const send = (events: readonly ChainEventRow[]): void => {
      for (const e of events) {
        const at: Position = [e.block_number, e.log_index];
        if (last && !isAfter(at, last)) continue;
        last = at;
        write(ledgerMessage(e));
      }
    };
    const sink: EventSink = {
      account: actor.address,
      events: (events) => (replaying ? held.push(...events) : send(events)),
      warning: (w) => write({ event: "deadline-warning", data: w }),
      reorg: (forkBlock) => {
        if (last && last[0] > forkBlock) last = [forkBlock, Number.MAX_SAFE_INTEGER];
        write({ event: "reorg", data: { forkBlock } });
      },
      close: () => end(),
    };
    const unsubscribe = hub.add(sink);
    const heartbeat = setInterval(() => write(`: heartbeat ${new Date().toISOString()}\n\n`), HEARTBEAT_MS);
    function end(): void {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
    }
    req.on("close", end);
    res.on("close", end);

    req.socket.setTimeout(0);
    res.status(200).set({
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.flushHeaders();
    write("retry: 3000\n: connected\n\n");
    try {
      if (from) await replay(ctx.store.db, ctx.config.state, from, (events) => send(events), () => closed);
    } finally {
      replaying = false;
      send(held.splice(0));
    }
    onOpen();
  };
}

/** Sends the relevant stored events after `from`, page by page, until caught up or closed. */
async function replay(
  db: Kysely<Tables>,
  state: string,
  from: Position,
  send: (events: readonly ChainEventRow[]) => void,
  closed: () => boolean,
): Promise<void> {
  let cursor = from;
  while (!closed()) {
    const [block, index] = cursor;
    const page = await db
      .selectFrom("chain_events")
      .selectAll()
      .where((eb) => eb.or([eb("block_number", ">", block), eb.and([eb("block_number", "=", block), eb("log_index", ">", index)])]))
      .orderBy("block_number")
      .orderBy("log_index")
      .limit(REPLAY_PAGE)
      .execute();
    if (page.length === 0) return;
    send(await relevantEvents(db, state, page));
    const tail = page.at(-1)!;
    cursor = [tail.block_number, tail.log_index];
    if (page.length < REPLAY_PAGE) return;
  }
}
