import { expect } from "vitest";
import { decodeLedgerError, LedgerRevertError } from "../../sdk/src/ledger/errors";

/** Decodes a revert into the suite's custom error (the SDK's decoder), or undefined. */
export function decodeRevert(e: unknown): { name: string; args: unknown[] } | undefined {
  const decoded = decodeLedgerError(e);
  return decoded instanceof LedgerRevertError ? { name: decoded.errorName, args: Object.values(decoded.args) } : undefined;
}

/**
 * Asserts that `action` reverts with the custom error `name`, and with `args` if given
 * (compared after normalizing bigints to numbers where they fit, and strings case-insensitively).
 */
export async function expectRevert(action: Promise<unknown>, name: string, args?: readonly unknown[]): Promise<void> {
  let caught: unknown;
  try {
    const r = await action;
    if (r && typeof r === "object" && "wait" in r && typeof (r as { wait: unknown }).wait === "function") {
      await (r as { wait(): Promise<unknown> }).wait();
    }
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a revert with ${name}, but the call succeeded`).toBeDefined();
  const decoded = decodeRevert(caught);
  expect(decoded?.name, `expected ${name}, got ${decoded?.name ?? String(caught)}`).toBe(name);
  if (args) expect(normalize([...decoded!.args])).toEqual(normalize(args));
}

function normalize(values: readonly unknown[]): unknown[] {
  return values.map((v) => {
    if (typeof v === "bigint") return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    if (typeof v === "string") return v.toLowerCase();
    if (Array.isArray(v)) return normalize(v);
    return v;
  });
}
