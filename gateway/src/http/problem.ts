import type { ErrorRequestHandler, Response } from "express";
import { isLedgerRevert } from "../../../sdk/src/ledger/errors";
import { GatewayError } from "./errors";
import type { Logger } from "../observability/logger";

/** RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  [extension: string]: unknown;
}

const TYPE_BASE = "https://mlat-ledger.org/problems/";

/** The problem document of an error (internal errors say nothing about their cause). */
export function problemOf(error: GatewayError, instance?: string): Problem {
  const safe = error.status < 500 || error.code === "CHAIN_UNAVAILABLE" || error.code === "STORE_UNAVAILABLE";
  return {
    ...(error.extensions ?? {}),
    type: `${TYPE_BASE}${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: error.code.toLowerCase().replaceAll("_", " "),
    status: error.status,
    detail: safe ? error.shortMessage : "the gateway failed; the operator's log has the details",
    code: error.code,
    ...(instance ? { instance } : {}),
  };
}

/** Sends a problem document. */
export function sendProblem(res: Response, error: GatewayError, instance?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.retryAfter !== undefined) res.setHeader("Retry-After", String(error.retryAfter));
  res.status(error.status).type("application/problem+json").send(jsonText(problemOf(error, instance)));
}

/** Error codes of ethers and Node that mean the chain node cannot be reached. */
const CHAIN_DOWN_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "NETWORK_ERROR", "TIMEOUT", "SERVER_ERROR", "UND_ERR_SOCKET"]);

/** Maps anything thrown to a {GatewayError}: router, HTTP and ledger errors get their proper status. */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  if (isLedgerRevert(e)) {
    return new GatewayError("LEDGER_REFUSED", e.shortMessage, {
      extensions: { ledgerError: e.errorName, ledgerArgs: e.args },
      cause: e,
    });
  }
  // Express's router decodes path parameters itself and throws a bare URIError on bad percent-encoding.
  if (e instanceof URIError) return new GatewayError("BAD_REQUEST", "the path is not valid percent-encoded UTF-8");
  const err = e as { type?: string; status?: number; message?: string; expose?: boolean; code?: string };
  if (err?.expose && typeof err.status === "number" && err.status >= 400 && err.status < 500) {
    return new GatewayError("BAD_REQUEST", err.message ?? "bad request");
  }
  if (err?.code && CHAIN_DOWN_CODES.has(err.code)) {
    return new GatewayError("CHAIN_UNAVAILABLE", "the chain node does not answer; try again shortly", {
      retryAfter: 5,
      cause: e,
    });
  }
  return new GatewayError("INTERNAL", "internal error", { cause: e });
}

/** Express error handler rendering every error as problem+json; 5xx are logged, never leaked. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (e, req, res, _next) => {
    // The client went away before its request was whole (it hung up, or was cut off as too slow): the
    // failure to read the rest is not the gateway's, and there is no one left to answer.
    if (req.destroyed && !req.complete && !(e instanceof GatewayError)) {
      log.debug("request abandoned by the client", { method: req.method, path: req.path, error: describe(e) });
      if (!res.headersSent) res.destroy();
      return;
    }
    const error = toGatewayError(e);
    if (error.status >= 500) log.error("request failed", { method: req.method, path: req.path, code: error.code, error: describe(e) });
    // Refused before its body was read whole: the rest of the body must not be taken for the next request.
    if (!req.complete && !res.headersSent) res.setHeader("Connection", "close");
    sendProblem(res, error, req.originalUrl.split("?")[0]);
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** JSON with bigints as decimal strings (ledger error arguments are bigints). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
