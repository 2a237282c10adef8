import { createServer, type Server } from "node:http";
import type { EIP1193Provider } from "hardhat/types";

/**
 * Serves an in-process Hardhat network over HTTP JSON-RPC, so external tools (cast) can query the chain
 * a test built. cast sends a call's calldata as both `input` and `data`, which Hardhat's parser refuses
 * as a duplicate (geth, Besu and anvil accept it); this server keeps `data` only.
 */
export async function serveJsonRpc(provider: EIP1193Provider, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", async () => {
      const answer = async (call: { id: unknown; method: string; params?: unknown[] }) => {
        const params = (call.params ?? []).map((p) => {
          if (p && typeof p === "object" && "input" in p && "data" in p) {
            const { input: _input, ...rest } = p as Record<string, unknown>;
            return rest;
          }
          return p;
        });
        try {
          return { jsonrpc: "2.0", id: call.id, result: await provider.request({ method: call.method, params }) };
        } catch (e) {
          const err = e as { code?: number; message?: string; data?: unknown };
          return { jsonrpc: "2.0", id: call.id, error: { code: err.code ?? -32603, message: err.message ?? String(e), data: err.data } };
        }
      };
      const parsed = JSON.parse(body) as Parameters<typeof answer>[0] | Parameters<typeof answer>[0][];
      const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
