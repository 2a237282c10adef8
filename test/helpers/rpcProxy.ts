import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A JSON-RPC proxy in front of a node that can be cut off, to play a node outage. */
export interface RpcProxy {
  url: string;
  /** While down, every connection is refused mid-request (as a dead node would). */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `target`. */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  let down = false;
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const upstream = request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setDown: (d) => (down = d),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
