/**
 * The one base error of the SDK (viem/ethers style): a machine-readable `code`, a one-line
 * `shortMessage`, optional `details`, and the underlying `cause`.
 *
 * @example
 * try { … } catch (e) { if (isMlatError(e, "AGE_NO_IDENTITY_MATCHED")) … }
 */
export class MlatError<Code extends string = string> extends Error {
  override readonly name = "MlatError";
  readonly code: Code;
  readonly shortMessage: string;
  readonly details?: string;

  constructor(code: Code, shortMessage: string, options: { details?: string; cause?: unknown } = {}) {
    super(options.details ? `${shortMessage}\n\n${options.details}` : shortMessage, { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/**
 * Type guard for SDK errors, optionally of one code.
 * @example if (isMlatError(e, "INVALID_DEPLOYMENT")) console.error(e.shortMessage);
 */
export function isMlatError<C extends string>(e: unknown, code?: C): e is MlatError<C> {
  return e instanceof MlatError && (code === undefined || e.code === code);
}
