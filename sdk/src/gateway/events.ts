import { GatewayRequestError, type GatewayProblem } from "./http";

/** One message of a gateway's event stream (`GET /v1/events`). */
export interface GatewayEvent {
  /** `RequestSubmitted`, `CustodyRecorded`, … (the ledger event's name), `deadline-warning` or `reorg`. */
  event: string;
  /** `<block>:<logIndex>` for ledger events; absent on warnings and notices. */
  id?: string;
  /** The message's JSON data (a string if it was not JSON). */
  data: unknown;
}

/** Options of {subscribeEvents}. */
export interface SubscribeEventsOptions {
  /** Resume after this event id (`<block>:<logIndex>`): the gateway replays what came after it. */
  lastEventId?: string;
  /** Reconnect (resuming from the last id received) when the stream breaks; default true. */
  reconnect?: boolean;
  /** Told of each broken connection before a reconnect. */
  onError?(error: unknown): void;
  /** Ends the subscription, like `close()`. */
  signal?: AbortSignal;
}

/** A running subscription. */
export interface EventSubscription {
  /** Resolves once the first connection is open (the gateway answered 200). */
  readonly opened: Promise<void>;
  /**
   * Settles when the subscription ends: resolves on `close()` (or when the stream ends without
   * `reconnect`), rejects on a refusal (401, 403, 400), or on any failure without `reconnect`.
   */
  readonly done: Promise<void>;
  /** The id of the last ledger event received. */
  readonly lastEventId: string | undefined;
  close(): void;
}

/** A session's connection details (a `GatewaySession` fits). */
export interface EventSource {
  url: string;
  token: string;
}

const DEFAULT_RETRY_MS = 3_000;

/**
 * Subscribes to a gateway's Server-Sent Events stream with `fetch` streaming: ledger events that concern
 * the session's state as the gateway indexes them, `deadline-warning`s and `reorg` notices. A broken
 * connection is resumed from the last event id received, so nothing is missed or repeated.
 * @example
 * const sub = subscribeEvents(session, (e) => console.log(e.event, e.data), { lastEventId: saved });
 * await sub.opened; …; sub.close();
 */
export function subscribeEvents(
  session: EventSource,
  onEvent: (e: GatewayEvent) => void,
  options: SubscribeEventsOptions = {},
): EventSubscription {
  const abort = new AbortController();
  options.signal?.addEventListener("abort", () => abort.abort(), { once: true });
  let lastEventId = options.lastEventId;
  let retryMs = DEFAULT_RETRY_MS;
  let markOpened: () => void = () => {};
  const opened = new Promise<void>((resolve) => (markOpened = resolve));

  const connectOnce = async (): Promise<void> => {
    const headers: Record<string, string> = { authorization: `Bearer ${session.token}`, accept: "text/event-stream" };
    if (lastEventId) headers["last-event-id"] = lastEventId;
    const res = await fetch(new URL("/v1/events", session.url), { headers, signal: abort.signal });
    if (!res.ok || !res.body) {
      const problem = (await res.json().catch(() => undefined)) as GatewayProblem | undefined;
      throw new GatewayRequestError("GET", "/v1/events", res.status, problem);
    }
    markOpened();
    for await (const message of parseEventStream(res.body)) {
      if (message.retry !== undefined) retryMs = message.retry;
      if (!message.event) continue;
      if (message.event.id) lastEventId = message.event.id;
      onEvent(message.event);
    }
  };

  const done = (async () => {
    while (!abort.signal.aborted) {
      try {
        await connectOnce();
      } catch (e) {
        if (abort.signal.aborted) return;
        const refused = e instanceof GatewayRequestError && e.status !== 429 && e.status < 500;
        if (refused || options.reconnect === false) throw e;
        options.onError?.(e);
      }
      if (options.reconnect === false || abort.signal.aborted) return;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  })();
  done.catch(() => undefined);

  return {
    opened,
    done,
    get lastEventId() {
      return lastEventId;
    },
    close: () => abort.abort(),
  };
}

/** What one SSE block yields: a message to dispatch, and/or a new reconnection delay. */
export interface ParsedBlock {
  event?: GatewayEvent;
  retry?: number;
}

/**
 * Parses a `text/event-stream` body (WHATWG HTML §9.2): `event`, `id`, multi-line `data` and `retry`
 * fields, comment lines ignored, a blank line ends a message; data parsed as JSON when it is JSON.
 * @example for await (const { event } of parseEventStream(res.body!)) if (event) handle(event);
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ParsedBlock> {
  const decoder = new TextDecoder();
  let buffer = "";
  let name = "";
  let id: string | undefined;
  let data: string[] = [];
  let retry: number | undefined;
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A lone CR at the end may be the first half of a CRLF split across chunks.
        if (buffer[newline] === "\r" && newline === buffer.length - 1) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") {
          if (data.length > 0 || retry !== undefined) {
            const block: ParsedBlock = {};
            if (data.length > 0) block.event = { event: name || "message", ...(id ? { id } : {}), data: parseData(data.join("\n")) };
            if (retry !== undefined) block.retry = retry;
            yield block;
          }
          name = "";
          id = undefined;
          data = [];
          retry = undefined;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") name = val;
        else if (field === "data") data.push(val);
        else if (field === "id" && !val.includes("\0")) id = val;
        else if (field === "retry" && /^\d+$/.test(val)) retry = Number(val);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
