import { MlatError } from "../../../sdk/src/errors/MlatError";

/** HTTP status of each gateway error code; codes not listed answer 500. */
export const ERROR_STATUS = {
  CONFIG_INVALID: 500,
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  DOSSIER_INCOMPLETE: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  EXPECTATION_FAILED: 417,
  DIGEST_MISMATCH: 422,
  LEDGER_REFUSED: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  TIMEOUT: 408,
  CHAIN_UNAVAILABLE: 503,
  PEER_UNAVAILABLE: 502,
  STORE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

/** A gateway error code. */
export type GatewayErrorCode = keyof typeof ERROR_STATUS;

/** Extra fields a problem document carries (RFC 9457 extension members). */
export type ProblemExtensions = Record<string, unknown>;

/**
 * The gateway's typed error: a code with a fixed HTTP status, a one-line message, and optional problem
 * extension members (e.g. `missing` for an incomplete dossier). Rendered as `application/problem+json`.
 * @example throw new GatewayError("NOT_FOUND", "no such request", { extensions: { requestId } });
 */
export class GatewayError extends MlatError<GatewayErrorCode> {
  readonly status: number;
  readonly extensions?: ProblemExtensions;
  /** Seconds a client should wait before retrying (sent as `Retry-After`). */
  readonly retryAfter?: number;

  constructor(
    code: GatewayErrorCode,
    message: string,
    options: { details?: string; cause?: unknown; extensions?: ProblemExtensions; retryAfter?: number } = {},
  ) {
    super(code, message, options);
    this.status = ERROR_STATUS[code];
    this.extensions = options.extensions;
    this.retryAfter = options.retryAfter;
  }
}

/** The one answer for an absent record and a record the caller may not see (no existence oracle). */
export function notFound(what: string, id: string): GatewayError {
  return new GatewayError("NOT_FOUND", `no ${what} ${id} visible to you`);
}
