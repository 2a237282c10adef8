import { MlatError } from "../errors/MlatError";
import { LEDGER_ERRORS } from "./contracts";

/** A transaction or call the ledger refused with one of its custom errors. */
export class LedgerRevertError extends MlatError<"LEDGER_REVERT"> {
  /** The custom error's name, e.g. `RequestUnexpectedStatus`. */
  readonly errorName: string;
  /** Its arguments by name. */
  readonly args: Record<string, unknown>;

  constructor(errorName: string, args: Record<string, unknown>, cause: unknown) {
    const shown = Object.entries(args)
      .map(([k, v]) => `${k}=${typeof v === "bigint" ? v.toString() : String(v)}`)
      .join(", ");
    super("LEDGER_REVERT", `the ledger refused: ${errorName}(${shown})`, { cause });
    this.errorName = errorName;
    this.args = args;
  }
}

/** Finds revert data in the nested error shapes of ethers, Hardhat and JSON-RPC nodes. */
function revertData(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 8 && cur && typeof cur === "object"; depth++) {
    const o = cur as { data?: unknown; error?: unknown; info?: { error?: unknown }; cause?: unknown };
    if (typeof o.data === "string" && /^0x[0-9a-fA-F]{8}/.test(o.data)) return o.data;
    if (o.data && typeof o.data === "object") {
      const inner = (o.data as { data?: unknown }).data;
      if (typeof inner === "string" && /^0x[0-9a-fA-F]{8}/.test(inner)) return inner;
    }
    cur = o.error ?? o.info?.error ?? o.cause;
  }
  return undefined;
}

/**
 * Turns an error thrown by a ledger call into a {LedgerRevertError} when it carries one of the suite's
 * custom errors; returns the error unchanged otherwise.
 * @example try { await tx } catch (e) { throw decodeLedgerError(e) }
 */
export function decodeLedgerError(e: unknown): unknown {
  if (e instanceof LedgerRevertError) return e;
  const data = revertData(e);
  if (!data) return e;
  const parsed = LEDGER_ERRORS.parseError(data);
  if (!parsed) return e;
  const args: Record<string, unknown> = {};
  parsed.fragment.inputs.forEach((input, i) => (args[input.name || String(i)] = parsed.args[i]));
  return new LedgerRevertError(parsed.name, args, e);
}

/**
 * Type guard for a ledger revert, optionally with a given custom error name.
 * @example if (isLedgerRevert(e, "RequestExists")) { /* an earlier attempt already landed *\/ }
 */
export function isLedgerRevert(e: unknown, errorName?: string): e is LedgerRevertError {
  return e instanceof LedgerRevertError && (errorName === undefined || e.errorName === errorName);
}
