import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A JSON-RPC error the node answered, with the method that caused it. */
export interface RpcErrorSeen {
  method: string;
  message: string;
}

/**
 * A JSON-RPC proxy that can hold back the answer to one call, to open a race window on purpose, and that
 * records every JSON-RPC error the node answers (what a client may have retried without saying so).
 */
export interface HoldingRpcProxy {
  url: string;
  /** Every error answer so far, oldest first. */
  readonly errors: RpcErrorSeen[];
  /**
   * Holds the answer of the next call of `method` (alone or inside a batch) once the node has answered
   * it. `held` resolves when such an answer is waiting; `release()` delivers it.
   */
  holdNext(method: string, matches?: (params: unknown[]) => boolean): { held: Promise<void>; release(): void };
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `target`. */
export async function startHoldingRpcProxy(target: string): Promise<HoldingRpcProxy> {
  const to = new URL(target);
  const errors: RpcErrorSeen[] = [];
  let hold: { method: string; matches: (params: unknown[]) => boolean; onHeld: () => void; released: Promise<void> } | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let calls: { id?: unknown; method?: string; params?: unknown[] }[] = [];
      try {
        const parsed = JSON.parse(body.toString()) as { id?: unknown; method?: string; params?: unknown[] } | { id?: unknown; method?: string; params?: unknown[] }[];
        calls = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        // not JSON: forwarded as is
      }
      const h = hold;
      const mine = h && calls.some((c) => c.method === h.method && h.matches(c.params ?? [])) ? h : undefined;
      if (mine) hold = undefined;
      const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        const answer: Buffer[] = [];
        up.on("data", (c: Buffer) => answer.push(c));
        up.on("end", () => {
          recordErrors(calls, Buffer.concat(answer), errors);
          const deliver = () => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(answer));
          };
          if (!mine) return deliver();
          mine.onHeld();
          void mine.released.then(deliver);
        });
      });
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    errors,
    holdNext: (method, matches = () => true) => {
      let onHeld!: () => void;
      let release!: () => void;
      const held = new Promise<void>((r) => (onHeld = r));
      const released = new Promise<void>((r) => (release = r));
      hold = { method, matches, onHeld, released };
      return { held, release };
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function recordErrors(calls: { id?: unknown; method?: string }[], answer: Buffer, into: RpcErrorSeen[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.toString());
  } catch {
    return;
  }
  for (const a of (Array.isArray(parsed) ? parsed : [parsed]) as { id?: unknown; error?: { message?: string } }[]) {
    if (!a?.error) continue;
    into.push({ method: String(calls.find((c) => c.id === a.id)?.method), message: String(a.error.message) });
  }
}
