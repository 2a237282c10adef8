import { expect } from "vitest";
import { Interface, type ErrorDescription } from "ethers";
import {
  BatchAnchor__factory,
  Consortium__factory,
  EvidenceCustody__factory,
  MlatForwarder__factory,
  RequestRegistry__factory,
  TreatyRegistry__factory,
} from "../../typechain-types";

/** Every custom error of the suite in one interface: errors bubble up from the consortium. */
const errors = new Interface(
  [
    BatchAnchor__factory.abi,
    Consortium__factory.abi,
    EvidenceCustody__factory.abi,
    MlatForwarder__factory.abi,
    RequestRegistry__factory.abi,
    TreatyRegistry__factory.abi,
  ]
    .flat()
    .filter((f) => f.type === "error")
    .filter((f, i, all) => all.findIndex((g) => JSON.stringify(g) === JSON.stringify(f)) === i),
);

function revertData(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur && typeof cur === "object"; depth++) {
    const o = cur as { data?: unknown; error?: unknown; info?: { error?: { data?: unknown } } };
    if (typeof o.data === "string" && o.data.startsWith("0x")) return o.data;
    if (o.data && typeof o.data === "object" && typeof (o.data as { data?: unknown }).data === "string") {
      return (o.data as { data: string }).data;
    }
    cur = o.error ?? o.info?.error;
  }
  return undefined;
}

/** Decodes a revert into the suite's custom error, or undefined when the call did not revert so. */
export function decodeRevert(e: unknown): ErrorDescription | undefined {
  const data = revertData(e);
  if (!data) return undefined;
  return errors.parseError(data) ?? undefined;
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
