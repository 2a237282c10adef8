import type { Kysely } from "kysely";
import { GatewayError } from "../http/errors";
import type { Logger } from "../observability/logger";
import type { ChainEventRow, Tables } from "../store/tables";
import type { DeadlineWarning } from "./messages";
import { relevantEvents } from "./relevance";

/** One open stream, as the hub sees it. */
export interface EventSink {
  /** The signed-in account it belongs to. */
  account: string;
  /** Ledger events relevant to this state, in chain order. */
  events(events: readonly ChainEventRow[]): void;
  warning(w: DeadlineWarning): void;
  reorg(forkBlock: number): void;
  /** The gateway is stopping. */
  close(): void;
}

/** Limits on open streams. */
export interface HubLimits {
  /** Streams open at once on this replica. */
  maxSubscribers: number;
  /** Streams open at once per account. */
  maxPerAccount: number;
}

/**
 * Fans indexed events out to this replica's open event streams. Relevance is decided once per indexed
 * batch (every stream of a gateway belongs to the same state), batches are delivered in commit order,
 * and the number of streams is bounded overall and per account.
 * @example const unsubscribe = hub.add(sink); …; unsubscribe();
 */
export class EventHub {
  readonly #sinks = new Set<EventSink>();
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly state: string,
    private readonly limits: HubLimits,
    private readonly log: Logger,
  ) {}

  /** Open streams. */
  get size(): number {
    return this.#sinks.size;
  }

  /** Registers a stream; refuses (429) when the replica or the account has too many open. */
  add(sink: EventSink): () => void {
    if (this.#sinks.size >= this.limits.maxSubscribers) {
      throw new GatewayError("RATE_LIMITED", "too many event streams are open on this gateway", { retryAfter: 30 });
    }
    const mine = [...this.#sinks].filter((s) => s.account.toLowerCase() === sink.account.toLowerCase()).length;
    if (mine >= this.limits.maxPerAccount) {
      throw new GatewayError("RATE_LIMITED", `account ${sink.account} already has ${mine} event streams open`, { retryAfter: 30 });
    }
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  /** Delivers the committed `events` that concern this state (after earlier batches). */
  publish(events: readonly ChainEventRow[]): Promise<void> {
    if (this.#sinks.size === 0) return this.#chain;
    this.#chain = this.#chain.then(async () => {
      try {
        const mine = await relevantEvents(this.db, this.state, events);
        if (mine.length > 0) for (const s of [...this.#sinks]) s.events(mine);
      } catch (e) {
        this.log.warn("event stream delivery failed", { error: e instanceof Error ? e.message : String(e) });
      }
    });
    return this.#chain;
  }

  warn(w: DeadlineWarning): void {
    for (const s of [...this.#sinks]) s.warning(w);
  }

  reorg(forkBlock: number): void {
    for (const s of [...this.#sinks]) s.reorg(forkBlock);
  }

  /** Ends every stream (gateway stopping). */
  closeAll(): void {
    for (const s of [...this.#sinks]) s.close();
    this.#sinks.clear();
  }
}
