import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { RequestHandler } from "express";
import { GatewayError, type GatewayErrorCode } from "./errors";
import { jsonText, problemOf } from "./problem";

/** How long the gateway waits on a client (see docs/operations.md, "Slow and oversized clients"). */
export interface ClientTimeouts {
  /** The request line and headers must arrive within this (ms). */
  headersTimeoutMs: number;
  /** Longest time (ms) without progress while it is the client's turn: sending the body, reading the answer. */
  idleTimeoutMs: number;
  /** After the first `idleTimeoutMs`, a body must average at least this (0: no floor). */
  bodyMinBytesPerSecond: number;
}

/**
 * The gateway's HTTP server for `app`. Slow clients ({@link ClientTimeouts}): headers within
 * `headersTimeoutMs`, checked often enough that the figure is the real one; no total limit on a request
 * (an upload of any size may take as long as it needs: `clientPace` judges bodies by progress) and no
 * socket idle timer (it would count the gateway's own thinking against the client). Every answer Node
 * would otherwise give on its own is a problem document: requests its parser refuses (400, 431), headers
 * too late (408), an unsupported `Expect` (417), `CONNECT` (405, instead of a silently closed
 * connection), a missing `Host` (400, see {@link requireHost}).
 * @example const server = gatewayHttpServer(app, config); server.listen(port, host);
 */
export function gatewayHttpServer(app: (req: IncomingMessage, res: ServerResponse) => void, t: ClientTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: t.headersTimeoutMs,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(t.headersTimeoutMs / 4))),
      requireHostHeader: false,
    },
    app,
  );
  server.timeout = 0;
  server.keepAliveTimeout = 5_000;
  server.on("clientError", (e: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) => answerClientError(e, socket, t));
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) => {
    const problem = problemOf(new GatewayError("EXPECTATION_FAILED", "only Expect: 100-continue is supported"), pathOf(req));
    res.writeHead(problem.status, { "Content-Type": "application/problem+json", Connection: "close" }).end(jsonText(problem));
  });
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    writeProblem(socket, problemOf(new GatewayError("METHOD_NOT_ALLOWED", "CONNECT is not supported: this is not a proxy"), pathOf(req)));
  });
  return server;
}

function pathOf(req: IncomingMessage): string | undefined {
  return req.url?.split("?")[0];
}

/** An HTTP/1.1 request without `Host` is malformed (RFC 9112 §3.2): 400, as a problem document. */
export const requireHost: RequestHandler = (req, _res, next) => {
  if (req.httpVersion === "1.1" && req.headers.host === undefined) throw new GatewayError("BAD_REQUEST", "an HTTP/1.1 request needs a Host header");
  next();
};

/** Writes a problem document straight to a socket (no response object) and closes it. */
function writeProblem(socket: Duplex, problem: ReturnType<typeof problemOf>): void {
  const body = jsonText(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The answer to a request Node's HTTP parser refused, or that did not finish its headers in time:
 * written to the socket (there is no request object), then the connection closes.
 */
function answerClientError(e: NodeJS.ErrnoException & { reason?: string }, socket: Duplex, t: ClientTimeouts): void {
  // A response already under way on this socket (a parse error in pipelined bytes) cannot be followed by another.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (e.code === "ECONNRESET" || !socket.writable || inFlight) {
    socket.destroy();
    return;
  }
  let code: GatewayErrorCode = "BAD_REQUEST";
  let detail = `the request is not valid HTTP/1.1 (${e.reason ?? e.code ?? "parse error"})`;
  if (e.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    code = "TIMEOUT";
    detail = `the request headers did not arrive within ${t.headersTimeoutMs} ms`;
  } else if (e.code === "HPE_HEADER_OVERFLOW") {
    code = "HEADERS_TOO_LARGE";
    detail = "the request line and headers are larger than the server accepts";
  }
  writeProblem(socket, problemOf(new GatewayError(code, detail)));
}
